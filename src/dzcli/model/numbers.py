"""What counts as a number: the one place every layer asks."""

from __future__ import annotations

import math
from typing import TypeGuard


def is_json_number(value: object) -> TypeGuard[int | float]:
    """A JSON number as parsed: an int or a float, not a bool (it may still be non-finite or
    too large for a float: arithmetic asks `is_number`)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_whole(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> TypeGuard[int | float]:
    """A number dz can do arithmetic with: not a bool, not NaN or infinite, and not an integer
    too large for a float (a store may hold one; it is shown, never computed with)."""
    if type(value) is float:  # the common case, first: a big store asks of every value
        return math.isfinite(value)
    if not is_json_number(value):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False
