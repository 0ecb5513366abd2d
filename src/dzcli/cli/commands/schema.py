"""`dz schema`: the JSON Schema of a record kind's JSON output."""

# No `from __future__ import annotations`: Typer reads these annotations at each start-up.

from typing import Annotated, Optional

import typer

from dzcli.output.contract import OutputKind


def schema(
    kind: Annotated[
        Optional[OutputKind],  # noqa: UP045
        typer.Argument(
            metavar="KIND",
            help="stat, target, park, project, enterprise, event, record, match, metric, "
            "source or check; without it, the list of kinds.",
        ),
    ] = None,
) -> None:
    """The JSON Schema of one row of a record kind's JSON output (--json, --format jsonl).

    \b
    Examples:
      dz schema stat
      dz schema
    The printed schema stands alone: the definitions it shares with the other
    schemas (schemas/common.schema.json) are inlined under $defs.
    """
    from dzcli.output import contract
    from dzcli.output.render import print_json

    if kind is None:
        width = max(len(k) for k in contract.COMMANDS)
        for each, commands in contract.COMMANDS.items():
            typer.echo(f"{each:<{width}}  {commands}")
    else:
        print_json(contract.bundle(kind))
