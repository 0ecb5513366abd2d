"""The interval a reported number stands for: the one rule for "agrees within rounding" (of a
share with its total, a rate with its two values, two claims with each other)."""

from __future__ import annotations

import math

# A value marked approx (约, "about") may be this far from the exact one, either way.
APPROX_TOLERANCE = 0.05

Interval = tuple[float, float]


def interval(value: float, approx: object = False, bound: object = None) -> Interval:
    """± half the last reported digit, or ± APPROX_TOLERANCE of the value where the report says
    约; a threshold (bound "lower", 突破50亿元) or a tier (bound "tier", 300亿级) is the value or
    more, never "about" it."""
    exponent = _exponent(value)
    half = 0.5 * 10.0 ** (exponent if exponent < 0 else 0)
    if bound in ("lower", "tier"):
        return (value, math.inf)
    if approx is True:
        half = max(half, abs(value) * APPROX_TOLERANCE)
    return (value - half, value + half)


def _exponent(value: float) -> int:
    """The power of ten of the last digit `value` is written with (-2 for 317.19), as
    `Decimal(repr(value))` says, without building one for a plain number (the common case)."""
    text = repr(value)
    if "e" in text or "E" in text or "n" in text:  # 1e-07, 1e+16, inf, nan: Decimal tells
        from decimal import Decimal  # rare, and every command imports this module

        exponent = Decimal(text).as_tuple().exponent
        return exponent if isinstance(exponent, int) else 0
    point = text.find(".")
    return 0 if point < 0 else point + 1 - len(text)


def stated(part: dict[str, object]) -> Interval:
    """The interval a record's or figure's own value stands for (its `value` is a number)."""
    value = part["value"]
    assert isinstance(value, int | float)
    return interval(value, part.get("approx"), part.get("bound"))


def overlap(a: Interval, b: Interval) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def scaled(span: Interval, factor: float) -> Interval:
    """An interval in another unit (亿元 → 元); the factor is positive."""
    return (span[0] * factor, span[1] * factor)
