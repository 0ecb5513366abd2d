"""`--quiet`: no informational line on stderr, from dz and from every command; and the exit codes
every table of them lists."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TextIO, cast

import pytest
from cli_commands import leaf_commands
from helpers import README, doc
from typer.testing import CliRunner

from dzcli import process
from dzcli.cli import app
from dzcli.cli.application import EXIT_INTERNAL, EXIT_INTERRUPTED
from dzcli.model import errors

runner = CliRunner()


@pytest.mark.parametrize(
    "args",
    [["growth", "--limit", "1", "-q"], ["-q", "growth", "--limit", "1"], ["growth", "--quiet"]],
)
def test_quiet_leaves_out_the_count_of_rows_not_shown(args: list[str]) -> None:
    loud = runner.invoke(app, ["growth", "--limit", "1"] if "--limit" in args else ["growth"])
    quiet = runner.invoke(app, args)
    assert (quiet.exit_code, quiet.stderr) == (0, "")
    assert quiet.stdout == loud.stdout
    if "--limit" in args:
        assert "more rows not shown" in loud.stderr


def test_one_runs_quiet_is_not_the_next_ones() -> None:
    assert runner.invoke(app, ["events", "--limit", "1", "-q"]).stderr == ""
    assert "more rows not shown" in runner.invoke(app, ["events", "--limit", "1"]).stderr


def test_quiet_leaves_out_the_line_that_says_a_store_was_created(
    monkeypatch: pytest.MonkeyPatch, private_home: Path
) -> None:
    monkeypatch.delenv("DZ_DB")  # the first write makes the user's own store
    done = runner.invoke(app, ["prefer", "gdp@2021", "-q"])
    assert (done.exit_code, done.stderr) == (0, ""), done.output
    assert done.stdout == "preferred gdp@2021\n"
    assert (private_home / "dz" / "facts.json").is_file()  # $DZ_HOME/facts.json, made quietly


def test_without_quiet_the_first_write_says_where_the_store_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DZ_DB")
    done = runner.invoke(app, ["prefer", "gdp@2021"])
    assert re.fullmatch(
        r"dz: created your store \S+facts\.json from the shipped one\n", done.stderr
    )


def test_quiet_still_says_an_error() -> None:
    failed = runner.invoke(app, ["stats", "1999", "-q"])
    assert failed.exit_code == 1
    assert failed.stderr == "dz: error: no statistics for 1999 (available: 2021, 2022)\n"


class Terminal:
    def __init__(self) -> None:
        self.written: list[str] = []

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.written.append(text)
        return len(text)

    def flush(self) -> None:
        pass


def test_quiet_leaves_out_an_exports_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    from dzcli.export import files

    now = [100.0]
    monkeypatch.setattr(files.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(process, "quiet", True)
    stream = Terminal()
    progress = files.Progress("sqlite", stream=cast(TextIO, stream))
    now[0] += 5
    progress("stats", 250_000)
    progress.done()
    assert stream.written == []


@pytest.mark.parametrize("command", leaf_commands())
def test_every_command_takes_quiet(command: str) -> None:
    shown = runner.invoke(app, [*command.split(), "--help"]).stdout
    assert "-q, --quiet" in shown


def test_dz_itself_takes_quiet() -> None:
    assert "-q, --quiet" in runner.invoke(app, ["--help"]).stdout


# --- exit codes ------------------------------------------------------------------------------


def exit_codes_used() -> set[int]:
    """Every exit code dz may end with: success, usage, a bug, an interrupt, and each error's."""
    found = {0, 2, EXIT_INTERNAL, EXIT_INTERRUPTED}
    classes: list[type[errors.DzError]] = [errors.DzError]
    while classes:
        cls = classes.pop()
        found.add(cls.exit_code)
        classes.extend(cls.__subclasses__())
    return found


def exit_codes_listed(text: str) -> set[int]:
    section = text[text.index("## Exit codes") :]
    section = section[: section.find("\n## ", 1) if "\n## " in section[1:] else len(section)]
    return {int(code) for code in re.findall(r"^\| ([0-9]+) \|", section, re.MULTILINE)}


@pytest.mark.parametrize("page", ["README.md", "docs/commands.md"])
def test_every_exit_code_dz_uses_is_in_the_tables_and_no_other(page: str) -> None:
    text = README.read_text(encoding="utf-8") if page == "README.md" else doc("commands.md")
    assert exit_codes_listed(text) == exit_codes_used()
    assert 75 in exit_codes_used()
