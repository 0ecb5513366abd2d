"""Tables and charts for people. The only module that imports Rich."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from dzcli.model.text import visible
from dzcli.output.views import Column, Listing, Reading, View, number, signed_pct

Row = dict[str, Any]


def wants_color(flag: bool | None, environ: Mapping[str, str], terminal: bool) -> bool:
    """Whether to colour: --no-color, then NO_COLOR, then FORCE_COLOR, then TERM=dumb, then
    whether stdout is a terminal (the order CPython itself follows)."""
    if flag is not None:
        return flag
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    if environ.get("TERM") == "dumb":
        return False
    return terminal


def make_console(color: bool | None) -> Console:
    """A console for this run, built from the terminal and the environment as they are now."""
    terminal = sys.stdout.isatty()
    colored = wants_color(color, os.environ, terminal)
    return Console(
        file=sys.stdout,
        # Without colour Rich writes no escape sequence at all (no bold either).
        force_terminal=colored,
        # Rich would refuse colour on TERM=dumb even when FORCE_COLOR asks for it.
        color_system=None
        if not colored
        else "standard"
        if os.environ.get("TERM") == "dumb"
        else "auto",
        no_color=not colored,
        highlight=False,
        markup=False,
        emoji=False,
        # Piped tables keep every cell whole on one line, so grep and cut see whole records.
        width=terminal_width(os.environ, _terminal_size()) if terminal else 100_000,
        height=None if terminal else 25,  # with a width alone, TERM=dumb would still mean 80
        soft_wrap=False,
    )


# The widest terminal we believe in. A COLUMNS beyond it is a mistake, not a screen, and a
# table laid out for it would not wrap where the terminal does.
MAX_COLUMNS = 10_000
# What a terminal that says nothing usable about its width gets: the VT100's width.
FALLBACK_COLUMNS = 80


def terminal_width(environ: Mapping[str, str], measured: int) -> int:
    """The width to lay tables out in: COLUMNS if it is a usable width, else the terminal's
    own, else 80. Rich takes COLUMNS=0 at its word and prints nothing at all."""
    for width in (_int_or_zero(environ.get("COLUMNS", "")), measured):
        if 0 < width <= MAX_COLUMNS:
            return width
    return FALLBACK_COLUMNS


def _int_or_zero(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0


def _terminal_size() -> int:
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError):
        return 0


def print_listing(listing: Listing, reading: Reading, color: bool | None = None) -> None:
    draw_listing(make_console(color), listing, reading)


def draw_listing(console: Console, listing: Listing, reading: Reading) -> None:
    """The listing's tables on `console`, each under its title."""
    view, lang = listing.view, reading.lang
    if not listing.rows:
        console.print(Text(view.empty(lang)))
        return
    groups: dict[str, list[Row]] = {}
    for row in listing.rows:
        title = view.title(lang) if view.group is None else view.group(row, reading)
        groups.setdefault(title, []).append(row)
    for title, rows in groups.items():
        # The title is a line of its own rather than Table(title=…), which pads it to the
        # table's width with trailing spaces.
        console.print(Text(visible(title, keep_tabs=True), style="bold"))
        table = _table(view, rows, reading, console.width)
        # A terminal narrower than the narrowest table gets that table, and wraps its lines.
        console.print(table, crop=table.width is None)


# Each column takes a border and a cell of padding on each side; the table one more border.
_FRAME = 3
# The fewest cells a column wraps in: room for a character two cells wide, whatever the rounding
# of Rich's shares of the width.
_FOLD = 2
# What a wrapping column keeps at least (if it needs that much) before any id or number wraps.
_ROOM = 10


def narrowest(columns: int) -> int:
    """The width of the narrowest table of `columns` columns that shows every character."""
    return columns * (_FRAME + _FOLD) + 1


def _table(view: View, rows: list[Row], reading: Reading, width: int) -> Table:
    cells = [[_cell_text(column, row, reading) for column in view.columns] for row in rows]
    headings = [column.heading(reading.lang) for column in view.columns]
    whole = _kept_whole(view, headings, cells, width)
    narrowest_width = narrowest(len(view.columns))
    table = Table(header_style="bold", width=narrowest_width if width < narrowest_width else None)
    for index, (column, heading) in enumerate(zip(view.columns, headings, strict=True)):
        table.add_column(
            Text(heading),
            justify="right" if column.numeric else "left",
            overflow="fold",
            no_wrap=index in whole,
        )
    for texts in cells:
        table.add_row(
            *(
                Text(text, style=_tone(text) if column.signed else "")
                for column, text in zip(view.columns, texts, strict=True)
            )
        )
    return table


def _cell_text(column: Column, row: Row, reading: Reading) -> str:
    indent = "  " * column.depth(row) if column.depth else ""
    return indent + visible(column.cell(row, reading), keep_tabs=True)


def _kept_whole(view: View, headings: list[str], cells: list[list[str]], width: int) -> set[int]:
    """The columns kept on one line: ids and numbers, while the columns that wrap keep room.

    Rich shrinks only the columns that may wrap; with ids and numbers taking the whole width it
    would shrink the others to nothing and their text would vanish. So, widest first, an id or
    number that leaves the others too little room wraps (folds) with them instead.
    """
    natural = [
        max(cell_len(text) for text in [heading, *(row[index] for row in cells)])
        for index, heading in enumerate(headings)
    ]
    room = width - len(view.columns) * _FRAME - 1
    whole = {i for i, column in enumerate(view.columns) if column.numeric or not column.wrap}
    while whole:
        wrapping = sum(min(natural[i], _ROOM) for i in range(len(natural)) if i not in whole)
        if sum(natural[i] for i in whole) + wrapping <= room:
            break
        whole.remove(max(whole, key=lambda i: natural[i]))
    return whole


def _tone(text: str) -> str:
    return "green" if text.startswith("+") else "red" if text.startswith("-") else ""


# --- charts ----------------------------------------------------------------------------------

BAR = 24  # cells for the longest bar on each side of zero
SHARE_BAR = 20  # cells for 100%
GAP = "  "


def print_chart(listing: Listing, reading: Reading, color: bool | None = None) -> None:
    """Growth rates as bars from a zero line (negative to the left), shares as filled bars."""
    console = make_console(color)
    rates = [row for row in listing.rows if _is_number(row.get("yoy_pct"))]
    shares = [row for row in listing.rows if _is_number(row.get("share_pct"))]
    if not rates and not shares:
        console.print(Text(listing.view.empty(reading.lang)))
        return
    if rates:
        console.print(Text("同比增速" if reading.zh else "Growth rates", style="bold"))
        _print_lines(console, _rate_lines(rates, reading))
    if shares:
        if rates:
            console.print()
        console.print(Text("占比" if reading.zh else "Shares", style="bold"))
        _print_lines(console, _share_lines(shares, reading))


# A chart line: the indicator (folded when the terminal is narrow), then cells, each with
# whether it is right-aligned. The first line of a chart is its heading.
ChartLine = tuple[str, list[tuple[Text, bool]]]


def _print_lines(console: Console, lines: list[ChartLine]) -> None:
    label_width = max(cell_len(label) for label, _ in lines)
    widths = [
        max(cell_len(cells[i][0].plain) for _, cells in lines) for i in range(len(lines[0][1]))
    ]
    rest = sum(widths) + len(GAP) * len(widths)
    if console.is_terminal or sys.stdout.isatty():
        label_width = max(12, min(label_width, console.width - rest))
    for index, (label, cells) in enumerate(lines):
        style = "bold" if index == 0 else ""  # the first line is the heading
        folded = Text(label, style).wrap(console, label_width, overflow="fold") or [Text("")]
        out = Text()
        out.append_text(folded[0])
        out.append(" " * (label_width - folded[0].cell_len))
        for (cell, right), width in zip(cells, widths, strict=True):
            pad = " " * (width - cell.cell_len)
            out.append(GAP)
            out.append_text(Text(pad) + cell if right else cell + Text(pad))
        out.rstrip()
        console.print(out)
        for more in folded[1:]:
            console.print(more)


def _label(row: Row, reading: Reading) -> str:
    name = reading.pick(row.get("name_zh"), row.get("name_en")) or str(row.get("id") or "")
    if row.get("kind") == "derived":
        name += " (推算)" if reading.zh else " (derived)"
    return visible(name, keep_tabs=True)


def _heading(reading: Reading, *cells: tuple[str, str, bool]) -> ChartLine:
    first, *rest = cells
    return (
        first[1] if reading.zh else first[0],
        [(Text(zh if reading.zh else en, style="bold"), right) for en, zh, right in rest],
    )


def _rate_lines(rows: list[Row], reading: Reading) -> list[ChartLine]:
    rates = [float(row["yoy_pct"]) for row in rows]
    widest = max(abs(rate) for rate in rates) or 1.0
    left = BAR if min(rates) < 0 else 0
    lines = [
        _heading(
            reading,
            ("Indicator", "指标", False),
            ("Period", "时期", False),
            ("YoY", "同比", True),
            ("", "", False),
        )
    ]
    for row, rate in zip(rows, rates, strict=True):
        cells = max(1, round(abs(rate) / widest * BAR)) if rate else 0
        bar = Text()
        if rate < 0:
            bar.append(" " * (left - cells))
            bar.append("█" * cells, style="red")
            bar.append("│")
        else:
            bar.append(" " * left + "│")
            bar.append("█" * cells, style="green")
        pct = signed_pct(row["yoy_pct"])
        period = Text(visible(str(row.get("period") or ""), keep_tabs=True))
        lines.append(
            (_label(row, reading), [(period, False), (Text(pct, _tone(pct)), True), (bar, False)])
        )
    return lines


def _share_lines(rows: list[Row], reading: Reading) -> list[ChartLine]:
    lines = [
        _heading(
            reading,
            ("Indicator", "指标", False),
            ("Period", "时期", False),
            ("Share", "占比", True),
            ("", "", False),
            ("Of", "所占总量", False),
        )
    ]
    for row in rows:
        filled = round(min(max(float(row["share_pct"]), 0.0), 100.0) / 100 * SHARE_BAR)
        bar = Text()
        bar.append("█" * filled, style="cyan")
        bar.append("░" * (SHARE_BAR - filled), style="dim")
        lines.append(
            (
                _label(row, reading),
                [
                    (Text(visible(str(row.get("period") or ""), keep_tabs=True)), False),
                    (Text(f"{number(row['share_pct'])}%"), True),
                    (bar, False),
                    (Text(visible(reading.name_of(row.get("share_of")), keep_tabs=True)), False),
                ],
            )
        )
    return lines


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
