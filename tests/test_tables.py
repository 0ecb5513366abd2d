"""Tables for people: every cell whole at any terminal width, numbers as stored, one line per
row in a pipe, and the same placeholder for a missing value everywhere."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from helpers import on_a_terminal
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from dzcli.cli import app
from dzcli.model.text import visible
from dzcli.output import views
from dzcli.output.rich_table import draw_listing, narrowest
from dzcli.output.views import Column, Lang, Listing, Reading, View, number, shown_columns

runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


def drawn(listing: Listing, width: int, lang: Lang = Lang.en) -> str:
    """The listing's tables as a terminal `width` cells wide shows them."""
    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        height=25,
        color_system=None,
        force_terminal=False,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
    )
    draw_listing(console, listing, Reading(lang, listing.names))
    return out.getvalue()


Shown = tuple[list[str], list[str], str]


def columns_of(text: str, labels: list[str] | None = None) -> list[Shown]:
    """Each table's header and body, column by column, each column's lines joined without the
    whitespace a wrap may drop (what a reader gets by reading a column top to bottom), and the
    lines under the rows (long cells moved there, each after its `labels` heading) joined
    likewise."""
    tables: list[Shown] = []
    header: list[list[str]] = []
    body: list[list[str]] = []
    under: list[str] = []
    starts = tuple(f"│   {label}:" for label in labels or [])
    following = False  # the line before was under a row
    for line in text.splitlines():
        if line.startswith("┏"):
            header, body, under = [], [], []
        elif line.startswith("┃"):
            header.append(line.split("┃")[1:-1])
        elif line.startswith("│"):
            cells = line.split("│")[1:-1]
            spans = len(cells) != len(header[0])
            alone = len(header[0]) == 1  # a one-column table: only a label tells
            following = spans or (
                alone and (line.startswith(starts) or (following and line.startswith("│     ")))
            )
            if following:
                under.append("".join(line[1:-1].split()))
            else:
                body.append(cells)
        elif line.startswith("└"):
            tables.append((joined(header), joined(body), "".join(under)))
    return tables


def joined(lines: list[list[str]]) -> list[str]:
    return [
        "".join("".join(cell.split()) for cell in column) for column in zip(*lines, strict=True)
    ]


def expected_columns(listing: Listing, lang: Lang, shown: list[Shown]) -> list[Shown]:
    """What `shown` should hold: every cell of every row, in its column or under its row."""
    view, reading = shown_columns(listing.view, listing.rows), Reading(lang, listing.names)
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in listing.rows:
        groups.setdefault(view.group(row, reading) if view.group else "", []).append(row)

    def squeezed(column: Column, row: dict[str, Any], under: bool = False) -> str:
        text = visible(column.cell(row, reading), keep_tabs=True)
        if under and column.listed:  # each item on a line of its own, without the "; "
            text = "".join(text.split("; "))
        return "".join(text.split())

    out: list[Shown] = []
    for rows, (header, _body, _under) in zip(groups.values(), shown, strict=True):
        heads = ["".join(column.heading(lang).split()) for column in view.columns]
        inside = [
            column for column, head in zip(view.columns, heads, strict=True) if head in header
        ]
        moved = [column for column in view.columns if column not in inside]
        assert all(column.long for column in moved)
        out.append(
            (
                ["".join(column.heading(lang).split()) for column in inside],
                ["".join(squeezed(column, row) for row in rows) for column in inside],
                "".join(
                    "".join(column.heading(lang).split()) + ":" + squeezed(column, row, True)
                    for row in rows
                    for column in moved
                    if squeezed(column, row) not in ("", "—")  # nothing to say: no line
                ),
            )
        )
    return out


LISTINGS = [
    (views.STATS, ["stats", "2021"]),
    (views.GROWTH, ["growth"]),
    (views.TARGETS, ["targets"]),
    (views.PARKS, ["parks"]),
    (views.PROJECTS, ["projects"]),
    (views.ENTERPRISES, ["enterprises"]),
    (views.EVENTS, ["events"]),
    (views.SEARCH, ["search", "威讯"]),
]


@pytest.mark.parametrize(("view", "args"), LISTINGS, ids=[" ".join(a) for _, a in LISTINGS])
@pytest.mark.parametrize("width", [30, 40, 60, 80, 120])
@pytest.mark.parametrize("lang", [Lang.en, Lang.zh])
def test_a_narrow_terminal_wraps_cells_but_never_drops_one(
    view: View, args: list[str], width: int, lang: Lang
) -> None:
    listing = Listing(view, json.loads(run(*args, "--json")))
    text = drawn(listing, width, lang)
    shown = columns_of(text, [column.heading(lang) for column in view.columns])
    assert shown == expected_columns(listing, lang, shown)
    narrowest_table = narrowest(len(view.columns))  # 31 for growth's six columns
    assert max(cell_len(line) for line in text.splitlines()) <= max(width, narrowest_table)


def test_ids_and_numbers_stay_whole_while_the_text_columns_have_room() -> None:
    listing = Listing(views.STATS, json.loads(run("stats", "2021", "--json")))
    lines = drawn(listing, 80).splitlines()
    assert any("│ 2021   │ 1757.5 万美元 │       — │" in line for line in lines)
    # At 40 columns there is no such room: the value wraps, and is still all there.
    assert "1757.5万美元" in columns_of(drawn(listing, 40))[0][1][2]


def test_a_terminal_too_narrow_for_any_table_gets_one_as_narrow_as_it_can_be() -> None:
    listing = Listing(views.SEARCH, json.loads(run("search", "威讯", "--json")))
    text = drawn(listing, 10)
    shown = columns_of(text)
    assert shown == expected_columns(listing, Lang.en, shown)
    table = [line for line in text.splitlines() if line[0] in "┏┃┡│└"]
    # The long column went under its rows; the four left are as narrow as they can be.
    assert len(shown[0][0]) == 4
    assert {cell_len(line) for line in table} == {narrowest(4)} == {21}


# Printable ASCII and Chinese: one and two cells a character.
CELL_TEXT = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.sampled_from("中文数据亿元、。"),
    max_size=30,
)


@given(
    st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=6),
    st.data(),
    st.integers(min_value=1, max_value=100),
)
@settings(deadline=None)
def test_any_cells_at_any_width_are_all_shown(
    kinds: list[tuple[bool, bool]], data: st.DataObject, width: int
) -> None:
    columns = tuple(
        Column(f"C{i}", f"列{i}", views.text(f"c{i}"), numeric=numeric, wrap=wrap)
        for i, (numeric, wrap) in enumerate(kinds)
    )
    rows = data.draw(
        st.lists(
            st.fixed_dictionaries({f"c{i}": CELL_TEXT for i in range(len(columns))}),
            min_size=1,
            max_size=4,
        )
    )
    listing = Listing(View("stat", "T", "表", columns), rows)
    text = drawn(listing, width)
    shown = columns_of(text, [column.en for column in columns])
    assert shown == expected_columns(listing, Lang.en, shown)
    assert max(cell_len(line) for line in text.splitlines()) <= max(width, narrowest(len(columns)))


def terminal_of(columns: int, *args: str) -> str:
    """What a terminal `columns` wide shows of the installed dz's output."""
    shown = on_a_terminal(*args, "--no-color", env={"TERM": "xterm", "COLUMNS": str(columns)})
    return shown.replace("\r\n", "\n")


@pytest.mark.slow  # runs the installed dz on a pseudo-terminal
def test_a_40_column_terminal_shows_every_indicator_and_note() -> None:
    listing = Listing(views.STATS, json.loads(run("stats", "2021", "--json")))
    shown = terminal_of(40, "stats", "2021", "--lang", "en")
    [(header, body, under)] = columns_of(shown, [c.en for c in views.STATS.columns])
    assert header[0] == "Indicator" and "Notes" not in header  # the notes went under their rows
    assert body[0] == expected_columns(listing, Lang.en, [(header, body, under)])[0][1][0]
    assert "Grossregionalproduct" in body[0]
    assert "Notes:rank2inthecity" in under


# --- numbers as stored ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (12.3456789, "12.3456789"),
        (1.5e-08, "0.000000015"),
        (317.19, "317.19"),
        (3171900, "3171900"),
        (31_719_000_000, "31719000000"),
        (12.0, "12"),
        (-0.0, "0"),
        (-2.5, "-2.5"),
        (1e22, "10000000000000000000000"),
        (0.1 + 0.2, "0.30000000000000004"),  # what is stored, not what it should have been
    ],
)
def test_a_number_is_shown_as_stored_without_exponent_or_rounding(value: float, shown: str) -> None:
    assert number(value) == shown


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_shown_number_reads_back_as_the_same_float(value: float) -> None:
    text = number(value)
    assert "e" not in text and "," not in text
    assert float(text) == value


def with_stat(facts_db: Path, tmp_path: Path, **changes: Any) -> Path:
    data = json.loads(facts_db.read_text(encoding="utf-8"))
    gdp = next(r for r in data["stats"].values() if r["id"] == "gdp@2021")
    gdp.update(changes)
    store = tmp_path / "changed.json"
    store.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return store


def test_a_table_shows_every_digit_the_store_has(facts_db: Path, tmp_path: Path) -> None:
    store = with_stat(facts_db, tmp_path, value=12.3456789, base_value=1234567890)
    line = next(x for x in run("stats", "2021", "--db", str(store)).splitlines() if "Gross" in x)
    assert "│ 12.3456789 亿元 │" in line


def test_a_tiny_converted_amount_is_not_shown_as_zero(facts_db: Path, tmp_path: Path) -> None:
    store = with_stat(facts_db, tmp_path, value=1.5, unit="元", base_value=1.5)
    args = ["stats", "2021", "--metric", "gdp", "--db", str(store), "--unit", "亿元"]
    assert json.loads(run(*args, "--json"))[0]["value"] == 1.5e-08
    assert "│ 0.000000015 亿元 │" in run(*args)
    assert "| 0.000000015 亿元 |" in run(*args, "--format", "md")


# --- one line per row in a pipe -------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "escape"),
    [
        ("\n", "\\n"),
        ("\r", "\\r"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
        ("\u0085", "\\x85"),
        ("\x1b", "\\x1b"),
        ("\u202e", "\\u202e"),
    ],
)
def test_a_line_break_inside_a_cell_is_shown_not_obeyed(
    facts_db: Path, tmp_path: Path, char: str, escape: str
) -> None:
    assert visible(f"a{char}b") == f"a{escape}b"
    store = with_stat(facts_db, tmp_path, note=f"first{char}second")
    for args in (["stats", "2021"], ["show", "gdp@2021"]):
        text = run(*args, "--db", str(store), "--wide")  # one line per row
        lines = text.splitlines()
        assert len(lines) == len(run(*args, "--wide").splitlines())  # not one line more
        assert any(f"first{escape}second" in line for line in lines)


# --- dz show ------------------------------------------------------------------------------------


def test_show_marks_a_missing_value_as_other_tables_do() -> None:
    table = run("show", "gdp@2021")
    assert "│ share_pct      │ — " in table
    assert "null" not in table
    assert "| equivalent | — |" in run("show", "gdp@2021", "--format", "md")
