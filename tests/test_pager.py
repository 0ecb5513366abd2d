"""Tables for a person at a terminal: piped into less or head, laid out for the terminal's width;
longer than the terminal, shown through a pager, as gh does."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import in_a_terminal, installed_dz
from rich.cells import cell_len

from dzcli.output import pager


def widths(text: str) -> set[int]:
    return {cell_len(line) for line in text.splitlines() if line.startswith(("┏", "│", "└"))}


def environment() -> dict[str, str]:
    """Ours, passed whole: GNU readline, once a library in this process has loaded it, sets
    COLUMNS in the environment a child would otherwise inherit, though not in os.environ."""
    return dict(os.environ)


def recorder(path: Path) -> str:
    """A pager that keeps what it is given in `path` (and shows nothing)."""
    keep = f"import sys; open({str(path)!r}, 'wb').write(sys.stdin.buffer.read())"
    return shlex.join([sys.executable, "-c", keep])


# --- which pager -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "words"),
    [
        ({}, ["less", "-FRX"]),
        ({"PAGER": "more -s"}, ["more", "-s"]),
        ({"DZ_PAGER": "most", "PAGER": "less"}, ["most"]),
        ({"DZ_PAGER": "", "PAGER": "less"}, None),
        ({"PAGER": ""}, None),
        ({"DZ_PAGER": "cat"}, None),
        ({"PAGER": "cat"}, None),
        ({"DZ_PAGER": "less -R 'unbalanced"}, None),
    ],
)
def test_the_pager_is_dz_pager_else_pager_else_less(
    environ: dict[str, str], words: list[str] | None
) -> None:
    assert pager.command(environ) == words


# --- on a terminal ---------------------------------------------------------------------------


@pytest.mark.slow
def test_a_table_longer_than_the_terminal_goes_through_the_pager(tmp_path: Path) -> None:
    kept = tmp_path / "paged"
    shown, _, errors = in_a_terminal(
        "enterprises", "--no-color", env={"DZ_PAGER": recorder(kept)}, rows=24
    )
    paged = kept.read_text(encoding="utf-8")
    assert "jianneng-group" in paged and len(paged.splitlines()) > 24
    assert "jianneng-group" not in shown  # the pager showed it, not dz
    assert widths(paged) == {80}  # laid out for the terminal, not for the pager's pipe
    assert errors == ""


@pytest.mark.slow
def test_a_table_that_fits_is_written_as_it_is(tmp_path: Path) -> None:
    kept = tmp_path / "paged"
    shown, _, _ = in_a_terminal(
        "stats", "2021", "--metric", "gdp", env={"DZ_PAGER": recorder(kept)}, rows=24
    )
    assert "317.19" in shown
    assert not kept.exists()


@pytest.mark.slow
@pytest.mark.parametrize("off", ["", "cat"])
def test_dz_pager_empty_or_cat_turns_the_pager_off(off: str, tmp_path: Path) -> None:
    kept = tmp_path / "paged"
    shown, _, _ = in_a_terminal(
        "enterprises", env={"DZ_PAGER": off, "PAGER": recorder(kept)}, rows=24
    )
    assert "jianneng-group" in shown
    assert not kept.exists()


@pytest.mark.slow
def test_a_pager_that_cannot_start_leaves_the_table_on_the_terminal(tmp_path: Path) -> None:
    shown, _, errors = in_a_terminal(
        "enterprises", env={"DZ_PAGER": str(tmp_path / "no-such-pager")}, rows=24
    )
    assert "jianneng-group" in shown and errors == ""


@pytest.mark.slow
def test_a_pager_quit_before_the_end_is_no_error() -> None:
    # `true` reads nothing and exits, as less does when q is pressed at once.
    _, _, errors = in_a_terminal("enterprises", "--limit", "0", env={"DZ_PAGER": "true"}, rows=5)
    assert errors == ""  # and in_a_terminal holds the exit status to 0


@pytest.mark.slow
def test_the_count_of_rows_not_shown_comes_after_the_pager(tmp_path: Path) -> None:
    kept = tmp_path / "paged"
    _, _, errors = in_a_terminal(
        "enterprises", "--limit", "3", env={"DZ_PAGER": recorder(kept)}, rows=5
    )
    assert "more rows not shown" in errors
    assert "more rows not shown" not in kept.read_text(encoding="utf-8")


# --- piped -----------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("columns", [60, 132])
def test_a_table_piped_is_laid_out_for_the_terminal_it_is_read_on(
    columns: int, tmp_path: Path
) -> None:
    kept = tmp_path / "paged"
    shown, carried, _ = in_a_terminal(
        "parks", env={"PAGER": recorder(kept)}, columns=columns, piped=True
    )
    assert widths(carried) == {columns}
    assert shown == "" and not kept.exists()  # never a pager for a pipe


@pytest.mark.slow
def test_columns_wins_over_the_terminal_for_a_pipe() -> None:
    _, carried, _ = in_a_terminal("parks", env={"COLUMNS": "70"}, columns=132, piped=True)
    assert widths(carried) == {70}


@pytest.mark.slow
def test_a_table_written_to_a_file_is_100_columns_whatever_the_terminal(tmp_path: Path) -> None:
    out = tmp_path / "parks.txt"
    with out.open("w") as file:
        subprocess.run([installed_dz(), "parks"], stdout=file, check=True, env=environment())
    assert widths(out.read_text(encoding="utf-8")) == {100}


@pytest.mark.slow
def test_a_pipe_without_a_terminal_is_100_columns() -> None:
    done = subprocess.run(
        [installed_dz(), "parks"],
        capture_output=True,
        text=True,
        check=True,
        env=environment(),
        start_new_session=True,  # no controlling terminal, as under cron or CI
    )
    assert widths(done.stdout) == {100}
