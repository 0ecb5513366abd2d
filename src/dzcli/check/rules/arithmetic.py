"""Arithmetic rules: numbers that must agree with each other do, within reported rounding."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from itertools import product
from typing import TypeGuard

from dzcli.check.view import Finding, Record, StoreView, scale, shown, texts
from dzcli.model import claims, periods
from dzcli.model.numbers import is_number, is_whole
from dzcli.model.rounding import interval, overlap, stated
from dzcli.model.units import CURRENCIES, NON_NEGATIVE

# CNY per USD: the annual averages since 2010 run from about 6.1 to 6.9, and the rate of the
# 2020s from about 6.3 to 7.3; a few percent beyond is a slip of the pen or a misread unit.
PLAUSIBLE_CNY_PER_USD = (6.0, 7.5)
ADDING_UP = frozenset(NON_NEGATIVE) - {"year"}  # adding up across areas: money, floor, counts


def base_values(view: StoreView) -> Iterator[Finding]:
    """base_value is exactly value times the unit's scale, and both are known or both null."""
    for part in view.amounts:
        amount, at = part.body, part.at
        value, base_value, factor = amount.get("value"), amount.get("base_value"), scale(amount)
        if (value is None) != (base_value is None):
            message = f"{at}value is {shown(value)} but {at}base_value is {shown(base_value)}"
            yield part.finding(message)
            continue
        if factor is None or not _is_exact(value) or not _is_exact(base_value):
            continue
        if type(value) is int and type(base_value) is int and value * factor == base_value:
            continue  # whole numbers, exactly as the decimals below would say, but quicker
        expected = Decimal(repr(value)) * factor
        if Decimal(repr(base_value)) != expected:
            is_ = f"{_said(amount)} is {_decimal(expected)} {amount.get('base_unit')}"
            yield part.finding(f"{at}base_value is {shown(base_value)}, but {is_}")


def exchange_rates(view: StoreView) -> Iterator[Finding]:
    """A USD amount and its CNY equivalent (or the reverse) imply a plausible exchange rate."""
    for part in view.amounts:
        equivalent = part.body.get("equivalent")
        if not isinstance(equivalent, dict):
            continue
        pair = (part.body.get("base_unit"), equivalent.get("base_unit"))
        if pair not in (("USD", "CNY"), ("CNY", "USD")):
            continue
        usd, cny = (part.body, equivalent) if pair[0] == "USD" else (equivalent, part.body)
        # From the numbers as reported: a wrong base_value is the base-value rule's to report.
        usd_scale, cny_scale = scale(usd), scale(cny)
        usd_value, cny_value = usd.get("value"), cny.get("value")
        if not (usd_scale and cny_scale and is_number(usd_value) and is_number(cny_value)):
            continue
        if usd_value <= 0 or cny_value <= 0:
            continue
        rate = cny_value * cny_scale / (usd_value * usd_scale)
        low, high = PLAUSIBLE_CNY_PER_USD
        if not low <= rate <= high:
            at = f"{part.path}: " if part.path else ""
            outside = f"{rate:.2f} CNY per USD, outside the plausible {low} to {high}"
            yield part.finding(f"{at}{_said(cny)} for {_said(usd)} is {outside}")


def shares(view: StoreView) -> Iterator[Finding]:
    """A share is a percentage, and agrees with its whole where the store holds the whole."""
    by_key = view.stats_by_key
    for record in view.records("stats"):
        share, of = record.get("share_pct"), record.get("share_of")
        if not is_number(share):
            continue
        if not 0 < share <= 100:
            yield Finding("stats", record, f"share_pct is {shown(share)}, not between 0 and 100")
            continue
        key = claims.key_of({**record, "metric": of})  # the whole: the same area and period
        total = by_key.get(key) if key is not None else None
        part_scale, total_scale = scale(record), scale(total or {})
        if total is None or not is_number(record.get("value")) or not part_scale or not total_scale:
            continue
        if total.get("base_unit") != record.get("base_unit"):
            units = f"{total.get('base_unit')!r}, not {record.get('base_unit')!r}"
            yield Finding(
                "stats", record, f"a share of {total.get('id')} must be counted in {units}"
            )
            continue
        parts = [bound * part_scale for bound in stated(record)]
        implied = [p / s * 100 / total_scale for p, s in product(parts, interval(share)) if s > 0]
        if implied and not overlap((min(implied), max(implied)), stated(total)):
            total_of = f"a total of {_range(implied)} {total.get('unit')}"
            but = f"but {total.get('id')} is {_said(total)}"
            yield Finding(
                "stats", record, f"{_said(record)} at {shown(share)}% implies {total_of}, {but}"
            )


def growth_rates(view: StoreView) -> Iterator[Finding]:
    """A year-over-year rate agrees with the values of the two periods it joins."""
    by_key = view.stats_by_key
    previous_year = cache(periods.previous_year)  # a store has few distinct periods
    for record in view.records("stats"):
        rate, key = record.get("yoy_pct"), claims.key_of(record)
        if not is_number(rate) or not is_number(record.get("value")) or key is None:
            continue
        if record.get("basis") == "real":
            continue  # a rate at comparable prices is not the ratio of two nominal values
        metric, area, period = key
        earlier = previous_year(period)
        previous = by_key.get((metric, area, earlier)) if earlier else None
        now_scale, then_scale = scale(record), scale(previous or {})
        if previous is None or not now_scale or not then_scale:
            continue
        if previous.get("base_unit") != record.get("base_unit"):
            continue  # the metric-units rule reports units that disagree with the metric
        now = [bound * now_scale for bound in stated(record)]
        then = [bound * then_scale for bound in stated(previous)]
        if min(then) <= 0:
            continue
        computed = [(n / t - 1) * 100 for n, t in product(now, then)]  # each pair of bounds
        if not overlap((min(computed), max(computed)), interval(rate)):
            after = f"after {_said(previous)} ({previous.get('id')}) is {_range(computed)}% growth"
            yield Finding(
                "stats", record, f"yoy_pct is {shown(rate)}%, but {_said(record)} {after}"
            )


def part_within_year(view: StoreView) -> Iterator[Finding]:
    """An amount of money for part of a year (a quarter, a month range) is not larger than the
    same metric's amount for the whole year. A warning: a year's figure may be net of a part's
    (a refund, a revision), but usually one of the two is misread."""
    by_key = view.stats_by_key
    for (metric, area, period), record in by_key.items():
        ends = {periods.year_of(end) for end in period.split("/")}
        if periods.is_whole_year(period) or len(ends) != 1:
            continue
        year = by_key.get((metric, area, periods.year_of(period)))
        if year is None or record.get("base_unit") not in CURRENCIES:
            continue
        part_value, year_value = record.get("base_value"), year.get("base_value")
        if record.get("base_unit") != year.get("base_unit"):
            continue
        if is_number(part_value) and is_number(year_value) and 0 <= year_value < part_value:
            whole_year = f"{_said(year)} for the whole year ({year.get('id')})"
            yield Finding(
                "stats", record, f"{_said(record)} for {period} is more than {whole_year}"
            )


def within_parent_area(view: StoreView) -> Iterator[Finding]:
    """An area's figure of an amount (money, area, a count) is no more than its parent area's
    figure of the same metric and period, in the same base unit: the zone's share of its city
    cannot exceed 100%."""
    by_key = view.stats_by_key
    parents = {
        area_id: area.get("parent")
        for area_id, area in view.by_id("areas").items()
        if isinstance(area.get("parent"), str)
    }
    for (metric, area, period), record in by_key.items():
        parent = parents.get(area) if area is not None else None
        whole = by_key.get((metric, parent, period)) if parent is not None else None
        if whole is None or record.get("base_unit") != whole.get("base_unit"):
            continue
        if record.get("base_unit") not in ADDING_UP:
            continue  # a rate or a share does not add up across areas
        part_scale, whole_scale = scale(record), scale(whole)
        if not part_scale or not whole_scale or whole.get("bound") in ("lower", "tier"):
            continue
        if stated(record)[0] * part_scale > stated(whole)[1] * whole_scale:
            lies_in = f"{_said(whole)} of {parent} ({whole.get('id')}), the area it lies in"
            yield Finding("stats", record, f"{_said(record)} is more than the {lies_in}")


def _is_exact(value: object) -> TypeGuard[int | float]:
    """A number decimal arithmetic can check, however large an integer it is."""
    return is_whole(value) or is_number(value)


def _range(values: list[float]) -> str:
    low, high = _rounded(min(values)), _rounded(max(values))
    return low if low == high else f"{low} to {high}"


def _rounded(value: float) -> str:
    """Two decimals, as rates and totals are reported; 3 significant digits for an absurd one."""
    return f"{value:.2f}" if abs(value) < 1e12 else f"{value:.3g}"


def _said(amount: Record) -> str:
    """An amount as the report gives it: "317.19 亿元"."""
    return f"{shown(amount.get('value'))} {amount.get('unit')}"


def _decimal(value: Decimal) -> str:
    return format(value.normalize(), "f")


def parts_within_wholes(view: StoreView) -> Iterator[Finding]:
    """A part is at most its whole: in the same base unit, or across currencies only through
    the report's own equivalent of one of them; a whole that counts its members is not
    outnumbered by the members named."""
    known = view.anchors
    for relation in view.records("relations"):
        whole = known.get(str(relation.get("whole")))
        if whole is None:
            continue  # relation_ends has said so
        if relation.get("relation") == "part_of":
            part = known.get(str(relation.get("part")))
            message = None if part is None else _larger(part, whole)
            if message:
                yield Finding("relations", relation, message)
        elif relation.get("relation") == "named_members":
            named = max(len(texts(relation.get("members"))), len(texts(relation.get("members_zh"))))
            count = whole.get("value")
            if whole.get("base_unit") == "count" and is_number(count) and named > count:
                counts = f"{relation.get('whole')} counts {shown(count)}"
                yield Finding("relations", relation, f"{named} members are named, but {counts}")


def _larger(part: Record, whole: Record) -> str | None:
    """Why `part` is larger than `whole`, or None where it is not (or cannot be told)."""
    pairs = [(part, whole)]
    if isinstance(equivalent := part.get("equivalent"), dict):
        pairs.append((equivalent, whole))
    if isinstance(equivalent := whole.get("equivalent"), dict):
        pairs.append((part, equivalent))
    for a, b in pairs:  # the first pair in one base unit is compared
        if a.get("base_unit") == b.get("base_unit"):
            a_base, b_base = _base(a), _base(b)
            if a_base is not None and b_base is not None and a_base > b_base:
                return f"the part ({_said(a)}) is larger than the whole ({_said(b)})"
            return None
    return None  # different units and no equivalent joins them: nothing to compare


def _base(amount: Record) -> float | None:
    value, factor = amount.get("value"), scale(amount)
    if not is_number(value) or factor is None:
        return None
    if amount.get("bound") in ("lower", "tier"):
        return None  # a threshold or a tier is no upper bound on the value
    return float(value) * factor
