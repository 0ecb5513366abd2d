"""Commands that look up records by id or by text: `dz show`, `dz search`."""

# No `from __future__ import annotations`: Typer reads these annotations at each start-up
# (see dzcli.cli.options).

from typing import Annotated, Optional

import typer

from dzcli import queries
from dzcli.cli import completion
from dzcli.cli.options import Query, listing
from dzcli.output import views


@listing(views.RECORD, units=False)
def show(
    names: Annotated[
        list[str],
        typer.Argument(
            metavar="NAME...",
            help="Ids (derived ones too, as dz growth prints them), names or aliases, or parts.",
            autocompletion=completion.complete_record_id,
        ),
    ],
) -> Query:
    """Records of any kind, whole, with their source quotes.

    \b
    Examples:
      dz show gdp@2021
      dz show 威讯联合半导体 高新产业园
      dz show hi-tech-park --json
      dz show gdp@2021 --fields value,unit,source.quote
    A part of a name that several records share shows each of them.
    """
    return lambda s: queries.show(s, names)


@listing(views.SEARCH, units=False)
def search(
    text: Annotated[str, typer.Argument(help="Chinese or English words to look for.")],
    within: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--in",
            metavar="names|notes|quotes",
            help="Look only in names and aliases, in notes and roles, or in source quotes.",
        ),
    ] = None,
) -> Query:
    """Records with every word of TEXT, in any order, anywhere in them; best matches first.

    \b
    Examples:
      dz search 威讯
      dz search "innovation fund"
      dz search 有研 --in names
      dz search wafer --format tsv --fields id,field,text
    A match in a name comes before one in a note or role, and that before one only in a
    quote (last, a quote other records share too). The field that matched is shown.
    """
    return lambda s: queries.search(s, text, within)
