"""The text `dz search` looks for words in: a part of the index (`dzcli.read.cache`), made at
the first search after a change.

A search folds what it compares (`dzcli.model.matching.fold`: NFKC, then case folding), so the
part holds each record's texts folded (`dzcli.queries.search`), in a table of the record's
table's name (rowid for rowid). Most need little folding: where a text holds only ASCII and the
CJK ideographs U+4000 to U+9FFF, which NFKC and case folding leave alone, its folded text is its
ASCII letters in lower case.

Folding in Python is slow for Chinese text: a text with one full-width comma or bracket takes
CPython's slow NFKC path, 30 to 40 µs a record, minutes for a million statistics. For a big
store the texts are folded character by character instead, which gives the same text wherever
no character depends on its neighbours to fold (no combining mark, no Hangul jamo, nothing
outside the Basic Multilingual Plane: NFKC composes only those): ASCII letters are lowered in
the text's bytes, and one regular expression finds the few other characters that fold into
something else, and any that would need their neighbours, in one pass in C. A text that has
one of those is folded whole. A test holds the two to one answer.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from dzcli.model.matching import fold

# UTF-8: ASCII, continuation bytes, and the lead bytes of U+4000 to U+9FFF (E4 to E9).
_PLAIN_BYTES = bytes(range(0xC0)) + bytes(range(0xE4, 0xEA))


def folded(text: str, many: bool = False) -> str:
    """`text` folded as a search folds what it compares (`fold`). `many`: one of many texts (a
    big store's), folded character by character where that gives the same text."""
    raw = text.encode("utf-8", "surrogatepass")
    if not raw.translate(None, _PLAIN_BYTES):
        return raw.translate(_LOWER_ASCII).decode()
    if many:
        alone, special = _by_character()
        try:  # a character that needs its neighbours is in `special` but not in `alone`
            return special.sub(lambda m: alone[m.group()], raw.translate(_LOWER_ASCII).decode())
        except (KeyError, UnicodeDecodeError):
            pass
    return fold(text)


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
