"""The `dz` command line: parse options, ask the data layer, hand rows to the renderer.

application.py holds the Typer app and its error policy, options.py the options listings share,
read_commands.py and write_commands.py the commands, completion.py shell completion.
"""

import contextlib
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import typer

from dzcli import process
from dzcli.cli import completion
from dzcli.cli.application import app as _app
from dzcli.cli.read_commands import IN_HELP_ORDER

__all__ = ["app", "completion", "main"]

for _command in IN_HELP_ORDER:
    _app.command()(_command)
_READ_COMMANDS = frozenset(command.__name__ for command in IN_HELP_ORDER)
_writers_registered = False


def _register_writers() -> None:
    """Add the commands that write (`dz add`, `dz import`, `dz export`, …): a command that only
    reads does not pay for importing them and the write path."""
    global _writers_registered
    if not _writers_registered:
        from dzcli.cli import write_commands

        write_commands.register(_app)
        _writers_registered = True


def __getattr__(name: str) -> typer.Typer:
    """`dzcli.cli.app`: the whole app, every command registered (tests, completion, scripts)."""
    if name == "app":
        _register_writers()
        return _app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """The `dz` program: UTF-8 whatever the locale, quiet when its reader goes away."""
    process.restart_in_utf8_mode()
    process.die_quietly_on_closed_pipe()
    args = sys.argv[1:]
    if not args or args[0] not in _READ_COMMANDS:  # help, a typo, completion: every command
        _register_writers()
    with _only_the_command_asked_for(args):
        _app()


@contextlib.contextmanager
def _only_the_command_asked_for(args: Sequence[str]) -> Iterator[None]:
    """Let Typer build only the command (or group: `dz add …`) named first on the line, if any:
    it turns every command's signature into options before it runs one, a quarter of dz's own
    start-up time (benchmarks/bench.py)."""
    commands, groups = _app.registered_commands, _app.registered_groups
    first = args[0] if args else None
    chosen = [
        info
        for info in commands
        if info.callback  # named as Typer names a command, unless given a name
        and (info.name or info.callback.__name__.lower().replace("_", "-")) == first
    ]
    chosen_groups = [info for info in groups if _group_name(info) == first]
    if chosen or chosen_groups:
        _app.registered_commands, _app.registered_groups = chosen, chosen_groups
    try:
        yield
    finally:
        _app.registered_commands, _app.registered_groups = commands, groups


def _group_name(info: Any) -> str | None:
    """A group's name, given where it was added (`add_typer(…, name=…)`) or when made."""
    return info.name or (info.typer_instance.info.name if info.typer_instance else None)
