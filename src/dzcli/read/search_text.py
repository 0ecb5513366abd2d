"""The text `dz search` looks for words in: a part of the index (`dzcli.read.cache`), made at
the first search after a change.

A search folds what it compares (`dzcli.model.matching.fold`: NFKC, then case folding), so the
part holds each record's row folded, in a table of the row's table's name (rowid for rowid).
Most rows need little folding: where a row holds only ASCII and the CJK ideographs U+4000 to
U+9FFF, which NFKC and case folding leave alone, its folded text is its ASCII letters in lower
case.

Folding in Python is slow for Chinese text: a row with one full-width comma or bracket takes
CPython's slow NFKC path, 30 to 40 µs a row, minutes for a million statistics. For a big store
the rows are folded character by character instead, which gives the same text wherever no
character of the row depends on its neighbours to fold (no combining mark, no Hangul jamo,
nothing outside the Basic Multilingual Plane: NFKC composes only those): ASCII letters are
lowered in the row's bytes, and one regular expression finds the few other characters that
fold into something else, and any that would need their neighbours, in one pass in C. A row
that has one of those is folded whole. A test holds the two to one answer.

The row is JSON: its keys, numbers and punctuation only add to what a word may be found in,
and a search checks every record it finds this way word by word (`dzcli.queries.search`).
"""

from __future__ import annotations

import functools
import re
import sqlite3
import unicodedata
from collections.abc import Iterable

from dzcli.model.matching import fold

# UTF-8: ASCII, continuation bytes, and the lead bytes of U+4000 to U+9FFF (E4 to E9).
_PLAIN_BYTES = bytes(range(0xC0)) + bytes(range(0xE4, 0xEA))


def fill(db: sqlite3.Connection, schema: str, tables: Iterable[str], many: bool) -> None:
    """The search part of an index, in `schema`: the folded text of each row of `tables`.
    `many`: rows of a big store (`folded`)."""
    for table in tables:
        db.execute(f'CREATE TABLE {schema}."{table}" (folded TEXT NOT NULL)')
        rows = db.execute(f'SELECT rowid, CAST(row AS BLOB) FROM main."{table}"')
        db.executemany(
            f'INSERT INTO {schema}."{table}" (rowid, folded) VALUES (?, ?)',
            (
                (rowid, folded(row, many) or row.translate(_LOWER_ASCII).decode())
                for rowid, row in rows
            ),
        )


def folded(row: bytes, many: bool = False) -> str | None:
    """`row` folded, where that is more than its ASCII in lower case; else None. `many`: one of
    many rows (a big store), folded character by character where that gives the same text."""
    if not row.translate(None, _PLAIN_BYTES):
        return None
    if many:
        alone, special = _by_character()
        try:  # a character that needs its neighbours is in `special` but not in `alone`
            return special.sub(lambda m: alone[m.group()], row.translate(_LOWER_ASCII).decode())
        except KeyError:
            pass
    return fold(row.decode("utf-8"))


_LOWER_ASCII = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")


def _alone(char: str) -> bool:
    """Whether a character folds (and what it folds into folds) without its neighbours."""
    code = ord(char)
    return not (
        unicodedata.combining(char)
        or unicodedata.category(char).startswith("M")
        # Conjoining Hangul jamo, which compose into syllables (compatibility jamo fold into
        # these, and so are caught by what they fold into)
        or 0x1100 <= code <= 0x11FF
    )


@functools.cache
def _by_character() -> tuple[dict[str, str], re.Pattern[str]]:
    """What each character beyond ASCII of the Basic Multilingual Plane folds into alone, where
    that differs from itself; and a pattern of those and of the characters that do not fold
    alone (made once, for a big store: a tenth of a second)."""
    alone: dict[str, str] = {}
    special: list[str] = []
    for code in range(0x80, 0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue  # surrogates: not in decoded text
        char = chr(code)
        alike = fold(char)
        if _alone(char) and all(_alone(part) for part in alike):
            if alike != char:
                alone[char] = alike
                special.append(char)
        else:
            special.append(char)
    escaped = "".join(re.escape(char) for char in special)
    return alone, re.compile(f"[{escaped}\U00010000-\U0010ffff]")


def searchable(word: str) -> bool:
    """Whether a folded word, as written in a row's JSON, is written as it is: not one that
    JSON escapes (a quote, a backslash, a control character), which the search then looks for
    in every record."""
    return '"' not in word and "\\" not in word and all(ord(char) >= 0x20 for char in word)
