"""`--unit`: amounts re-expressed exactly in another scale of the same currency (317.19 亿元 is
3171900 万元, not 3171899.9999999995); `converted_from` keeps the reported amount.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Any

from dzcli.model.errors import BadUsage, ConversionFailed
from dzcli.model.numbers import is_json_number

Row = dict[str, Any]


class Unit(StrEnum):
    yuan = "元"
    wan_yuan = "万元"
    yi_yuan = "亿元"
    dollar = "美元"
    wan_dollar = "万美元"
    yi_dollar = "亿美元"


# Every unit a store may use: the base unit it converts to, and the power of ten of one unit in
# that base unit. `dz check` holds stores to this list; `--unit` converts within a currency.
UNITS: dict[str, tuple[str, int]] = {
    "元": ("CNY", 0),
    "万元": ("CNY", 4),
    "亿元": ("CNY", 8),
    "美元": ("USD", 0),
    "万美元": ("USD", 4),
    "亿美元": ("USD", 8),
    "平方米": ("m2", 0),
    "万平方米": ("m2", 4),
    "%": ("percent", 0),
    "家": ("count", 0),
    "个": ("count", 0),
    "条": ("count", 0),
    "年": ("year", 0),
}
CURRENCIES = ("CNY", "USD")
# What an amount in each of these base units is: none can be below zero. Only a rate
# (`percent`) may be negative.
NON_NEGATIVE: dict[str, str] = {
    "CNY": "an amount of money",
    "USD": "an amount of money",
    "m2": "an area",
    "count": "a count",
    "year": "a length of time",
}
SCALES = {unit: scale for unit, scale in UNITS.items() if scale[0] in CURRENCIES}


def convert(rows: list[Row], unit: str) -> list[Row]:
    """Copies of `rows` with every amount in `unit`'s currency expressed in `unit`, others as
    reported; BadUsage if the rows hold amounts but none in that currency."""
    currency, power = SCALES[unit]
    others: list[str] = []  # units of amounts in another currency
    amounts = count = 0

    def convert_node(node: Any) -> Any:
        nonlocal amounts, count
        if isinstance(node, list):
            return [convert_node(item) for item in node]
        if not isinstance(node, dict):
            return node
        out = {key: convert_node(value) for key, value in node.items()}
        value, from_unit = node.get("value"), node.get("unit")
        if not is_json_number(value) or not isinstance(from_unit, str):
            return out
        amounts += 1
        scale = SCALES.get(from_unit)
        if scale is None or scale[0] != currency:
            if scale is not None:
                others.append(from_unit)
            return out
        count += 1
        if from_unit != unit:
            out["value"] = _scaled(value, scale[1] - power)
            out["unit"] = unit
            out["converted_from"] = {"value": value, "unit": from_unit}
        return out

    converted_rows = [convert_node(row) for row in rows]
    if amounts and count == 0:
        same = "/".join(u for u, (c, _p) in SCALES.items() if c == currency)
        rule = f"--unit converts only between scales of one currency ({same})"
        if others:
            raise BadUsage(f"cannot express {', '.join(dict.fromkeys(others))} in {unit}: {rule}")
        raise BadUsage(
            f"nothing to express in {unit}: none of these amounts is in a currency; {rule}"
        )
    return converted_rows


def expressed_in(value: int | float, unit: str, other: str) -> int | float:
    """`value` in `unit` expressed exactly in `other`; BadUsage for units of two currencies."""
    (currency, power), (other_currency, other_power) = SCALES[unit], SCALES[other]
    if currency != other_currency:
        raise BadUsage(f"cannot express {unit} in {other}: they are amounts of two currencies")
    return _scaled(value, power - other_power)


def _scaled(value: int | float, shift: int) -> int | float:
    from decimal import Decimal  # only --unit pays for importing it

    exact = Decimal(repr(value)).scaleb(shift)
    if exact == exact.to_integral_value():
        return int(exact)
    scaled = float(exact)
    if math.isinf(scaled) or (scaled == 0 and exact != 0):
        # A float cannot hold it; printing inf (not JSON) or 0 would be a lie.
        raise ConversionFailed(f"{value} is too large or too small to express in that unit")
    return scaled
