"""Tables and charts for people. The only module that imports Rich.

A table is laid out here, in cells (a CJK character is two): where its text may break, how wide
each column gets, and which long columns leave it to be shown under their row.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from typing import Any, Literal, TextIO

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from dzcli.model.text import visible
from dzcli.output import pager
from dzcli.output.views import Listing, Reading, View, name, number, shown_columns, signed_pct

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
    # Rich would refuse colour on TERM=dumb even when FORCE_COLOR asks for it.
    colors: Literal["standard", "auto"] = "standard" if os.environ.get("TERM") == "dumb" else "auto"
    return Console(
        file=sys.stdout if file is None else file,
        # Without colour Rich writes no escape sequence at all (no bold either).
        force_terminal=colored,
        color_system=colors if colored else None,
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


# --- where text may break ---------------------------------------------------------------------

# A piece of a cell that is never broken (unless it alone is wider than its column), with what
# separates it from the piece before: " " (a space, dropped where a line breaks) or "" (a break
# between Chinese characters, as Chinese typesetting allows).
Piece = tuple[str, str]

# A number as dz prints it: signed, approximate (≈), above a threshold (>), a percentage.
_NUMBER = re.compile(r"^[(（]?[≈>≥~+\-−]?\d[\d.,]*%?$")  # noqa: RUF001 - Chinese text
# What follows a number and belongs to it: a Chinese unit (亿元, 个, 万平方米), or these words.
_UNIT_WORDS = frozenset({"%", "pp", "class", "CNY", "USD"})
# A line never starts with closing punctuation nor ends with opening punctuation.
_CLOSING = frozenset(")]}>,.;:!?%、。，；：！？）】」』》”’·")  # noqa: RUF001 - Chinese text
_OPENING = frozenset("([{<（【「『《“‘")  # noqa: RUF001


def _wide(char: str) -> bool:
    return cell_len(char) == 2


def _is_unit(word: str) -> bool:
    return word in _UNIT_WORDS or (bool(word) and _wide(word[0])) or word.rstrip(";,.)") == "%"


def pieces(text: str, rigid: bool = False) -> list[Piece]:
    """`text` cut where a line may break: at spaces, and between Chinese characters. A number
    keeps its unit; a `rigid` text (an id, a period) is one piece."""
    if rigid:
        return [(text, "")] if text else []
    words = [word for word in text.split(" ") if word]
    out: list[Piece] = []
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if _NUMBER.match(word) and index < len(words) and _is_unit(words[index]):
            word += " " + words[index]
            index += 1
            if index < len(words) and words[index] in ("class", "class;"):
                word += " " + words[index]  # a tier: "300 亿元 class"
                index += 1
            parts = [word]
        else:
            parts = _cjk_parts(word)
        out.append((parts[0], " " if out else ""))
        out.extend((part, "") for part in parts[1:])
    return out


def _cjk_parts(word: str) -> list[str]:
    """A word without spaces cut between Chinese characters, keeping a number with its unit
    (105.6亿元, 2021年) and punctuation with the character it belongs to."""
    parts = [word[:1]]
    for before, char in pairwise(word):
        if _may_break(before, char):
            parts.append(char)
        else:
            parts[-1] += char
    return parts


def _may_break(before: str, char: str) -> bool:
    if char in _CLOSING or before in _OPENING:
        return False
    if before.isascii() and before.isalnum():
        return False  # 105.6亿元, 2021年, a Latin word followed by Chinese
    return _wide(before) or _wide(char)


def heading_pieces(heading: str) -> list[Piece]:
    """A heading cut at its spaces only."""
    return [(word, " " if index else "") for index, word in enumerate(heading.split(" ")) if word]


def wrap(items: Sequence[Piece], width: int) -> list[str]:
    """The pieces as lines at most `width` cells wide, breaking only between pieces; a piece wider
    than the width alone is folded, as the last resort."""
    lines: list[str] = []
    line = ""
    for text, glue in items:
        candidate = line + glue + text if line else text
        if cell_len(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for char in text:  # only a piece wider than the column gets here folded
            if cell_len(line + char) > width and line:
                lines.append(line)
                line = ""
            line += char
    lines.append(line)
    return lines


# --- how wide each column gets ----------------------------------------------------------------

FRAME = 3  # each column's border and padding; the table has one border more
FOLD = 2  # the narrowest a column gets: a Chinese character
COMFORT = 24  # what a text column gets whole, if it needs no more, before others share the rest
ROOM = 10  # what a text column keeps (if it needs that much) before any id or number folds


@dataclass(frozen=True)
class Cells:
    """A column's cells, cut where they may break, with its widths."""

    heading: str
    texts: list[str]
    indents: list[int]  # cells of indent before each cell's lines (a sub-park's name)
    rigid: bool  # ids, periods, numbers: kept on one line while the others have room
    atomic: bool = False  # ids and periods: never broken but where the column is narrower
    listed: bool = False  # items joined by "; ", each on a line of its own under its row

    def items(self, row: int) -> list[list[Piece]]:
        """The row's cell as its items (one, unless the column is `listed`), cut to wrap."""
        if not self.listed:
            return [self.cut[row]]
        return [pieces(item) for item in self.texts[row].split("; ") if item]

    @cached_property
    def cut(self) -> list[list[Piece]]:
        return [pieces(text, self.atomic) for text in self.texts]

    @cached_property
    def _one_line(self) -> list[int]:
        """Each cell's width on one line, with its indent."""
        return [cell_len(t) + i for t, i in zip(self.texts, self.indents, strict=True)]

    @property
    def natural(self) -> int:
        """The width that shows every cell on one line."""
        return max([cell_len(self.heading), *self._one_line])

    @property
    def snug(self) -> int:
        """The width that shows every cell on one line, its heading wrapped if need be."""
        return max([*self._one_line, self.heading_least])

    @property
    def least(self) -> int:
        """The width that breaks no piece: the widest id, number with its unit, word."""
        widest = [
            cell_len(text) + indent
            for cell, indent in zip(self.cut, self.indents, strict=True)
            for text, _ in cell
        ]
        return max([1, *widest, self.heading_least])

    @property
    def heading_least(self) -> int:
        """A heading breaks only at its spaces: 数值 stays whole."""
        return max(cell_len(word) for word in [*self.heading.split(" "), ""])

    def lines(self, row: int, width: int) -> list[str]:
        """The row's cell as lines at most `width` cells wide, indented as it is."""
        indent = min(self.indents[row], max(0, width - FOLD))
        return [" " * indent + line for line in wrap(self.cut[row], width - indent)]


def allot(columns: Sequence[Cells], room: int) -> list[int]:
    """Column widths that fit `room` cells (without the frame): each column its natural width if
    all fit, else at least its least width, the rest shared in proportion to what each needs;
    a column of ids or numbers keeps its natural width while the others can give way."""
    natural = [c.natural for c in columns]
    if sum(natural) <= room:
        return natural
    # Each text column first gets what a short text needs whole (a name), up to COMFORT.
    widths = [c.snug if c.rigid else min(c.natural, max(c.least, COMFORT)) for c in columns]
    # Too little room even so: the text columns wrap narrower, down to ROOM; then the ids and
    # numbers fold; then the text columns fold too, down to two cells (a Chinese character).
    text = [i for i, c in enumerate(columns) if not c.rigid]
    for may_fold, floor in ((text, ROOM), (range(len(columns)), FOLD), (text, FOLD)):
        _shrink(widths, list(may_fold), floor, room)
    spare = room - sum(widths)
    while spare > 0:
        needy = [i for i in range(len(widths)) if widths[i] < natural[i]]
        if not needy:
            break
        total = sum(natural[i] - widths[i] for i in needy)
        given = 0
        for i in needy:
            share = max(1, (natural[i] - widths[i]) * spare // total)
            share = min(share, natural[i] - widths[i], spare - given)
            widths[i] += share
            given += share
        spare -= given
        if given == 0:
            break
    return widths


def _shrink(widths: list[int], which: list[int], floor: int, room: int) -> None:
    """Narrow the widest of `which` columns, one after another, down to `floor` cells at the
    least, until the widths fit `room`."""
    while sum(widths) > room:
        over = [i for i in which if widths[i] > floor]
        if not over:
            return
        widest = max(over, key=lambda i: widths[i])
        widths[widest] = max(floor, widths[widest] - (sum(widths) - room))


# --- tables -----------------------------------------------------------------------------------


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
    def sized(self) -> list[tuple[int, int]]:
        """Each column drawn as a column, with its width."""
        return list(zip(self.inside, self.widths, strict=True))

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
        spare = room - sum(widths)
        if under and spare > 0:
            # The lines under a row take the whole width, so the columns may as well: the room
            # left goes to the first column that wraps (a name), else to the last one.
            text = [at for at, i in enumerate(inside) if not columns[i].rigid]
            widths[text[0] if text else -1] += spare
        plan = _Plan(inside, widths, under)
        score = (_count_lines(columns, plan), len(under))
        if best is None or score < best[:2]:
            best = (*score, plan)
    assert best is not None
    return best[2]


def _count_lines(columns: list[Cells], plan: _Plan) -> int:
    total = 4 + max(len(wrap(heading_pieces(columns[i].heading), w)) for i, w in plan.sized)
    for row in range(len(columns[0].texts)):
        total += max(len(columns[i].lines(row, w)) for i, w in plan.sized)
        total += len(_under_lines(columns, plan.under, row, plan.inner))
    return total


# A line under its row: indented, its label first; the lines after it indented further. Short
# cells share a line, apart; a further item of a listed cell is indented under the first one.
_UNDER_INDENT = "  "
_UNDER_HANG = "    "
_SEPARATOR = "   "
_ITEM = "  "


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


def _draw(view: View, columns: list[Cells], plan: _Plan, rows: list[int]) -> list[Text]:
    """The table as lines: its header, each row (with its long cells under it), its foot."""
    bar = ["━" * (w + 2) for w in plan.widths]
    out = [Text("┏" + "┳".join(bar) + "┓")]
    headings = [wrap(heading_pieces(columns[i].heading), w) for i, w in plan.sized]
    out += _lines(view, plan, headings, "┃", lambda _i: "bold")
    out.append(Text("┡" + "╇".join(bar) + "┩"))
    for row in rows:
        cells = [columns[i].lines(row, w) for i, w in plan.sized]
        styles = [
            _tone(columns[i].texts[row]) if c.signed else "" for i, c in enumerate(view.columns)
        ]
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
        for (i, width), cell in zip(plan.sized, cells, strict=True):
            shown = cell[depth] if depth < len(cell) else ""
            pad = " " * max(0, width - cell_len(shown))
            text.append(" ")
            text.append(pad + shown if view.columns[i].numeric else shown + pad, style=style(i))
            text.append(" " + border)
        out.append(text)
    return out


def _tone(text: str) -> str:
    return "green" if text.startswith("+") else "red" if text.startswith("-") else ""


# --- charts ----------------------------------------------------------------------------------

BAR = 24  # cells for the longest bar on each side of zero
SHARE_BAR = 20  # cells for 100%
GAP = "  "


def print_chart(listing: Listing, reading: Reading, color: bool | None = None) -> None:
    """Growth rates as bars from a zero line (negative to the left), shares as filled bars."""
    rates = [row for row in listing.rows if _is_number(row.get("yoy_pct"))]
    shares = [row for row in listing.rows if _is_number(row.get("share_pct"))]
    with pager.paged() as out:
        console = make_console(color, out)
        if not rates and not shares:
            console.print(Text(listing.view.empty(reading.lang)))
            return
        if rates:
            console.print(Text(reading.pick("同比增速", "Growth rates"), style="bold"))
            _print_lines(console, _rate_lines(rates, reading))
        if shares:
            if rates:
                console.print()
            console.print(Text(reading.pick("占比", "Shares"), style="bold"))
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
        for at in range(1, max(len(folded), len(tail))):
            more = Text()
            more.append_text(folded[at] if at < len(folded) else Text(""))
            if at < len(tail):
                more.append(" " * (label_width - more.cell_len + rest))
                more.append(tail[at])
            more.rstrip()
            console.print(more, soft_wrap=True)


def _chart_lines(
    rows: list[Row],
    reading: Reading,
    headings: tuple[tuple[str, str, bool], ...],
    cells: Callable[[Row], list[tuple[Text, bool]]],
) -> list[ChartLine]:
    """A chart's heading, then a line a row: its indicator, period, and `cells` after them
    (headed by the (English, 中文, right-aligned) `headings`)."""
    lines: list[ChartLine] = [
        (
            reading.pick("指标", "Indicator"),
            [
                (Text(reading.pick(zh, en), style="bold"), right)
                for en, zh, right in (("Period", "时期", False), *headings)
            ],
        )
    ]
    for row in rows:
        label = name(row, reading)
        if row.get("kind") == "derived":
            label += reading.pick(" (推算)", " (derived)")
        period = Text(visible(str(row.get("period") or ""), keep_tabs=True))
        lines.append((visible(label, keep_tabs=True), [(period, False), *cells(row)]))
    return lines


def _rate_lines(rows: list[Row], reading: Reading) -> list[ChartLine]:
    rates = [float(row["yoy_pct"]) for row in rows]
    widest = max(abs(rate) for rate in rates) or 1.0
    left = BAR if min(rates) < 0 else 0

    def cells(row: Row) -> list[tuple[Text, bool]]:
        rate = float(row["yoy_pct"])
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
        return [(Text(pct, _tone(pct)), True), (bar, False)]

    return _chart_lines(rows, reading, (("YoY", "同比", True), ("", "", False)), cells)


def _share_lines(rows: list[Row], reading: Reading) -> list[ChartLine]:
    def cells(row: Row) -> list[tuple[Text, bool]]:
        filled = round(min(max(float(row["share_pct"]), 0.0), 100.0) / 100 * SHARE_BAR)
        bar = Text()
        bar.append("█" * filled, style="cyan")
        bar.append("░" * (SHARE_BAR - filled), style="dim")
        whole = Text(visible(reading.name_of(row.get("share_of")), keep_tabs=True))
        return [(Text(f"{number(row['share_pct'])}%"), True), (bar, False), (whole, False)]

    headings = (("Share", "占比", True), ("", "", False), ("Of", "所占总量", False))
    return _chart_lines(rows, reading, headings, cells)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
