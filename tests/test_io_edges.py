"""Input and output at their edges: terminal widths, CSV quoting, --fields through a null,
a closed or full stderr, completion for a shell dz does not know, and the one text escaper."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from helpers import installed_dz, on_a_terminal
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from dzcli.cli import app
from dzcli.model.text import visible
from dzcli.output.fieldpaths import project
from dzcli.output.render import csv_line
from dzcli.output.rich_table import FALLBACK_COLUMNS, MAX_COLUMNS, terminal_width

runner = CliRunner()


def stdout_of(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def store_with_note(facts_db: Path, tmp_path: Path, note: str) -> Path:
    """The shipped store with `note` on gdp@2021 (a helper of this file: conftest is shared)."""
    data = json.loads(facts_db.read_text(encoding="utf-8"))
    gdp = next(r for r in data["stats"].values() if r["id"] == "gdp@2021")
    gdp["note"] = note
    store = tmp_path / "noted.json"
    store.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return store


# --- terminal width ----------------------------------------------------------------------------


@pytest.mark.parametrize("columns", ["0", "-5", "abc", "", "99999999", "1e3"])
@pytest.mark.slow
def test_an_unusable_columns_prints_the_table_at_a_sane_width(columns: str) -> None:
    # The pseudo-terminal reports no size of its own (0 by 0), so the sane width is 80.
    shown = on_a_terminal("stats", "2021", env={"COLUMNS": columns})
    assert "317.19" in shown  # GDP, in the table
    assert shown == on_a_terminal("stats", "2021", env={"COLUMNS": str(FALLBACK_COLUMNS)})


@pytest.mark.slow
def test_a_usable_columns_is_the_width_used() -> None:
    narrow = on_a_terminal("stats", "2021", env={"COLUMNS": "50", "NO_COLOR": "1"})
    assert max(len(line) for line in narrow.splitlines()) <= 50 + 1  # a line may end in \r
    assert narrow != on_a_terminal("stats", "2021", env={"COLUMNS": "80", "NO_COLOR": "1"})


@given(columns=st.text(max_size=12) | st.integers().map(str), measured=st.integers(-5, 10**9))
def test_the_width_is_always_one_a_table_can_be_laid_out_in(columns: str, measured: int) -> None:
    try:
        asked = int(columns)
    except ValueError:
        asked = 0
    width = terminal_width({"COLUMNS": columns}, measured)
    assert 1 <= width <= MAX_COLUMNS
    if 0 < asked <= MAX_COLUMNS:
        assert width == asked
    elif 0 < measured <= MAX_COLUMNS:
        assert width == measured
    else:
        assert width == FALLBACK_COLUMNS


# --- CSV ------------------------------------------------------------------------------------------


def test_python_csv_with_newline_line_ends_leaves_a_lone_carriage_return_bare() -> None:
    # Why dz quotes CSV cells itself: this is what the csv module would have written.
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(["a\rb", "c"])
    assert out.getvalue() == "a\rb,c\n"


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("a\rb", '"a\rb"'),
        ("a\nb", '"a\nb"'),
        ("a\r\nb", '"a\r\nb"'),
        ("a,b", '"a,b"'),
        ('say "hi"', '"say ""hi"""'),
        ("plain 文字", "plain 文字"),
        ("=1+1", "=1+1"),  # written as it is: see the README on spreadsheets
    ],
)
def test_a_csv_cell_is_quoted_exactly_when_rfc_4180_needs_it(cell: str, written: str) -> None:
    assert csv_line([cell, "x"]) == f"{written},x\n"


def test_one_empty_cell_is_not_an_empty_line() -> None:
    assert csv_line([""]) == '""\n'
    assert list(csv.reader(io.StringIO(csv_line([""])))) == [[""]]


@given(st.lists(st.lists(st.text(), min_size=1, max_size=4), min_size=1, max_size=4))
def test_any_cells_come_back_whole_from_a_csv_reader(rows: list[list[str]]) -> None:
    text = "".join(csv_line(row) for row in rows)
    assert list(csv.reader(io.StringIO(text, newline=""))) == rows


@pytest.mark.parametrize("note", ["first\rsecond", "first\nsecond", "a,b", 'a "b"', "x\r\n"])
def test_dz_csv_round_trips_a_note_with_a_line_break_or_quote(
    facts_db: Path, tmp_path: Path, note: str
) -> None:
    store = store_with_note(facts_db, tmp_path, note)
    result = runner.invoke(
        app, ["stats", "2021", "--db", str(store), "--format", "csv", "--fields", "id,note"]
    )
    assert result.exit_code == 0, result.output
    text = result.stdout_bytes.decode("utf-8")  # .stdout would turn \r\n into \n
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert ["gdp@2021", note] in rows
    assert all(len(row) == 2 for row in rows)


# --- --fields through a null -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "names", "picked"),
    [
        ({"equivalent": None}, ["equivalent.value"], {"equivalent": None}),
        ({}, ["equivalent.value"], {"equivalent": None}),
        ({"equivalent": None}, ["equivalent.value", "equivalent.unit"], {"equivalent": None}),
        ({"a": {"b": None}}, ["a.b.c"], {"a": {"b": None}}),
        ({"a": {"b": 1, "c": 2}}, ["a.b"], {"a": {"b": 1}}),
        ({"a": {"b": 1}, "d": 3}, ["d", "a.b"], {"d": 3, "a": {"b": 1}}),
    ],
)
def test_projecting_never_invents_an_object(
    row: dict[str, Any], names: list[str], picked: dict[str, Any]
) -> None:
    assert project(row, names) == picked


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_fields_under_a_null_object_are_null_in_json_and_jsonl(fmt: str) -> None:
    text = stdout_of("stats", "2021", "--format", fmt, "--fields", "id,equivalent.value")
    rows = json.loads(text) if fmt == "json" else [json.loads(line) for line in text.splitlines()]
    by_id = {row["id"]: row for row in rows}
    assert by_id["gdp@2021"] == {"id": "gdp@2021", "equivalent": None}
    # A row that has the object keeps it, cut down to the field asked for.
    assert by_id["services_trade_reported_amount@2021"]["equivalent"] == {"value": 11433.5}


# --- stderr closed or full -------------------------------------------------------------------


def run_dz(*args: str, stderr: Any, close_stderr: bool = False) -> subprocess.CompletedProcess[str]:
    command = [installed_dz(), *args]
    if close_stderr:  # as `dz … 2>&-` in a shell
        command = ["sh", "-c", 'exec "$@" 2>&-', "sh", *command]
    return subprocess.run(
        command, stdout=subprocess.PIPE, stderr=stderr, text=True, check=False, timeout=60
    )


@pytest.mark.parametrize(
    ("args", "code"),
    [(["stats", "20x1"], 2), (["stats", "--jsn"], 2), (["show", "no-such-record"], 1)],
)
@pytest.mark.slow
def test_the_exit_code_survives_a_closed_stderr(args: list[str], code: int) -> None:
    done = run_dz(*args, stderr=None, close_stderr=True)
    assert (done.returncode, done.stdout) == (code, "")


@pytest.mark.parametrize(
    ("args", "code"),
    [(["stats", "20x1"], 2), (["stats", "--jsn"], 2), (["show", "no-such-record"], 1)],
)
@pytest.mark.slow
def test_the_exit_code_survives_a_full_stderr(args: list[str], code: int) -> None:
    with open("/dev/full", "w") as full:
        done = run_dz(*args, stderr=full)
    assert (done.returncode, done.stdout) == (code, "")


@pytest.mark.slow
def test_a_usage_error_still_says_so_when_stderr_works() -> None:
    done = run_dz("stats", "20x1", stderr=subprocess.PIPE)
    assert done.returncode == 2
    assert done.stderr.startswith("dz: error: ") and done.stderr.count("\n") == 1


# --- completion for a shell dz does not know -------------------------------------------------


def tree(root: Path) -> dict[str, bytes | None]:
    """Every path under `root` with its bytes (None for a directory)."""
    return {
        str(path.relative_to(root)): None if path.is_dir() else path.read_bytes()
        for path in sorted(root.rglob("*"))
    }


def completion_run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    return subprocess.run(
        [installed_dz(), *args], capture_output=True, text=True, env=env, check=False, timeout=60
    )


@pytest.mark.parametrize(
    "args",
    [
        ["--install-completion", "fish2"],
        ["--install-completion", "nosuch"],
        ["--install-completion=nosuch"],
        ["--debug", "--install-completion", "stats"],
        ["--show-completion", "nosuch"],
    ],
)
@pytest.mark.slow
def test_an_unknown_shell_is_a_usage_error_that_changes_no_file(
    tmp_path: Path, args: list[str]
) -> None:
    (tmp_path / ".bashrc").write_text("# mine\n")
    (tmp_path / ".config").mkdir()
    before = tree(tmp_path)
    done = completion_run(tmp_path, *args)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("dz: error: --") and "unknown shell" in done.stderr
    assert done.stderr.count("\n") == 1
    assert tree(tmp_path) == before


@pytest.mark.slow
def test_a_named_shell_gets_its_completion_installed(tmp_path: Path) -> None:
    done = completion_run(tmp_path, "--install-completion", "bash")
    assert done.returncode == 0, done.stderr
    script = tmp_path / ".bash_completions" / "dz.sh"
    assert "_DZ_COMPLETE=complete_bash" in script.read_text()
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text()


@pytest.mark.slow
def test_a_named_shell_gets_its_script_shown(tmp_path: Path) -> None:
    done = completion_run(tmp_path, "--show-completion", "zsh")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("#compdef dz")
    assert tree(tmp_path) == {}


# --- the one text escaper --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "escape"),
    [
        ("\x1b", "\\x1b"),
        ("\x00", "\\x00"),
        ("\x7f", "\\x7f"),
        ("\x9b", "\\x9b"),  # C1: CSI on some terminals
        ("\n", "\\n"),
        ("\r", "\\r"),
        ("\x0b", "\\x0b"),
        ("\x85", "\\x85"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
        ("\u202e", "\\u202e"),
        ("\u2066", "\\u2066"),
        ("\u200e", "\\u200e"),
        ("\u061c", "\\u061c"),
        ("\u200b", "\\u200b"),  # zero-width space: hidden
        ("\ud800", "\\ud800"),  # lone surrogate: cannot even be written as UTF-8
        ("\U000e0041", "\\U000e0041"),  # tag character: hidden
    ],
)
def test_a_character_a_terminal_would_act_on_or_hide_is_escaped(char: str, escape: str) -> None:
    assert visible(f"a{char}b") == f"a{escape}b"
    assert visible(f"a{char}b", keep_tabs=True) == f"a{escape}b"


def test_a_tab_is_kept_in_a_table_and_escaped_in_a_line() -> None:
    assert visible("a\tb", keep_tabs=True) == "a\tb"
    assert visible("a\tb") == "a\\tb"


@pytest.mark.parametrize("text", ["德州 开发区", "a\u3000b", "a\u00a0b", "\ue000", "[bold]x\\"])
def test_visible_text_is_left_as_it_is(text: str) -> None:
    assert visible(text) == text


@given(st.text())
def test_nothing_escaped_can_act_or_hide(text: str) -> None:
    shown = visible(text)
    for char in shown:
        category = unicodedata.category(char)
        assert category not in ("Cc", "Cf", "Cs", "Zl", "Zp", "Cn"), repr(char)
    if text.isprintable():
        assert shown is text


@pytest.mark.slow
def test_an_error_line_shows_what_was_typed_escaped() -> None:
    done = run_dz("show", "a\x1b[31mb\u202ec", stderr=subprocess.PIPE)
    assert done.returncode == 1
    assert "\x1b" not in done.stderr and "\u202e" not in done.stderr
    assert "a\\x1b[31mb\\u202ec" in done.stderr
