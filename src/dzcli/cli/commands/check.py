"""`dz check`: audit a store and say every problem on its own line."""

# No `from __future__ import annotations`: Typer reads these annotations at each start-up.

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from dzcli.cli.options import DbOption
from dzcli.read import resolve_store_path

if TYPE_CHECKING:
    from dzcli.check import Audit, Flood, Problem


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
    every: Annotated[
        bool,
        typer.Option("--all", help="Print every problem, not only the first 100 each rule finds."),
    ] = False,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="The problems and the summary as one JSON object (dz schema check)."
        ),
    ] = False,
) -> None:
    """Audit a store: every problem on its own line, then a summary; exit 1 if any.

    \b
    Examples:
      dz check
      dz check --sources ../shared/sources
      dz check --json | jq .summary
    Checks the shape of every record, units, ids and references, that every
    record and figure quotes its source (found in the text, with --sources),
    the arithmetic (base values, shares, growth rates, exchange rates), and that
    values, dates and names are plausible and consistent (docs/checks.md).
    A rule that finds more than 100 problems prints the first 100, then how
    many more it found (--all prints them all).
    """
    from dzcli import check as audit
    from dzcli import locations

    path = resolve_store_path(db)
    if sources is None and locations.sources_dir(path).is_dir():
        sources = locations.sources_dir(path)  # the texts shipped or registered with the store
    run = audit.open_file(path, sources)
    flood = audit.Flood(None if every else audit.SHOWN_PER_RULE)
    # Printed as found: a million problems are never held.
    admitted = (problem for problem in run.problems() if flood.admit(problem))
    if as_json:
        from dzcli.output.render import print_json_object

        print_json_object(_as_json(admitted, flood, run))
    else:
        for problem in admitted:
            typer.echo(problem.line())
        for line in flood.left_out():
            typer.echo(line)
        typer.echo(run.summary(flood.errors, flood.warnings))
    if flood.errors:
        raise typer.Exit(1)


def _as_json(
    admitted: "Iterator[Problem]", flood: "Flood", run: "Audit"
) -> Iterator[tuple[str, object]]:
    """The members of `dz check --json` (schemas/check.schema.json), each made once the ones
    before it are written: the counts only once every problem is."""
    yield "problems", (problem.as_json() for problem in admitted)
    left_out = flood.counts_left_out()
    yield "not_shown", [{"rule": rule, "count": count} for rule, count in left_out.items()]
    yield "summary", run.summary_fields(flood.errors, flood.warnings)
