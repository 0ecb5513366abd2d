"""Plausibility rules: values a real statistic, count, rate or date can take.

The bounds are deliberately wide: they catch a slip (a sign, a unit read as its scale, a year
typed wrong), never an unusual but real figure.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from dzcli.check.view import Finding, StoreView, base_unit_of, shown, source_doc
from dzcli.model import periods
from dzcli.model.numbers import is_json_number, is_number
from dzcli.model.units import NON_NEGATIVE

MAX_VALUE = 1e15  # |value| in its unit: 10^15 亿元 is a million times the world's output
MAX_BASE_VALUE = 1e18  # |base_value| in yuan, dollars, m², items: beyond any economy
MAX_PERCENT = 10_000.0  # |rate| of a percentage (point): growth of 100 times in one year
PERCENT_FIELDS = ("yoy_pct", "share_pct", "vs_city_avg_pp")
FIRST_YEAR = 1800
"""No statistic or event of an economic development zone (founded 1992) is dated earlier;
the oldest in the shipped store is 1957 (a company's founding)."""
YEARS_AFTER_SOURCE = 50  # a target or plan may look decades ahead of its report, not more


def whole_counts(view: StoreView) -> Iterator[Finding]:
    """A count (家, 个, 条: base unit `count`) is a whole number."""
    for part in view.amounts:
        if base_unit_of(part.body) != "count":
            continue
        for field in ("value", "base_value"):
            value = part.body.get(field)
            if is_number(value) and value != int(value):
                message = f"{part.at}{field} is {shown(value)}, but a count is a whole number"
                yield part.finding(message)


def non_negative_amounts(view: StoreView) -> Iterator[Finding]:
    """No amount whose base unit is one of NON_NEGATIVE's (money, area, count, length of time)
    is below zero, whatever the field or the record kind: the rule goes by the unit."""
    for part in view.amounts:
        what = NON_NEGATIVE.get(base_unit_of(part.body) or "")
        if what is None:
            continue
        for field in ("value", "base_value"):
            value = part.body.get(field)
            if is_number(value) and value < 0:
                message = f"{part.at}{field} is {shown(value)}, but {what} cannot be negative"
                yield part.finding(message)


def growth_floor(view: StoreView) -> Iterator[Finding]:
    """A growth rate is not below -100%: nothing shrinks by more than all of it."""
    for record in view.records("stats"):
        rate = record.get("yoy_pct")
        if is_number(rate) and rate < -100:
            message = f"yoy_pct is {shown(rate)}%, below -100% (more than all of it lost)"
            yield Finding("stats", record, message)


def plausible_dates(view: StoreView) -> Iterator[Finding]:
    """A period or date is not before FIRST_YEAR, nor more than YEARS_AFTER_SOURCE years after
    the year of the source that reports it."""
    source_years = {
        source_id: int(year)
        for source_id, source in view.by_id("sources").items()
        if isinstance(year := source.get("year"), str) and periods.is_year(year)
    }
    years_of = cache(_years)  # a store has few distinct periods and dates
    for part in view.parts:
        for field in ("period", "date"):
            text = part.body.get(field)
            years = years_of(text) if isinstance(text, str) else None
            if years is None:
                continue
            doc = source_doc(part.body)
            reported = source_years.get(doc) if doc is not None else None
            where = f"{part.at}{field} {text}"
            if min(years) < FIRST_YEAR:
                yield part.finding(f"{where} is before {FIRST_YEAR}")
            elif reported is not None and max(years) > reported + YEARS_AFTER_SOURCE:
                after = f"more than {YEARS_AFTER_SOURCE} years after its source ({doc}, {reported})"
                yield part.finding(f"{where} is {after}")


def _years(text: str) -> list[int] | None:
    """The years a period or date names (both ends of a range); None if it is neither."""
    if not (periods.is_period(text) or periods.is_date(text)):
        return None
    return [int(periods.year_of(end)) for end in text.split("/")]


def statistic_bounds(view: StoreView) -> Iterator[Finding]:
    """No value beyond what a real statistic can be: |value| ≤ MAX_VALUE in its unit,
    |base_value| ≤ MAX_BASE_VALUE, a percentage or rate within ±MAX_PERCENT."""
    for part in view.amounts:
        value_limit = MAX_PERCENT if base_unit_of(part.body) == "percent" else MAX_VALUE
        limits = ((value_limit, "value"), (MAX_BASE_VALUE, "base_value"), *_PERCENT_LIMITS)
        for limit, field in limits:
            value = part.body.get(field)
            # A JSON number, not only a float: an integer of 400 digits is compared exactly.
            if value is not None and is_json_number(value) and abs(value) > limit:
                beyond = f"beyond ±{limit:g}: not a real statistic"
                yield part.finding(f"{part.at}{field} is {_short(value)}, {beyond}")


_PERCENT_LIMITS = tuple((MAX_PERCENT, field) for field in PERCENT_FIELDS)


def _short(value: float) -> str:
    text = shown(value)
    return text if len(text) <= 24 else f"{text[:12]}…({len(text)} digits)"
