"""Commands that look up records by id or by text: `dz show`, `dz search`."""

# No `from __future__ import annotations`: Typer reads these annotations at each start-up
# (see dzcli.cli.options).

from typing import Annotated

import typer

from dzcli import queries
from dzcli.cli import completion
from dzcli.cli.options import Query, listing
from dzcli.output import views


@listing(views.RECORD, units=False)
def show(
    record_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="Any record's id.", autocompletion=completion.complete_record_id
        ),
    ],
) -> Query:
    """One record of any kind, whole, with its source quote.

    \b
    Examples:
      dz show gdp@2021
      dz show hi-tech-park --json
      dz show gdp@2021 --fields value,unit,source.quote
    """
    return lambda s: queries.show(s, record_id)


@listing(views.SEARCH, units=False)
def search(
    text: Annotated[str, typer.Argument(help="Chinese or English text to look for.")],
) -> Query:
    """Every record whose Chinese or English text contains TEXT.

    \b
    Examples:
      dz search 威讯
      dz search wafer --format tsv --fields id,field,text
    """
    return lambda s: queries.search(s, text)
