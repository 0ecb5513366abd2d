"""The commands of the installed CLI, as a person types them: `stats`, `add stat`, …"""

from __future__ import annotations

from typing import Any

import typer

from dzcli.cli import app


def leaf_commands() -> list[str]:
    """Every command that runs (a group's subcommands, not the group), words joined by a space."""
    found: list[str] = []

    def walk(command: Any, words: list[str]) -> None:
        subcommands = getattr(command, "commands", None)  # a group (Typer vendors its click)
        if subcommands is not None:
            for name, sub in sorted(subcommands.items()):
                walk(sub, [*words, name])
        else:
            found.append(" ".join(words))

    walk(typer.main.get_command(app), [])
    return found


def group_commands() -> list[str]:
    """Every group of commands (`add`, `export`, `source`), which runs only a subcommand."""
    root = typer.main.get_command(app)
    return sorted(
        name for name, sub in getattr(root, "commands", {}).items() if hasattr(sub, "commands")
    )


# Commands that change a store or write files: their help examples are shown, not run.
WRITERS = ("add ", "source add", "prefer", "retract", "import", "export ", "edit", "undo")


def writes(command: str) -> bool:
    return any(command == w.strip() or command.startswith(w) for w in WRITERS)
