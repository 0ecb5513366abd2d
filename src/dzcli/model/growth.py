"""Growth arithmetic, each value labelled derived, with its formula. Each function returns
None where the answer is not a finite number (a zero base, an overflow): a derived value that
cannot be printed as JSON is no value at all."""

from __future__ import annotations

import math

IMPLIED_PREVIOUS = "value / (1 + yoy_pct / 100)"
COMPUTED_RATE = "(value / previous_value - 1) * 100"
REQUIRED_RATE = "((target / actual) ** (1 / years) - 1) * 100"
SHARE_PCT = "base_value / parent_base_value * 100"  # an area's share of the area it is in
# Each formula as a Chinese reader reads it, in the signs of school arithmetic (the minus and
# times signs are meant); the JSON's `formula` stays as above.
FORMULAS_ZH = {
    IMPLIED_PREVIOUS: "本期数值 ÷ (1 + 同比增速 ÷ 100)",
    COMPUTED_RATE: "(本期数值 ÷ 上期数值 − 1) × 100",  # noqa: RUF001
    REQUIRED_RATE: "((目标值 ÷ 实际值) ^ (1 ÷ 年数) − 1) × 100",  # noqa: RUF001
    SHARE_PCT: "本地区数值 ÷ 上级地区数值 × 100",  # noqa: RUF001
}

# Derived numbers are rounded so they do not claim more precision than their inputs.
VALUE_DIGITS = 2
RATE_DIGITS = 2


def implied_previous(value: float, yoy_pct: float) -> float | None:
    """The previous-period value a reported growth rate implies (None at -100% or below)."""
    if yoy_pct <= -100:
        return None
    try:
        result = value / (1 + yoy_pct / 100)
    except (OverflowError, ZeroDivisionError):
        return None
    return _rounded(result, VALUE_DIGITS)


def computed_rate(previous_value: float, value: float) -> float | None:
    """Growth in percent from two values."""
    if previous_value == 0:
        return None
    try:
        result = (value / previous_value - 1) * 100
    except (OverflowError, ZeroDivisionError):
        return None
    return _rounded(result, RATE_DIGITS)


def required_rate(actual: float, target: float, years: int) -> float | None:
    """Average yearly growth in percent that takes `actual` to `target` in `years`."""
    if actual <= 0 or target < 0 or years <= 0:
        return None
    try:
        result = ((target / actual) ** (1 / years) - 1) * 100
    except (OverflowError, ZeroDivisionError):
        return None
    return _rounded(result, RATE_DIGITS)


def share_pct(part: float, whole: float) -> float | None:
    """A part's share of its whole in percent (None for a whole of zero or less)."""
    if whole <= 0:
        return None
    try:
        result = part / whole * 100
    except (OverflowError, ZeroDivisionError):
        return None
    return _rounded(result, RATE_DIGITS)


def _rounded(result: float, digits: int) -> float | None:
    # Each computed inline above, not through a callable: a big store computes many.
    result = float(result)
    if not math.isfinite(result):
        return None
    rounded = round(result, digits)
    return rounded if math.isfinite(rounded) else None
