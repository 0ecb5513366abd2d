"""Which floats every JSON encoder dz uses spells alike, and rows that vouch for theirs.

dz's JSON is what the standard encoder writes (Python's `repr` of each float); for a big
output msgspec writes the same bytes faster (`dzcli.output.machine_json`), except for the
floats it spells its own way: those `repr` writes with an exponent (1e+16, 2.5e-05, 1e-07).
So msgspec's bytes are searched for such spellings, a pass over hundreds of megabytes for a
big store's `dz growth`. Rows that vouch for their floats spare that pass: a big store notes
once whether its file holds any float spelled otherwise (`text_alike`, kept in the read note),
and a query that derives floats of its own watches those (`Vouch.see`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import Any

# Python's repr writes a float without an exponent when 1e-4 <= |x| < 1e16; msgspec does
# too, in that range with the same shortest digits (tests/test_float_spelling.py).
_LOWEST, _BEYOND = 1e-4, 1e16


def alike(value: float) -> bool:
    """Whether `json` and msgspec write the float `value` with the same characters."""
    return value == 0.0 or _LOWEST <= abs(value) < _BEYOND  # False for NaN and infinities


# In JSON text, a number token that may read as a float outside that range: one with an
# exponent, one that starts 0.0000 (or -0.0000), or one with 16 digits or more before its
# point. Text in strings that merely looks so only means no vouch. Each search starts with a
# literal, which the regular expression engine skips to in C.
@functools.cache
def _searches() -> tuple[tuple[re.Pattern[bytes], ...], tuple[re.Pattern[bytes], ...]]:
    exponents = (re.compile(rb"e(?<=[0-9]e)[-+]?[0-9]"), re.compile(rb"E(?<=[0-9]E)[-+]?[0-9]"))
    outside = (
        re.compile(rb"\.0000(?<=0\.0000)(?<![0-9]0\.0000)"),
        re.compile(rb"\.(?<=[0-9]{16}\.)"),
    )
    return exponents, outside


_NUMBER_PART = frozenset(b"0123456789.")
_BEFORE_A_NUMBER = frozenset(b" \t\r\n:,[")


def text_alike(raw: bytes | memoryview) -> bool:
    """Whether every float the JSON text `raw` holds is one `alike` holds for (integers are
    written alike by both encoders). False may be a false alarm; True never is."""
    exponents, outside = _searches()
    if any(pattern.search(raw) for pattern in outside):
        return False
    text = bytes(raw) if isinstance(raw, memoryview) else raw
    return not any(
        _in_a_number(text, found.start())
        for pattern in exponents
        for found in pattern.finditer(text)
    )


def _in_a_number(text: bytes, at: int) -> bool:
    """Whether the exponent mark at `at` may end a number token's mantissa: before its digits
    and point comes a minus, or what JSON puts before a value, or nothing. Hashes and other
    text in strings ("9e1f…") have a letter there, and are passed over."""
    start = at
    while start > 0 and text[start - 1] in _NUMBER_PART:
        start -= 1
    if start > 0 and text[start - 1] == ord("-"):
        start -= 1
    return start == 0 or text[start - 1] in _BEFORE_A_NUMBER


class Vouch:
    """Whether every float of a query's rows, as far as they have been made, is `alike`: what
    the store vouches for its own, until the query derives one that is not."""

    def __init__(self, alike_so_far: bool) -> None:
        self.alike = alike_so_far

    def see(self, *values: Any) -> None:
        """Values the query made (not read from the store): a float among them that is not
        `alike` ends the vouch."""
        if self.alike:
            for value in values:
                if type(value) is float and not alike(value):
                    self.alike = False


class VouchedRows(Iterator[dict[str, Any]]):
    """Rows made one at a time, with the `Vouch` for the floats of those made so far; and, for
    a big listing, how to make the same rows as two halves, each on its own (the output may
    then make them at once, on two processors: `dzcli.halves`)."""

    def __init__(
        self,
        rows: Iterator[dict[str, Any]],
        vouch: Vouch,
        split: Callable[[], tuple[VouchedRows, VouchedRows]] | None = None,
    ) -> None:
        self._rows = rows
        self.vouch = vouch
        self.split = split

    def halves(self) -> tuple[VouchedRows, VouchedRows] | None:
        """The rows (none of them made yet) as a first and a second half, if they split."""
        return None if self.split is None else self.split()

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self._rows  # no call of __next__ here for each of a million rows

    def __next__(self) -> dict[str, Any]:
        return next(self._rows)
