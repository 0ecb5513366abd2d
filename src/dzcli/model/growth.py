"""Growth arithmetic. Every value computed here is labelled derived, with its formula."""

from __future__ import annotations

import math
from typing import TypeGuard

IMPLIED_PREVIOUS = "value / (1 + yoy_pct / 100)"
COMPUTED_RATE = "(value / previous_value - 1) * 100"
REQUIRED_RATE = "((target / actual) ** (1 / years) - 1) * 100"

# Derived numbers are rounded so they do not claim more precision than their inputs.
VALUE_DIGITS = 2
RATE_DIGITS = 2


def implied_previous(value: float, yoy_pct: float) -> float:
    """The previous-period value a reported growth rate implies."""
    return round(value / (1 + yoy_pct / 100), VALUE_DIGITS)


def computed_rate(previous_value: float, value: float) -> float | None:
    """Growth in percent from two values; None when the base is zero."""
    if previous_value == 0:
        return None
    return round((value / previous_value - 1) * 100, RATE_DIGITS)


def required_rate(actual: float, target: float, years: int) -> float | None:
    """Average yearly growth in percent that takes `actual` to `target` in `years`."""
    if actual <= 0 or target < 0 or years <= 0:
        return None
    ratio: float = (target / actual) ** (1 / years)
    return round((ratio - 1) * 100, RATE_DIGITS)


def is_number(value: object) -> TypeGuard[int | float]:
    """A number dz can do arithmetic with: not a bool, not NaN or infinite, and not an integer
    too large for a float (a store may hold one; it is shown, never computed with)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False
