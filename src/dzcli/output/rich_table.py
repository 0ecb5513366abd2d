"""Tables and charts for people. The only module that imports Rich."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from dzcli.model.text import visible
from dzcli.output import pager
from dzcli.output.layout import FOLD, FRAME, Cells, allot, heading_pieces, pieces, wrap
from dzcli.output.views import Listing, Reading, View, number, shown_columns, signed_pct

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


def make_console(color: bool | None, file: TextIO | None = None) -> Console:
    """A console for this run, built from the terminal and the environment as they are now,
    writing to `file` (stdout, or what a pager will show on the terminal)."""
    terminal = sys.stdout.isatty()
    colored = wants_color(color, os.environ, terminal)
    return Console(
        file=sys.stdout if file is None else file,
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
        # Laid out for the terminal, or piped for COLUMNS, else the terminal the pipe is read
        # on (less, head), else 100; --wide lays tables out without a limit whatever this says.
        width=terminal_width(os.environ, _terminal_size() if terminal else _piped_width()),
        height=None if terminal else 25,  # with a width alone, TERM=dumb would still mean 80
        soft_wrap=False,
    )


# The widest terminal we believe in. A COLUMNS beyond it is a mistake, not a screen, and a
# table laid out for it would not wrap where the terminal does.
MAX_COLUMNS = 10_000
# What a terminal that says nothing usable about its width gets: the VT100's width.
FALLBACK_COLUMNS = 80
# The width of a table written to a file, or to a pipe with no terminal to read it on, when
# COLUMNS does not say: what a pager shows without -S.
PIPED_COLUMNS = 100


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


def _piped_width() -> int:
    """For a pipe (`dz parks | less`, `| head`): the width of the controlling terminal, where
    the table will be read, if there is one; for a file, or a pipe without one, PIPED_COLUMNS
    (a file is read anywhere, so its tables do not change with the terminal it was made on)."""
    try:
        if not stat.S_ISFIFO(os.fstat(sys.stdout.fileno()).st_mode):
            return PIPED_COLUMNS
        tty = os.open("/dev/tty", os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError):  # no descriptor (a test's stdout), or no controlling terminal
        return PIPED_COLUMNS
    try:
        return os.get_terminal_size(tty).columns or PIPED_COLUMNS
    except OSError:
        return PIPED_COLUMNS
    finally:
        os.close(tty)


def print_listing(
    listing: Listing, reading: Reading, color: bool | None = None, *, wide: bool = False
) -> None:
    with pager.paged() as out:
        draw_listing(make_console(color, out), listing, reading, wide=wide)


def draw_listing(
    console: Console, listing: Listing, reading: Reading, *, wide: bool = False
) -> None:
    """The listing's tables on `console`, each under its title, laid out for the console's width
    (`wide`: without a limit, one line per row)."""
    width = None if wide else console.width
    view, lang = shown_columns(listing.view, listing.rows), reading.lang
    if not listing.rows:
        console.print(Text(view.empty(lang)))
        return
    # One layout for every group's table, so that their columns line up.
    columns = _cells(view, listing.rows, reading)
    plan = _plan(view, columns, width)
    groups: dict[str, list[int]] = {}
    for index, row in enumerate(listing.rows):
        title = view.title(lang) if view.group is None else view.group(row, reading)
        groups.setdefault(title, []).append(index)
    for title, rows in groups.items():
        _print_wrapped(console, title, "bold", width)
        for line in _draw(view, columns, plan, rows):
            # Laid out already: Rich must neither wrap nor crop a line.
            console.print(line, soft_wrap=True)
    footnote = listing.note_for(lang)
    if footnote is not None:
        _print_wrapped(console, footnote, "dim", width)


def _print_wrapped(console: Console, text: str, style: str, width: int | None) -> None:
    shown = visible(text, keep_tabs=True)
    for line in [shown] if width is None else wrap(pieces(shown), width):
        console.print(Text(line, style=style), soft_wrap=True)


def narrowest(columns: int) -> int:
    """The width of the narrowest table of `columns` columns that shows every character."""
    return columns * (FRAME + FOLD) + 1


def _cells(view: View, rows: list[Row], reading: Reading) -> list[Cells]:
    """Each column's heading and cells as the reader reads them."""
    return [
        Cells(
            column.heading(reading.lang),
            [visible(column.cell(row, reading), keep_tabs=True) for row in rows],
            [2 * column.depth(row) if column.depth else 0 for row in rows],
            rigid=column.numeric or not column.wrap,
            atomic=not column.wrap,
            listed=column.listed,
        )
        for column in view.columns
    ]


@dataclass(frozen=True)
class _Plan:
    inside: list[int]  # the columns drawn as columns
    widths: list[int]  # their widths
    under: list[int]  # the long columns shown under each row as labelled lines

    @property
    def inner(self) -> int:
        """The width of a line under a row, inside the borders and padding."""
        return sum(self.widths) + FRAME * len(self.widths) - 3


def _plan(view: View, columns: list[Cells], width: int | None) -> _Plan:
    """The layout with the fewest lines (and of those, the fewest columns moved): every column
    inside, or some of the long ones (notes, roles, figures) under their rows."""
    everything = list(range(len(columns)))
    if width is None:
        return _Plan(everything, [c.natural for c in columns], [])
    long = [i for i, column in enumerate(view.columns) if column.long]
    # A long column with nothing in it goes under its rows, where it takes no line at all.
    empty = [i for i in long if all(text.strip() in ("", "—") for text in columns[i].texts)]
    long = [i for i in long if i not in empty]
    best: tuple[int, int, _Plan] | None = None
    # Every choice of long columns to move (a view has at most a few): 2^4 layouts to count.
    for mask in range(2 ** len(long)):
        under = sorted(empty + [i for bit, i in enumerate(long) if mask >> bit & 1])
        inside = [i for i in everything if i not in under]
        if not inside:
            continue
        room = width - FRAME * len(inside) - 1
        widths = allot([columns[i] for i in inside], room)
        if under:  # the lines under a row take the whole width: the columns may as well
            _widen(widths, [columns[i] for i in inside], room)
        plan = _Plan(inside, widths, under)
        score = (_count_lines(view, columns, plan), len(under))
        if best is None or score < best[:2]:
            best = (*score, plan)
    assert best is not None
    return best[2]


def _widen(widths: list[int], columns: list[Cells], room: int) -> None:
    """Give the spare room to the first column that wraps (a name), else the last one."""
    spare = room - sum(widths)
    if spare <= 0:
        return
    text = [i for i, column in enumerate(columns) if not column.rigid]
    widths[text[0] if text else -1] += spare


def _count_lines(view: View, columns: list[Cells], plan: _Plan) -> int:
    rows = len(columns[0].texts)
    total = 4 + max(len(wrap(heading_pieces(columns[i].heading), w)) for i, w in _sized(plan))
    for row in range(rows):
        total += max(len(columns[i].lines(row, w)) for i, w in _sized(plan))
        total += len(_under_lines(columns, plan.under, row, plan.inner))
    return total


def _sized(plan: _Plan) -> list[tuple[int, int]]:
    return list(zip(plan.inside, plan.widths, strict=True))


# A line under its row: indented, its label first; the lines after it indented further.
_UNDER_INDENT = "  "
_UNDER_HANG = "    "


def _under_lines(columns: list[Cells], under: list[int], row: int, inner: int) -> list[Text]:
    """The row's long cells under it, each after its column's heading as a label; short ones
    share a line while they fit."""
    room = max(FOLD, inner - len(_UNDER_HANG))
    labels: list[str] = []
    lines: list[str] = []
    joinable = False  # the last line holds short cells only
    for index in under:
        if columns[index].texts[row].strip() in ("", "—"):
            continue  # nothing to say: no line for it
        label = columns[index].heading + ":"
        labels.append(label)
        (first, _), *rest = columns[index].items(row)[0]
        segment = [(label, ""), (first, " "), *rest]
        if joinable:  # after short cells only: this one starts on their line
            last = lines.pop()
            segment = [(last, ""), (label, _SEPARATOR), *segment[1:]]
        wrapped = wrap(segment, room)
        for item in columns[index].items(row)[1:]:  # each further item on a line of its own
            wrapped += [_ITEM + line for line in wrap(item, room - len(_ITEM))]
        lines += wrapped
        joinable = len(wrapped) == 1
    out = []
    for index, line in enumerate(lines):
        text = Text(_UNDER_HANG if index and not line.startswith(tuple(labels)) else _UNDER_INDENT)
        text.append(line)
        text.highlight_words(labels, "bold")
        out.append(text)
    return out


_SEPARATOR = "   "
_ITEM = "  "  # a further item of a listed cell, under the first one


def _draw(view: View, columns: list[Cells], plan: _Plan, rows: list[int]) -> list[Text]:
    """The table as lines: its header, each row (with its long cells under it), its foot."""
    bar = ["━" * (w + 2) for w in plan.widths]
    out = [Text("┏" + "┳".join(bar) + "┓")]
    headings = [wrap(heading_pieces(columns[i].heading), w) for i, w in _sized(plan)]
    out += _lines(view, plan, headings, "┃", lambda _i: "bold")
    out.append(Text("┡" + "╇".join(bar) + "┩"))
    for row in rows:
        cells = [columns[i].lines(row, w) for i, w in _sized(plan)]
        styles = [_cell_style(view, columns, i, row) for i in range(len(columns))]
        out += _lines(view, plan, cells, "│", styles.__getitem__)
        for under in _under_lines(columns, plan.under, row, plan.inner):
            text = Text("│ ")
            text.append_text(under)
            text.append(" " * max(0, plan.inner - under.cell_len) + " │")
            out.append(text)
    out.append(Text("└" + "┴".join("─" * (w + 2) for w in plan.widths) + "┘"))
    return out


def _lines(
    view: View, plan: _Plan, cells: list[list[str]], border: str, style: Callable[[int], str]
) -> list[Text]:
    """One row of cells, each already broken into lines, side by side between borders."""
    out = []
    for depth in range(max(len(cell) for cell in cells)):
        text = Text(border)
        for (i, width), cell in zip(_sized(plan), cells, strict=True):
            shown = cell[depth] if depth < len(cell) else ""
            text.append(" ")
            text.append(_padded(shown, width, view.columns[i].numeric), style=style(i))
            text.append(" " + border)
        out.append(text)
    return out


def _cell_style(view: View, columns: list[Cells], index: int, row: int) -> str:
    return _tone(columns[index].texts[row]) if view.columns[index].signed else ""


def _padded(text: str, width: int, right: bool) -> str:
    pad = " " * max(0, width - cell_len(text))
    return pad + text if right else text + pad


def _tone(text: str) -> str:
    return "green" if text.startswith("+") else "red" if text.startswith("-") else ""


# --- charts ----------------------------------------------------------------------------------

BAR = 24  # cells for the longest bar on each side of zero
SHARE_BAR = 20  # cells for 100%
GAP = "  "


def print_chart(listing: Listing, reading: Reading, color: bool | None = None) -> None:
    """Growth rates as bars from a zero line (negative to the left), shares as filled bars."""
    with pager.paged() as out:
        _draw_chart(make_console(color, out), listing, reading)


def _draw_chart(console: Console, listing: Listing, reading: Reading) -> None:
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
        _print_lines(console, _share_lines(shares, reading), free_last=True)


# A chart line: the indicator (folded when the terminal is narrow), then cells, each with
# whether it is right-aligned. The first line of a chart is its heading.
ChartLine = tuple[str, list[tuple[Text, bool]]]


def _print_lines(console: Console, lines: list[ChartLine], free_last: bool = False) -> None:
    """The chart's lines in aligned columns. The label column folds when the terminal is narrow;
    with `free_last`, the last column is text that wraps in what room is left (a share's whole),
    its lines under one another."""
    label_width = max(cell_len(label) for label, _ in lines)
    widths = [
        max(cell_len(cells[i][0].plain) for _, cells in lines) for i in range(len(lines[0][1]))
    ]
    last = widths.pop() if free_last else 0
    rest = sum(widths) + len(GAP) * (len(widths) + (1 if free_last else 0))
    label_width = max(12, min(label_width, console.width - rest - min(last, 20)))
    last_width = max(FOLD, min(last, console.width - rest - label_width)) if free_last else 0
    for index, (label, cells) in enumerate(lines):
        style = "bold" if index == 0 else ""  # the first line is the heading
        folded = [Text(line, style) for line in wrap(pieces(label), label_width)]
        out = Text()
        out.append_text(folded[0])
        out.append(" " * (label_width - folded[0].cell_len))
        fixed = cells[:-1] if free_last else cells
        for (cell, right), width in zip(fixed, widths, strict=True):
            pad = " " * (width - cell.cell_len)
            out.append(GAP)
            out.append_text(Text(pad) + cell if right else cell + Text(pad))
        tail = [""]
        if free_last:
            tail = wrap(pieces(cells[-1][0].plain), last_width)
            out.append(GAP)
            out.append(tail[0], style=cells[-1][0].style)
        out.rstrip()
        console.print(out, soft_wrap=True)
        indent = " " * (label_width + rest)
        for at in range(1, max(len(folded), len(tail))):
            more = Text()
            more.append_text(folded[at] if at < len(folded) else Text(""))
            if at < len(tail):
                more.append(" " * (label_width - more.cell_len) + indent[label_width:])
                more.append(tail[at])
            more.rstrip()
            console.print(more, soft_wrap=True)


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
