"""Every command explains itself: help that leads with an example, and a place in the README."""

from __future__ import annotations

import pytest
from cli_commands import group_commands, leaf_commands
from helpers import DOCS, README, doc
from typer.testing import CliRunner

from dzcli.cli import app

runner = CliRunner()
COMMANDS = leaf_commands()


def test_the_app_has_the_core_commands() -> None:
    assert {
        "stats",
        "growth",
        "targets",
        "parks",
        "projects",
        "enterprises",
        "show",
        "search",
    } <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_leading_with_an_example(command: str) -> None:
    result = runner.invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    examples = lines.index("  Examples:") if "  Examples:" in lines else -1
    assert examples >= 0, f"{command} --help has no Examples block"
    assert lines[examples + 1].strip().startswith(f"dz {command}")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_appears_in_the_readme_and_the_docs(command: str) -> None:
    top = command.split()[0]
    assert f"dz {top}" in README.read_text(encoding="utf-8")
    assert any(f"dz {command}" in doc(page.name) for page in DOCS.glob("*.md"))


def test_the_groups_are_the_ones_that_add_register_and_export() -> None:
    assert group_commands() == ["add", "export", "source"]


@pytest.mark.parametrize("group", ["", *group_commands()])
def test_a_group_alone_prints_its_help_as_dz_alone_does(group: str) -> None:
    words = group.split()
    alone = runner.invoke(app, words)
    asked = runner.invoke(app, [*words, "--help"])
    assert (alone.exit_code, alone.stderr) == (0, "")
    assert alone.stdout == asked.stdout
    assert "\\n" not in alone.stdout
    assert alone.stdout.startswith(f"Usage: dz {group}".rstrip() + " [OPTIONS] COMMAND [ARGS]...")
