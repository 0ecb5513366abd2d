"""`dz check`: audit a store and say every problem on its own line."""

# No `from __future__ import annotations`: Typer reads these annotations at each start-up.

from pathlib import Path
from typing import Annotated, Optional

import typer

from dzcli.cli.options import DbOption
from dzcli.store import resolve_store_path


def check(
    db: DbOption = None,
    sources: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--sources",
            metavar="DIR",
            exists=True,
            file_okay=False,
            readable=False,
            help="Find every quote in its source text: DIR/<the source's file> "
            "[default: the sources folder beside the store].",
        ),
    ] = None,
) -> None:
    """Audit a store: every problem on its own line, then a summary; exit 1 if any.

    \b
    Examples:
      dz check
      dz check --sources ../shared/sources
    Checks the shape of every record, units, ids and references, that every
    record and figure quotes its source (found in the text, with --sources),
    the arithmetic (base values, shares, growth rates, exchange rates), and that
    values, dates and names are plausible and consistent (see the README).
    """
    from dzcli import check as audit
    from dzcli import locations

    path = resolve_store_path(db)
    if sources is None and locations.sources_dir(path).is_dir():
        sources = locations.sources_dir(path)  # the texts shipped or registered with the store
    report = audit.check_file(path, sources)
    for problem in report.problems:
        typer.echo(problem.line())
    typer.echo(report.summary())
    if report.errors:
        raise typer.Exit(1)
