"""`dz growth`: reported rates, the value a rate at current prices implies for the year before,
and the rate two consecutive periods give. Every derived row says how it was made.

The rows are made as they are read, a statistic at a time: a big store has as many as it has
statistics. The year before is found by the index (`dzcli.read.index`: each period's previous
one, and the claim that answers for each metric and period); each reported row comes from the
index as the JSON it is printed as, and each derived one is made here.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any, NamedTuple

import msgspec

from dzcli.model import growth, periods
from dzcli.model.errors import BadUsage, LookupFailed
from dzcli.model.kinds import figure_id
from dzcli.model.numbers import is_number
from dzcli.queries.areas import of_areas
from dzcli.queries.common import SHOWN, Row, among, metrics, resolve_metric
from dzcli.read.store import Store, decode, encode

# What a derivation reads of a stat that answers for its metric and period: its fields; the
# period a year before its own (as the index keeps it: `periods.previous_year`); the claim that
# answers for its metric then, if any.
_DERIVED_FROM = """
SELECT s.rowid, s.id, s.metric, s.period, s.value, s.unit, s.base_value, s.base_unit,
       s.yoy_pct, s.basis, s.area, s.row, periods.previous, p.id, p.value, p.period
FROM stats s
JOIN periods ON periods.period = s.period AND periods.previous IS NOT NULL
LEFT JOIN stats p ON p.answer AND p.metric = s.metric AND p.area IS s.area
  AND p.period = periods.previous AND p.base_unit IS s.base_unit
WHERE s.answer"""

# A stat's row, the rate another claim shows for it, its period; its derived row and period.
_GROWTH = f"""
SELECT CASE WHEN ? AND s.answer IS NOT NULL
         THEN json_insert(s.row, '$.answered_by', s.answered_by) ELSE s.row END,
       s.rate_shown, s.period, d.row, d.period
FROM stats s LEFT JOIN growth.derived d ON d.stat = s.rowid
WHERE {SHOWN} AND {{wanted}}
  AND (s.yoy_pct IS NOT NULL OR s.rate_shown IS NOT NULL OR d.row IS NOT NULL)
ORDER BY s.rowid"""


class _Found(NamedTuple):
    """A row `_DERIVED_FROM` selects: a big store has one per statistic, so it is read by name
    without being copied into a dict."""

    rowid: int
    id: str
    metric: Any
    period: Any
    value: Any
    unit: Any
    base_value: Any
    base_unit: Any
    yoy_pct: Any
    basis: Any
    area: Any
    row: bytes  # its row, whose source a derived row cites
    before: str  # the period a year before
    previous_id: str | None  # the claim that answers for the metric then
    previous_value: Any
    previous_period: str | None


class _Sourced(msgspec.Struct):
    source: Any = None


_SOURCE = msgspec.json.Decoder(_Sourced).decode
"""The source of a stat, from its row (without decoding the rest)."""

Names = tuple[Any, Any, Any]
"""A metric's name_zh, name_en and category."""


def growth_rows(
    store: Store,
    metric: str | None = None,
    all_claims: bool = False,
    period: str | None = None,
    area: str | None = None,
) -> list[Row]:
    """`each_growth_row`'s rows, as dicts."""
    return [as_dict(row) for row in each_growth_row(store, metric, all_claims, period, area)]


def as_dict(row: msgspec.Raw) -> Row:
    """A row of `each_growth_row` as a dict."""
    as_row: Row = decode(row)
    return as_row


def each_growth_row(
    store: Store,
    metric: str | None = None,
    all_claims: bool = False,
    period: str | None = None,
    area: str | None = None,
) -> Iterator[msgspec.Raw]:
    """Year-over-year growth: each reported rate, the previous value it implies (for a rate at
    current prices only), and the rate computed from two consecutive periods where the store
    has both, each row as its JSON. Derivations use the claim that answers for each period; the
    derived rows are a part of the index (`fill`), made at the first `dz growth` after a change.

    `period` keeps the rows of that period (a year keeps its quarters and month ranges too). A
    `metric` that names no metric but reads as a period is taken for the period. The zone's
    rows, or `area`'s (`all`: every area's); a rate is computed only within an area. The arguments
    are checked at once (a usage error comes before any row)."""
    if metric is not None and period is None and _reads_as_period(metric):
        try:
            resolve_metric(store, metric)
        except LookupFailed:
            metric, period = None, metric
    if period is not None:
        period = periods.parse_period(period)
    metric_id = None if metric is None else [resolve_metric(store, metric)]
    wanted, params = of_areas(store, among("s.metric", metric_id), area)
    store.part("growth", lambda db, schema: fill(store, db, schema))
    found = store.query(_GROWTH.format(wanted=wanted), [all_claims, all_claims, *params])
    return _rows(found, period)


def _rows(found: Any, period: str | None) -> Iterator[msgspec.Raw]:
    for row, rate_shown, stat_period, derived, derived_period in found:
        if rate_shown is not None:  # another claim's rate, shown where this one states none
            row = encode({**decode(row), **decode(rate_shown)})
        if period is None or periods.covers(period, str(stat_period or "")):
            yield msgspec.Raw(row)
        if derived is not None and (period is None or periods.covers(period, derived_period)):
            yield msgspec.Raw(derived)


def fill(store: Store, db: Any, schema: str) -> None:
    """The growth part of the index, in `schema`: the row derived from each stat that answers
    (`_derived`), keyed by the stat's rowid. With --all-claims, the claims that do not answer
    are shown as claimed, underived."""
    db.execute(f"CREATE TABLE {schema}.derived (stat INTEGER PRIMARY KEY, row TEXT, period TEXT)")
    named = metrics(store)
    names = {k: (m.get("name_zh"), m.get("name_en"), m.get("category")) for k, m in named.items()}
    derived = (
        (stat.rowid, _derived(stat, names.get(stat.metric, _NO_NAMES)))
        for stat in map(_Found._make, db.execute(_DERIVED_FROM))
    )
    db.executemany(
        f"INSERT INTO {schema}.derived VALUES (?, ?, ?)",
        ((rowid, encode(row), row["period"]) for rowid, row in derived if row is not None),
    )


_NO_NAMES: Names = (None, None, None)


def _reads_as_period(text: str) -> bool:
    try:
        periods.parse_period(text)
    except BadUsage:
        return False
    return True


def _derived(stat: _Found, names: Names) -> Row | None:
    """The row derived from `stat` and the claim that answers a year before it, if stored (a
    computed rate), else from `stat` alone (the value its rate implies), if any."""
    value = stat.value
    if not is_number(value):
        return None  # nothing to compute with
    if stat.previous_id is None:
        rate = stat.yoy_pct
        if stat.basis == "nominal" and is_number(rate) and rate > -100:
            return _implied(stat, value, rate, names)
        return None
    previous_value = stat.previous_value
    if is_number(previous_value) and previous_value != 0:
        return _computed(stat, value, previous_value, names)
    return None


def _implied(stat: _Found, value: float, rate: float, names: Names) -> Row:
    # Only a rate at current prices gives the previous year's value. A real rate (at
    # comparable prices, as for GDP) gives the previous year's output at this year's
    # prices, which no one publishes and dz does not show as the earlier year's value.
    implied = growth.implied_previous(value, rate)
    period, unit = stat.period, stat.unit or ""
    note = f"Implied by the reported {rate}% growth to {value} {unit} in {period}."
    note_zh = f"由{period}年报告的增速{rate}%和数值{value}{unit}推算。"
    return _derived_stat(
        stat,
        value,
        names,
        period=str(stat.before),
        value=implied,
        yoy_pct=None,
        basis=stat.basis,
        formula=growth.IMPLIED_PREVIOUS,
        inputs={"value": value, "yoy_pct": rate, "from": stat.id},
        note=note if implied is not None else note + _TOO_LARGE,
        note_zh=note_zh if implied is not None else note_zh + _TOO_LARGE_ZH,
    )


def _computed(stat: _Found, value: float, previous_value: float, names: Names) -> Row:
    rate, basis = stat.yoy_pct, stat.basis
    computed = growth.computed_rate(previous_value, value)
    period, previous_period = stat.period, stat.previous_period
    rate_text = f"{rate}%"  # spelled once for both notes
    reported = "none" if rate is None else f"{rate_text} ({basis or 'basis unknown'})"
    note = (
        f"Computed from {previous_period} and {period} at current prices "
        f"(nominal); reported rate: {reported}."
    )
    reported_zh = (
        "无" if rate is None else f"{rate_text}({_BASIS_ZH.get(str(basis), '口径未说明')})"
    )
    note_zh = f"由{previous_period}和{period}的数值按现价(名义)计算;报告的增速:{reported_zh}。"
    return _derived_stat(
        stat,
        value,
        names,
        period=period,
        value=value,
        yoy_pct=computed,
        basis="nominal",
        formula=growth.COMPUTED_RATE,
        inputs={
            "value": value,
            "previous_value": previous_value,
            "from": [stat.previous_id, stat.id],
        },
        note=note if computed is not None else note + _TOO_LARGE,
        note_zh=note_zh if computed is not None else note_zh + _TOO_LARGE_ZH,
    )


_BASIS_ZH = {"real": "可比价", "nominal": "现价"}


_TOO_LARGE = " The result is too large for a number: not computed (null)."
_TOO_LARGE_ZH = "结果超出数值范围,未计算(null)。"


def _derived_stat(
    stat: _Found,
    stat_value: float,
    names: Names,
    *,
    period: str,
    value: float | None,
    yoy_pct: float | None,
    basis: Any,
    formula: str,
    inputs: Row,
    note: str,
    note_zh: str,
) -> Row:
    """A derived row of `stat`, whose value (a number) is `stat_value`: of its metric and
    area, in the order of a stat's row."""
    metric, area = stat.metric, stat.area
    name_zh, name_en, category = names
    return {
        "id": f"derived:{figure_id(metric, area, period)}",  # a claim that answers has both
        "metric": metric,
        "name_zh": name_zh,
        "name_en": name_en,
        "category": category,
        "area": area,
        "period": period,
        "value": value,
        "unit": stat.unit,
        "base_value": _base_value(value, _scale(stat_value, stat.base_value)),
        "base_unit": stat.base_unit,
        "yoy_pct": yoy_pct,
        "basis": basis,
        "kind": "derived",
        "formula": formula,
        "inputs": inputs,
        "note": note,
        "note_zh": note_zh,
        "source": _SOURCE(stat.row).source,
    }


def _scale(value: float, base_value: Any) -> float | None:
    """Base units per unit of a record whose value (a number) is `value`."""
    if value != 0 and is_number(base_value):
        return float(base_value) / float(value)
    return None


def _base_value(value: float | None, scale: float | None) -> float | None:
    if value is None or scale is None:
        return None
    number = value * scale
    if not math.isfinite(number):
        return None  # the value in base units is too large for a number
    rounded = round(number, 2)
    return int(rounded) if rounded == int(rounded) else rounded
