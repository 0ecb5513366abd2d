"""The text `dz search` looks for words in, as the index holds it.

A search folds what it compares (`dzcli.model.matching.fold`: NFKC, then case folding), so the
index holds each record's row folded. Folding in Python costs seconds for a store of 250,000
statistics, and most rows do not need it: where a row holds only ASCII and the CJK ideographs
U+4000 to U+9FFF, which NFKC and case folding leave alone, its folded text is its ASCII letters
in lower case, which SQLite's `lower()` gives when a search runs. So only the other rows are
folded here, and `SEARCHED` reads the one or the other.

The row is JSON: its keys, numbers and punctuation only add to what a word may be found in,
and a search checks every record it finds this way word by word (`dzcli.queries.search`).
"""

from __future__ import annotations

from dzcli.model.matching import fold

# UTF-8: ASCII, continuation bytes, and the lead bytes of U+4000 to U+9FFF (E4 to E9).
_PLAIN_BYTES = bytes(range(0xC0)) + bytes(range(0xE4, 0xEA))

SEARCHED = "coalesce(folded, lower(row))"
"""The SQL expression of a record's folded text."""


def folded(row: bytes) -> str | None:
    """`row` folded, where `lower(row)` in SQLite is not the same; else None."""
    if not row.translate(None, _PLAIN_BYTES):
        return None
    return fold(row.decode("utf-8"))


def searchable(word: str) -> bool:
    """Whether a folded word, as written in a row's JSON, is written as it is: not one that
    JSON escapes (a quote, a backslash, a control character), which the search then looks for
    in every record."""
    return '"' not in word and "\\" not in word and all(ord(char) >= 0x20 for char in word)
