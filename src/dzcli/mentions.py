"""Which records of a big store may hold a text, found in their bytes, all at once.

`dz search` folds each text (`matching.fold`: NFKC, then case folding) before it compares.
Building and folding 250,000 records to find the few that hold a word takes seconds, so the
records still in raw bytes are first narrowed down in their bytes, a table at a time: a record
is kept if it may hold the folded word, and the search then builds and folds only those.

A record's bytes can stand for its folded text wherever folding changes nothing but ASCII case:
ASCII, and the CJK ideographs U+4000 to U+9FFF, are left as they are. Any other character is
looked at once per search: it is harmless if folding leaves it alone, or turns it into
characters the word does not contain, and it neither combines with its neighbours nor starts
with a mark that would. A record with any other character, or with a JSON escape (a backslash),
is always kept. So no record that holds the word is ever left out; a few that do not may be kept.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from itertools import accumulate
from typing import Any

from dzcli.model.matching import fold

# ASCII, UTF-8 continuation bytes, and the lead bytes E4 to E9 (U+4000 to U+9FFF).
_STABLE = bytes(range(0xC0)) + bytes(range(0xE4, 0xEA))
_HANGUL_JAMO = range(0x1100, 0x1200)  # vowels and final consonants compose with a syllable


_BATCH = 4096  # records joined at a time: a few MB, never a second copy of the store


def may_mention(bodies: Sequence[Any], folded: str) -> list[int]:
    """The indexes, in order, of the records (their JSON bytes) that may hold `folded`."""
    kept: list[int] = []
    verdicts: dict[bytes, bool] = {}
    for first in range(0, len(bodies), _BATCH):
        batch = bodies[first : first + _BATCH]
        found = _batch_may_mention(batch, folded, verdicts)
        kept.extend(first + index for index in sorted(found))
    return kept


def _batch_may_mention(bodies: Sequence[Any], folded: str, verdicts: dict[bytes, bool]) -> set[int]:
    blob = b"".join(bodies)
    ends = list(accumulate(map(len, bodies)))
    wanted = folded.encode("utf-8")
    haystack = blob.lower() if _has_ascii_letter(wanted) else blob
    kept = set(_holding(haystack, wanted, ends))
    kept.update(_holding(blob, b"\\", ends))
    kept.update(_with_unsure_characters(blob, ends, folded, verdicts))
    return kept


def _has_ascii_letter(text: bytes) -> bool:
    return text.lower() != text.upper()


def _holding(haystack: bytes, needle: bytes, ends: list[int]) -> Iterator[int]:
    """Each record in which `needle` starts, once."""
    position = haystack.find(needle)
    while position >= 0:
        record = bisect_right(ends, position)
        yield record
        position = haystack.find(needle, ends[record]) if record < len(ends) else -1


def _with_unsure_characters(
    blob: bytes, ends: list[int], folded: str, verdicts: dict[bytes, bool]
) -> Iterator[int]:
    """Each record with a character whose folding might make (or hide) a match of `folded`
    (`verdicts`: what is known of each character, by its bytes)."""
    for lead in set(blob.translate(None, _STABLE)):
        size = 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
        needle = bytes((lead,))
        position = blob.find(needle)
        while position >= 0:
            character = blob[position : position + size]
            harmless = verdicts.get(character)
            if harmless is None:
                harmless = verdicts[character] = _harmless(character, folded)
            if harmless:
                position = blob.find(needle, position + size)
                continue
            record = bisect_right(ends, position)
            yield record
            position = blob.find(needle, ends[record]) if record < len(ends) else -1


def _harmless(encoded: bytes, folded: str) -> bool:
    try:
        character = encoded.decode("utf-8")
    except UnicodeDecodeError:
        return False
    becomes = fold(character)
    if (
        unicodedata.category(character).startswith("M")
        or ord(character) in _HANGUL_JAMO
        or not becomes
        or unicodedata.combining(becomes[0])
    ):
        return False
    return becomes == character or not set(becomes) & set(folded)
