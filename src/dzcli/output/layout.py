"""How a table's cells share a width: where text may break, how wide each column gets, and which
long columns leave the table to be shown under their row.

Imported only by the table module (it measures with Rich's cell widths, a CJK character being
two cells). Pure: text in, widths and lines out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

from rich.cells import cell_len

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
    joined: list[tuple[str, bool]] = []  # a word, and whether it is a number with its unit
    index = 0
    while index < len(words):
        word = words[index]
        following = words[index + 1] if index + 1 < len(words) else ""
        if _NUMBER.match(word) and following and _is_unit(following):
            word += " " + following
            index += 1
            if index + 1 < len(words) and words[index + 1] in ("class", "class;"):
                word += " " + words[index + 1]  # a tier: "300 亿元 class"
                index += 1
            joined.append((word, True))
        else:
            joined.append((word, False))
        index += 1
    out: list[Piece] = []
    for word, whole in joined:
        parts = [word] if whole else _cjk_parts(word)
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

    @property
    def natural(self) -> int:
        """The width that shows every cell on one line."""
        widths = [cell_len(t) + i for t, i in zip(self.texts, self.indents, strict=True)]
        return max([cell_len(self.heading), *widths])

    @property
    def snug(self) -> int:
        """The width that shows every cell on one line, its heading wrapped if need be."""
        widths = [cell_len(t) + i for t, i in zip(self.texts, self.indents, strict=True)]
        return max([*widths, self.heading_least])

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


FRAME = 3  # each column's border and padding; the table has one border more
FOLD = 2  # the narrowest a column gets: a Chinese character
COMFORT = 24  # what a text column gets whole, if it needs no more, before others share the rest
ROOM = 10  # what a text column keeps (if it needs that much) before any id or number folds


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


def heading_pieces(heading: str) -> list[Piece]:
    """A heading cut at its spaces only."""
    return [(word, " " if index else "") for index, word in enumerate(heading.split(" ")) if word]


def height(cells: list[list[Piece]], width: int) -> list[int]:
    """How many lines each cell takes at `width`."""
    return [len(wrap(cell, width)) for cell in cells]
