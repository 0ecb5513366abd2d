"""Colour only on a terminal: off with --no-color, NO_COLOR or TERM=dumb, forced by FORCE_COLOR."""

from __future__ import annotations

import re

import pytest
from helpers import on_a_terminal
from typer.testing import CliRunner

from dzcli.cli import app
from dzcli.output.rich_table import wants_color

runner = CliRunner()
ESC = "\x1b["


@pytest.mark.parametrize(
    ("flag", "environ", "terminal", "expected"),
    [
        (None, {}, True, True),
        (None, {}, False, False),
        (None, {"NO_COLOR": "1"}, True, False),
        (None, {"NO_COLOR": ""}, True, True),  # NO_COLOR counts only when not empty
        (None, {"TERM": "dumb"}, True, False),
        (None, {"TERM": "xterm-256color"}, True, True),
        (None, {"FORCE_COLOR": "1"}, False, True),
        (None, {"FORCE_COLOR": ""}, False, False),
        (None, {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),  # NO_COLOR wins
        (None, {"FORCE_COLOR": "1", "TERM": "dumb"}, False, True),  # as CPython decides
        (False, {"FORCE_COLOR": "1"}, True, False),  # --no-color wins over everything
    ],
)
def test_the_colour_decision(
    flag: bool | None, environ: dict[str, str], terminal: bool, expected: bool
) -> None:
    assert wants_color(flag, environ, terminal) is expected


@pytest.mark.parametrize("args", [["stats", "2021"], ["growth", "--chart"], ["projects"]])
def test_piped_output_has_no_escape_sequences(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert ESC not in result.stdout


@pytest.mark.parametrize(
    ("env", "extra", "coloured"),
    [
        ({"FORCE_COLOR": "1"}, [], True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, [], False),
        ({"FORCE_COLOR": "1"}, ["--no-color"], False),
        ({"FORCE_COLOR": "1", "TERM": "dumb"}, [], True),
        ({"NO_COLOR": "1"}, [], False),
        ({"TERM": "dumb"}, [], False),
    ],
)
def test_force_color_colours_a_pipe_unless_told_not_to(
    env: dict[str, str], extra: list[str], coloured: bool
) -> None:
    result = runner.invoke(app, ["growth", *extra], env=env)
    assert result.exit_code == 0
    assert (ESC in result.stdout) is coloured
    if coloured:
        assert "\x1b[1mYear-over-year growth\x1b[0m" in result.stdout  # the title in bold
        assert re.search(r"\x1b\[32m *\+8\.6%", result.stdout)  # a rise in green
        # Laid out as a plain pipe is: colour changes no character.
        plain = runner.invoke(app, ["growth"], env={"NO_COLOR": "1"}).stdout
        assert re.sub(r"\x1b\[[0-9;]*m", "", result.stdout) == plain


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv", "md"])
def test_machine_formats_are_never_coloured(fmt: str) -> None:
    result = runner.invoke(app, ["stats", "2021", "--format", fmt], env={"FORCE_COLOR": "1"})
    assert ESC not in result.stdout


@pytest.mark.slow  # runs the installed dz on a pseudo-terminal
@pytest.mark.parametrize(
    ("env", "extra", "coloured"),
    [
        ({}, [], True),
        ({"NO_COLOR": "1"}, [], False),
        ({"TERM": "dumb"}, [], False),
        ({}, ["--no-color"], False),
    ],
)
def test_on_a_terminal_colour_is_on_unless_turned_off(
    env: dict[str, str], extra: list[str], coloured: bool
) -> None:
    shown = on_a_terminal(
        "stats", "2021", *extra, env={"TERM": "xterm-256color", "COLUMNS": "200", **env}
    )
    assert "Gross regional product" in shown
    assert (ESC in shown) is coloured
