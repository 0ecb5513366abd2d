"""Listings of what the report says beyond numbers: people, statements, parts of wholes."""

# No `from __future__ import annotations`: Typer reads these annotations at each start-up
# (see dzcli.cli.options).

from typing import Annotated, Optional

import typer

from dzcli import queries
from dzcli.cli.options import Query, listing
from dzcli.output import views


@listing(views.PEOPLE, units=False)
def people() -> Query:
    """People the report names or quotes, with their roles and whom they speak for.

    \b
    Examples:
      dz people
      dz people --lang zh --format md
    """
    return queries.people


@listing(views.STATEMENTS, units=False)
def statements(
    topic: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="aim, model, method, measure, positioning, plan, status or caption."),
    ] = None,
) -> Query:
    """What the report says in words: aims, models, methods, measures, plans, captions.

    \b
    Examples:
      dz statements
      dz statements --topic plan --json
    Plans live here, not among the dated events.
    """
    return lambda s: queries.statements(s, topic)


@listing(views.RELATIONS, units=False)
def relations() -> Query:
    """Parts of wholes, and the members the report names of a counted whole.

    \b
    Examples:
      dz relations
      dz relations --json
    """
    return queries.relations
