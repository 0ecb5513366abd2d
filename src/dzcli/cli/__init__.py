"""The `dz` command line: parse options, ask the data layer, hand rows to the renderer.

app.py holds the Typer app and its error policy (every error a user can cause becomes one
`dz: error: …` line and a documented exit code); options.py the options listings share;
commands/ the commands; completion.py and completion_scripts.py shell completion.
"""

import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from dzcli import process
from dzcli.cli import completion, export_commands, write_commands
from dzcli.cli.app import app
from dzcli.cli.commands import IN_HELP_ORDER

__all__ = ["app", "completion", "main"]

for _command in IN_HELP_ORDER:
    app.command()(_command)
write_commands.register(app)
export_commands.register(app)


def main() -> None:
    """The `dz` program: UTF-8 whatever the locale, quiet when its reader goes away."""
    process.restart_in_utf8_mode()
    process.die_quietly_on_closed_pipe()
    with _only_the_command_asked_for(sys.argv[1:]):
        app()


@contextlib.contextmanager
def _only_the_command_asked_for(args: Sequence[str]) -> Iterator[None]:
    """Let Typer build just the command named first on the line (`dz stats …`).

    Typer turns every command's signature into options before it runs any one of them, a
    quarter of dz's own start-up time (benchmarks/bench.py). When the first argument names a
    command, no other is needed; otherwise (`dz --help`, a typo, completion) all are built.
    """
    commands = app.registered_commands
    chosen = [
        info
        for info in commands
        if args and info.callback and (info.name or _command_name(info.callback)) == args[0]
    ]
    app.registered_commands = chosen or commands
    try:
        yield
    finally:
        app.registered_commands = commands


def _command_name(callback: Callable[..., Any]) -> str:
    return callback.__name__.lower().replace("_", "-")  # as Typer names a command
