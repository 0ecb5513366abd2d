"""`dz --install-completion [SHELL]` and `dz --show-completion [SHELL]`.

Typer's options take no shell name: given one, they installed completion for the shell they
detected and ignored the name, so `dz --install-completion fish2` wrote bash files and said
`bash completion installed`. Here a shell is named or detected, and a name dz does not know
is a usage error before any file is touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import typer

from dzcli.model.errors import BadUsage

SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
_INSTALL = "--install-completion"
_SHOW = "--show-completion"
_PROG = "dz"
_COMPLETE_VAR = "_DZ_COMPLETE"  # what Typer derives from the program's name


def run_if_asked(args: Sequence[str]) -> None:
    """Install or show the script if the options before the command ask for it, then exit."""
    for index, arg in enumerate(args):
        option, _, attached = arg.partition("=")
        if option in (_INSTALL, _SHOW):
            following = args[index + 1] if index + 1 < len(args) else ""
            named = attached if attached else following if not following.startswith("-") else ""
            shell = _shell(named, option)
            if option == _INSTALL:
                _install(shell)
            else:
                _show(shell)
            raise typer.Exit()
        if not arg.startswith("-"):  # the command: what follows is its own
            return


def describe(params: list[Any]) -> None:
    """Say in `dz --help` that a shell can be named."""
    names = ", ".join(SHELLS)
    for param in params:
        if param.name == "install_completion":
            param.help = f"Install completion for SHELL ({names}); default: the current shell."
        elif param.name == "show_completion":
            param.help = (
                f"Show the completion script for SHELL ({names}); default: the current shell."
            )


def _shell(named: str, option: str) -> str:
    if named:
        if named not in SHELLS:
            raise BadUsage(
                f"{option}: unknown shell {named!r}; dz completes in {', '.join(SHELLS)}"
            )
        return named
    from typer._completion_shared import _get_shell_name  # Typer's detection (pinned <0.29)

    detected = _get_shell_name()
    if detected not in SHELLS:
        raise BadUsage(
            f"{option}: cannot complete in this shell ({detected or 'not detected'}); "
            f"name one of {', '.join(SHELLS)}"
        )
    return str(detected)


def _install(shell: str) -> None:
    from typer._completion_shared import install

    _, path = install(shell=shell, prog_name=_PROG, complete_var=_COMPLETE_VAR)
    typer.echo(f"{shell} completion installed in {path}")
    typer.echo("Completion will take effect once you restart the terminal")


def _show(shell: str) -> None:
    from typer._completion_shared import get_completion_script

    typer.echo(get_completion_script(prog_name=_PROG, complete_var=_COMPLETE_VAR, shell=shell))
