"""Questions asked of a store. Each returns JSON-ready rows (lists of dicts); no formatting here."""

from __future__ import annotations

import functools
import math
from collections.abc import Collection, Iterable, Iterator
from typing import Any, NamedTuple

from dzcli.model import claims, growth, periods
from dzcli.model.errors import BadUsage, LookupFailed
from dzcli.model.float_spelling import Vouch, VouchedRows
from dzcli.model.index import INDEX_FIELDS, ClaimIndex, year_before
from dzcli.model.kinds import BY_TABLE, TABLES
from dzcli.model.matching import fold, resolve, unknown
from dzcli.model.numbers import is_number
from dzcli.store import Store

Row = dict[str, Any]

# Key order of a stat row: the JSON contract reads top-down in this order.
_METRIC_FIELDS = ("name_zh", "name_en", "category")


def _metric_names(store: Store, only: Collection[object] | None = None) -> dict[str, Row]:
    """The metrics by id; with `only`, just those (a big store builds no others)."""
    return {record["id"]: record for record in store.records("metrics", ids=only)}


def _with_metric(record: Row, metrics: dict[str, Row]) -> Row:
    """A stat or target row: the record with its metric's names and category beside the id."""
    metric = metrics.get(record.get("metric", ""), _NO_METRIC)
    if _METRIC_FIELDS_SET.isdisjoint(record):
        # The common case, in one dict display (a big store builds hundreds of thousands):
        # the record's id and metric take the places they already have.
        return {
            "id": record.get("id"),
            "metric": record.get("metric"),
            "name_zh": metric.get("name_zh"),
            "name_en": metric.get("name_en"),
            "category": metric.get("category"),
            **record,
        }
    row: Row = {"id": record.get("id"), "metric": record.get("metric")}
    for field in _METRIC_FIELDS:
        row[field] = metric.get(field)
    row.update((key, value) for key, value in record.items() if key not in row)
    return row


_METRIC_FIELDS_SET = frozenset(_METRIC_FIELDS)
_NO_METRIC: Row = {}


def stat_periods(store: Store) -> list[str]:
    """Every period that has statistics, in chronological order."""
    found = {period for period in store.periods("stats") if isinstance(period, str) and period}
    return sorted(found, key=periods.sort_key)


def resolve_metric(store: Store, term: str) -> str:
    metrics = _metric_names(store)
    names = {key: [m.get("name_zh") or "", m.get("name_en") or ""] for key, m in metrics.items()}
    return resolve(term, names, "metric")


def stats(
    store: Store,
    period: str | None = None,
    metric: str | None = None,
    category: str | None = None,
    all_claims: bool = False,
) -> list[Row]:
    """The statistics of a year (with its quarters and month ranges) or of one period.

    No period means the latest year that has data (for the metric or category asked for).
    One row per metric and period, the claim that answers, unless `all_claims`.
    """
    if period is not None:
        period = periods.parse_period(period)
    metrics = _metric_names(store)
    metric_id = resolve_metric(store, metric) if metric is not None else None
    category_id = None if category is None else _resolve_category(metrics, category)

    def asked_for(record: Row) -> bool:
        return (metric_id is None or record.get("metric") == metric_id) and (
            category_id is None
            or metrics.get(record.get("metric", ""), {}).get("category") == category_id
        )

    available = stat_periods(store)
    if not available:
        raise LookupFailed("the store holds no statistics")
    if period is None:
        if metric_id is None and category_id is None:
            latest = available[-1]
        else:  # the latest year of this metric or category, not of the whole store
            having = [
                r.get("period") for r in store.records("stats") if asked_for(r)
            ]  # a record without a period (the reader allows it; `dz check` does not) has no year
            known = [p for p in having if isinstance(p, str) and p]
            if not known:
                return []
            latest = max(known, key=periods.sort_key)
        period = periods.year_of(latest)
    elif not any(periods.covers(period, p) for p in available):
        years = list(dict.fromkeys(periods.year_of(p) for p in available))
        choices = years if periods.is_whole_year(period) else available
        raise LookupFailed(f"no statistics for {period} (available: {', '.join(choices)})")
    wanted = period  # mypy keeps the narrowing to str in a lambda only through a new name
    # Only the records of the period are built: a big store keeps the others as bytes.
    records = store.records("stats", period=lambda p: periods.covers(wanted, p))
    rows = [
        _with_metric(record, metrics)
        for record in claims.select(records, all_claims)
        if asked_for(record)
    ]
    return sorted(rows, key=lambda row: periods.sort_key(str(row.get("period") or "")))


def _resolve_category(metrics: dict[str, Row], term: str) -> str:
    categories = sorted({str(m["category"]) for m in metrics.values() if m.get("category")})
    return resolve(term, {c: [] for c in categories}, "category")


def growth_rows(
    store: Store,
    metric: str | None = None,
    all_claims: bool = False,
    period: str | None = None,
) -> list[Row]:
    """Year-over-year growth: each reported rate, the previous value it implies (for a rate at
    current prices only), and the rate computed from two consecutive periods where the store has
    both. Derived rows say how. Derivations use the claim that answers for each period.

    `period` keeps the rows of that period (a year keeps its quarters and month ranges too). A
    `metric` that names no metric but reads as a period is taken for the period.
    """
    return list(each_growth_row(store, metric, all_claims, period))


def each_growth_row(
    store: Store,
    metric: str | None = None,
    all_claims: bool = False,
    period: str | None = None,
) -> VouchedRows:
    """`growth_rows`, one row at a time, built as it is read: a big store's rows are as many
    as its statistics, and are never all held. The arguments are checked at once (a usage
    error comes before any row). The rows vouch for their floats as far as the store does
    (`float_spelling`)."""
    metrics = _metric_names(store)
    if metric is not None and period is None and _reads_as_period(metric):
        try:
            resolve_metric(store, metric)
        except LookupFailed:
            metric, period = None, metric
    if period is not None:
        period = periods.parse_period(period)
    metric_id = resolve_metric(store, metric) if metric is not None else None
    only = None if metric_id is None else {metric_id}
    # The statistics are read twice rather than held: once for what ranks claims and gives
    # the year before (made once, however many parts the rows are made in), then one at a
    # time for their rows.
    index = functools.cache(
        lambda: ClaimIndex(store.projected("stats", INDEX_FIELDS, metrics=only))
    )

    def rows(part: slice | None = None) -> VouchedRows:
        vouch = Vouch(store.floats_alike)
        made = _growth(store, metrics, index(), metric_id, all_claims, vouch, part)
        if period is not None:
            wanted = period
            made = (row for row in made if periods.covers(wanted, str(row.get("period") or "")))
        return VouchedRows(made, vouch)

    def halves() -> tuple[VouchedRows, VouchedRows]:
        middle = store.count("stats") // 2
        index()  # before the halves part: made once, for both
        return rows(slice(0, middle)), rows(slice(middle, None))

    whole = rows()
    if metric_id is None and store.count("stats") >= SPLIT_FROM:
        whole.split = halves
    return whole


SPLIT_FROM = 20_000
"""From this many statistics, `dz growth`'s rows may be made as two halves at once."""


def _reads_as_period(text: str) -> bool:
    try:
        periods.parse_period(text)
    except BadUsage:
        return False
    return True


def _stat_records(store: Store, metric_id: str | None, part: slice | None) -> Iterable[Row]:
    """The statistics of `metric_id` (None: all, or `part` of them), each built only when it
    is reached."""
    if metric_id is not None:
        return store.records("stats", metrics={metric_id})  # few: held
    return (record for _, record in store.documents("stats", part))


def _growth(
    store: Store,
    metrics: dict[str, Row],
    index: ClaimIndex,
    metric_id: str | None,
    all_claims: bool,
    vouch: Vouch,
    part: slice | None,
) -> Iterator[Row]:
    records = _stat_records(store, metric_id, part)
    ranked = claims.each_ranked(records, all_claims, index.several)
    for record, annotation in ranked:
        # With --all-claims, only the claim that answers is derived from: the others are shown
        # as claimed.
        metric, period = record.get("metric"), record.get("period")
        derived = None
        if (
            isinstance(metric, str)
            and isinstance(period, str)
            and index.answers(metric, period, record.get("id"))
        ):
            named = metrics.get(metric, _NO_METRIC)
            derived = _derived_growth(record, index.previous(metric, period), named)
        if record.get("yoy_pct") is None and derived is None:
            continue
        row = _with_metric(record, metrics)
        if annotation is not None:
            row.update(annotation)  # as _with_metric({**record, **annotation}) orders it
        yield row
        if derived is not None:
            # Its inputs are the store's; what it computed is watched.
            vouch.see(derived["value"], derived["base_value"], derived["yoy_pct"])
            yield derived


def _derived_growth(record: Row, previous: Row | None, metric: Row) -> Row | None:
    """The row derived from `record` and the record a year before it, if stored (a computed
    rate), else from `record` alone (the value its rate implies), if any, with the names and
    category of `metric`, as `_with_metric` would add them."""
    value = record.get("value")
    before = year_before(str(record.get("period") or ""))
    if before is None or not is_number(value):
        return None  # no period, or none a year before it; or nothing to compute with
    if previous is None:
        rate = record.get("yoy_pct")
        if record.get("basis") == "nominal" and is_number(rate) and rate > -100:
            return _implied(record, value, rate, metric, before)
        return None
    previous_value = previous.get("value")
    if is_number(previous_value) and previous_value != 0:
        return _computed(record, value, previous, previous_value, metric)
    return None


def _implied(record: Row, value: float, rate: float, metric: Row, before: str) -> Row:
    # Only a rate at current prices gives the previous year's value. A real rate (at
    # comparable prices, as for GDP) gives the previous year's output at this year's
    # prices, which no one publishes and dz does not show as the earlier year's value.
    implied = growth.implied_previous(value, rate)
    period, unit = record["period"], record.get("unit") or ""
    note = f"Implied by the reported {rate}% growth to {value} {unit} in {period}."
    note_zh = f"由{period}年报告的增速{rate}%和数值{value}{unit}推算。"
    return _derived_stat(
        record,
        value,
        metric,
        period=before,
        value=implied,
        yoy_pct=None,
        basis=record.get("basis"),
        formula=growth.IMPLIED_PREVIOUS,
        inputs={"value": value, "yoy_pct": rate, "from": record.get("id")},
        note=note if implied is not None else note + _TOO_LARGE,
        note_zh=note_zh if implied is not None else note_zh + _TOO_LARGE_ZH,
    )


def _computed(record: Row, value: float, previous: Row, previous_value: float, metric: Row) -> Row:
    rate, basis = record.get("yoy_pct"), record.get("basis")
    computed = growth.computed_rate(previous_value, value)
    period, previous_period = record["period"], previous["period"]
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
        record,
        value,
        metric,
        period=period,
        value=value,
        yoy_pct=computed,
        basis="nominal",
        formula=growth.COMPUTED_RATE,
        inputs={
            "value": value,
            "previous_value": previous_value,
            "from": [previous.get("id"), record.get("id")],
        },
        note=note if computed is not None else note + _TOO_LARGE,
        note_zh=note_zh if computed is not None else note_zh + _TOO_LARGE_ZH,
    )


_BASIS_ZH = {"real": "可比价", "nominal": "现价"}


_TOO_LARGE = " The result is too large for a number: not computed (null)."
_TOO_LARGE_ZH = "结果超出数值范围,未计算(null)。"


def _derived_stat(
    record: Row,
    record_value: float,
    metric: Row,
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
    """A derived row of `record`, whose value (a number) is `record_value`."""
    return {
        "id": f"derived:{record.get('metric')}@{period}",
        "metric": record.get("metric"),
        "name_zh": metric.get("name_zh"),
        "name_en": metric.get("name_en"),
        "category": metric.get("category"),
        "period": period,
        "value": value,
        "unit": record.get("unit"),
        "base_value": _base_value(value, _scale(record_value, record.get("base_value"))),
        "base_unit": record.get("base_unit"),
        "yoy_pct": yoy_pct,
        "basis": basis,
        "kind": "derived",
        "formula": formula,
        "inputs": inputs,
        "note": note,
        "note_zh": note_zh,
        "source": record.get("source"),
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


class Answer(NamedTuple):
    """Rows, and a line for people to read under them (a footnote; not part of the data)."""

    rows: list[Row]
    footnote: tuple[str, str] | None = None  # (English, 中文)


def targets(
    store: Store,
    year: str | None = None,
    metric: str | None = None,
    category: str | None = None,
) -> Answer:
    """The targets, each beside the latest earlier actual of its metric and the growth it needs.

    With a year, the targets of that year; the open-ended aims (no year) left out are counted
    in the footnote. A target without an actual or a required growth says why (`why_not`).
    """
    metrics = _metric_names(store)
    every = store.records("targets")
    metric_id = resolve_metric(store, metric) if metric is not None else None
    category_id = None if category is None else _resolve_category(metrics, category)
    records = [
        r
        for r in every
        if (metric_id is None or r.get("metric") == metric_id)
        and (
            category_id is None
            or metrics.get(r.get("metric", ""), {}).get("category") == category_id
        )
    ]
    footnote = None
    if year is not None:
        periods.parse_year(year, ": targets are set for years")
        open_ended = [r for r in records if not r.get("period")]
        chosen = [r for r in records if r.get("period") == year]
        if not chosen:
            years = sorted({r["period"] for r in every if r.get("period")})
            have = f"available: {', '.join(years)}" if years else "the store has none"
            if open_ended:
                have += f"; and {len(open_ended)} open-ended aims: dz targets"
            raise LookupFailed(f"no targets for {year} ({have})")
        records = chosen
        if open_ended:
            count = len(open_ended)
            footnote = (
                f"{count} open-ended aim{'s' * (count != 1)} (no year) not shown: "
                "`dz targets` without a year lists them.",
                f"另有{count}项未定年份的目标未列出:不带年份运行 `dz targets` 可见。",
            )
    # The answers (never a deprecated claim) for the targets' metrics: of a big store, only
    # those are built.
    wanted = {record.get("metric") for record in records}
    actuals: dict[object, list[Row]] = {}
    for stat in claims.select(store.records("stats", metrics=wanted)):
        actuals.setdefault(stat.get("metric"), []).append(stat)
    rows = []
    for record in records:
        row = _with_metric(record, metrics)
        actual = _latest_actual(record, actuals.get(record.get("metric"), []))
        row["actual"] = actual and {
            key: actual.get(key)
            for key in ("id", "period", "value", "unit", "base_value", "base_unit")
        }
        row["required_growth"] = actual and _required_growth(record, actual)
        row["why_not"] = _why_not(record, actual, row["required_growth"])
        rows.append(row)
    return Answer(rows, footnote)


def _why_not(target: Row, actual: Row | None, required: Row | None) -> str | None:
    """Why a target has no actual, or no required growth: a code (see views)."""
    if actual is None:
        return "no_actual"
    if required is not None:
        return None
    if target.get("period") is None:
        return "no_year"
    if target.get("base_unit") != actual.get("base_unit"):
        return "other_unit"
    return "not_computable"


def _latest_actual(target: Row, actuals: list[Row]) -> Row | None:
    """The latest whole-year value of the target's metric from before the target's year."""
    year = target.get("period")
    candidates = [
        a
        for a in actuals
        if a.get("metric") == target.get("metric")
        and is_number(a.get("base_value"))
        and periods.is_whole_year(a.get("period", ""))
        and (year is None or a["period"] < year)
    ]
    return max(candidates, key=lambda a: a["period"], default=None)


def _required_growth(target: Row, actual: Row) -> Row | None:
    if target.get("period") is None or not is_number(target.get("base_value")):
        return None
    if target.get("base_unit") != actual.get("base_unit"):
        return None
    years = int(target["period"]) - int(actual["period"])
    rate = growth.required_rate(actual["base_value"], target["base_value"], years)
    if rate is None:
        return None
    return {
        "value_pct": rate,
        "kind": "derived",
        "formula": growth.REQUIRED_RATE,
        "inputs": {
            "actual": actual["base_value"],
            "target": target["base_value"],
            "years": years,
            "base_unit": target["base_unit"],
            "from": [actual.get("id"), target.get("id")],
        },
    }


def parks(store: Store, park: str | None = None) -> list[Row]:
    """Every park, each parent before its sub-parks, with `depth` and `children` added; with
    `park`, that park and its sub-parks (depth counted from it)."""
    rows = _park_tree(store)
    if park is None:
        return rows
    chosen = _park_and_descendants(store, resolve_park(store, park))
    top = next(row["depth"] for row in rows if row["id"] == chosen[0])
    return [{**row, "depth": row["depth"] - top} for row in rows if row["id"] in chosen]


def _park_tree(store: Store) -> list[Row]:
    records = store.records("parks")
    children: dict[str | None, list[Row]] = {}
    known = {r["id"] for r in records}
    for record in records:
        parent = record.get("parent")
        children.setdefault(parent if parent in known else None, []).append(record)
    rows: list[Row] = []
    seen: set[str] = set()

    def place(record: Row, depth: int) -> None:
        if record["id"] in seen:
            return  # a parent cycle in a bad store must not recurse forever
        seen.add(record["id"])
        kids = children.get(record["id"], [])
        rows.append({**record, "depth": depth, "children": [c["id"] for c in kids]})
        for child in kids:
            place(child, depth + 1)

    for root in children.get(None, []):
        place(root, 0)
    # Parks in a parent cycle (a bad store; `dz check` names it) have no root: list them anyway.
    for record in records:
        place(record, 0)
    return rows


def resolve_park(store: Store, term: str) -> str:
    names = {
        r["id"]: [r.get("name_zh") or "", r.get("name_en") or "", *(r.get("aliases") or [])]
        for r in store.records("parks")
    }
    return resolve(term, names, "park")


def _park_and_descendants(store: Store, park_id: str) -> list[str]:
    found = [park_id]
    for row in _park_tree(store):
        if row.get("parent") in found and row["id"] not in found:
            found.append(row["id"])
    return found


def projects(
    store: Store, park: str | None = None, status: str | None = None, industry: str | None = None
) -> list[Row]:
    """Projects in park order (parks first, then those whose park is not stated)."""
    records = every = store.records("projects")
    if park is not None:
        wanted = _park_and_descendants(store, resolve_park(store, park))
        records = [r for r in records if r.get("park") in wanted]
    if status is not None:
        records = _filter_choice(records, every, status, "status", "status_zh")
    if industry is not None:
        records = _filter_choice(records, every, industry, "industry", "industry_zh")
    ordered = _park_tree(store)
    park_order = {row["id"]: i for i, row in enumerate(ordered)}
    park_names = {row["id"]: row for row in ordered}
    unplaced = len(park_order)
    rows = []
    for record in sorted(records, key=lambda r: park_order.get(r.get("park") or "", unplaced)):
        home = park_names.get(record.get("park") or "", {})
        rows.append(
            {**record, "park_name_zh": home.get("name_zh"), "park_name_en": home.get("name_en")}
        )
    return rows


def _filter_choice(
    records: list[Row], every: list[Row], term: str, field: str, field_zh: str
) -> list[Row]:
    """Keep records whose `field` is the one value `term` resolves to among `every` record's
    values (or their Chinese twins): a value no record left has is an empty result, not an error."""
    names: dict[str, list[str]] = {}
    for r in every:
        if isinstance(r.get(field), str):
            # As tables print it too: "electronic information" for electronic_information.
            spellings = [r.get(field_zh) or "", r[field].replace("_", " ")]
            names.setdefault(r[field], []).extend(spellings)
    chosen = resolve(term, names, field)
    return [r for r in records if r.get(field) == chosen]


def enterprises(store: Store, name: str | None = None, park: str | None = None) -> list[Row]:
    """The companies and organisations the report names, each with its park's names; with
    `name`, those it names (see `matching_records`); with `park`, those in it or its sub-parks."""
    records = store.records("enterprises")
    if name is not None:
        records = matching_records(records, name, "enterprise")
    if park is not None:
        wanted = _park_and_descendants(store, resolve_park(store, park))
        records = [r for r in records if r.get("park") in wanted]
    homes = store.by_id("parks")
    return [
        {
            **record,
            "park_name_zh": homes.get(record.get("park") or "", {}).get("name_zh"),
            "park_name_en": homes.get(record.get("park") or "", {}).get("name_en"),
        }
        for record in records
    ]


def _spellings(record: Row) -> list[str]:
    names = [record.get("name_zh"), record.get("name_en"), *(record.get("aliases") or [])]
    return [n for n in names if isinstance(n, str) and n]


def matching_records(records: list[Row], term: str, what: str) -> list[Row]:
    """The records `term` names: the one whose id, name or alias it is, else every one with it
    in an id, name or alias; none is an error with a "did you mean"."""
    names = {str(r.get("id")): _spellings(r) for r in records}
    wanted = fold(term.strip())
    for exact in (True, False):
        found = [
            r
            for r in records
            if wanted
            and any(
                wanted == fold(s) if exact else wanted in fold(s)
                for s in [str(r.get("id")), *names[str(r.get("id"))]]
            )
        ]
        if found:
            return found
    raise unknown(term, names, what)


def events(store: Store) -> list[Row]:
    """Dated milestones in date order; undated ones last."""
    return sorted(
        store.records("events"), key=lambda r: (r.get("date") is None, r.get("date") or "")
    )


def show(store: Store, terms: list[str]) -> list[Row]:
    """The records `terms` name, whole, each once; `type` says which table each is from.

    A term is an id (a derived one, `derived:gdp@2020`, is computed as `dz growth` computes
    it), else a name or alias, or part of one: an ambiguous part shows every record it names,
    best matches first.
    """
    rows: list[Row] = []
    for term in terms:
        for row in _shown(store, term):
            if all(row.get("id") != seen.get("id") for seen in rows):
                rows.append(row)
    return rows


def _shown(store: Store, term: str) -> list[Row]:
    if term.startswith(DERIVED_PREFIX):
        return [_derived_record(store, term)]
    try:
        return [_typed(store, *store.find(term))]
    except LookupFailed as missing:
        by_name = _named(store, term)
        if not by_name:
            raise missing from None
        return [_typed(store, table, record) for table, record in by_name]


DERIVED_PREFIX = "derived:"


def _derived_record(store: Store, record_id: str) -> Row:
    ids: list[str] = []
    for row in each_growth_row(store):
        if row.get("kind") != "derived":
            continue
        if row.get("id") == record_id:
            return {"type": "stat", **row}
        ids.append(str(row.get("id")))
    raise unknown(record_id, {i: [] for i in ids}, "derived figure")


def _named(store: Store, term: str) -> list[tuple[str, Row]]:
    """The records whose name or alias is `term`, else those with `term` in one, best first:
    a name that starts with it before one that only contains it."""
    wanted = fold(term.strip())
    if not wanted:
        return []
    ranked: list[tuple[int, int, str, Row]] = []
    for order, table in enumerate(_SHOW_ORDER):
        for record in store.records(table):
            spelled = [fold(s) for s in _spellings(record)]
            if any(wanted == s for s in spelled):
                rank = 0
            elif any(s.startswith(wanted) for s in spelled):
                rank = 1
            elif any(wanted in s for s in spelled):
                rank = 2
            else:
                continue
            ranked.append((rank, order, table, record))
    if not ranked:
        return []
    best = min(rank for rank, *_ in ranked)
    chosen = [item for item in ranked if best > 0 or item[0] == 0]
    chosen.sort(key=lambda item: (item[0], item[1]))
    return [(table, record) for _, _, table, record in chosen]


# Which records come first when a name part names several: the things a name stands for.
_NAMED_FIRST = ("enterprises", "parks", "projects")
_SHOW_ORDER = (*_NAMED_FIRST, *(t for t in TABLES if t not in _NAMED_FIRST))


def _typed(store: Store, table: str, record: Row) -> Row:
    if table in ("stats", "targets"):
        record = _with_metric(record, _metric_names(store))
    # `type` is dz's word for the table; a stored field of that name (which `dz check` calls
    # unknown) must not pass the record off as another kind.
    row: Row = {"type": BY_TABLE[table].name}
    row.update((key, value) for key, value in record.items() if key != "type")
    return row


SEARCH_IN = ("names", "notes", "quotes")


def search(store: Store, text: str, within: str | None = None) -> list[Row]:
    """Every record with all the words of `text` (any order, in any of its Chinese or English
    text, at any depth), best first: a match in names and aliases, then in notes and roles,
    then only in a quote, last only in a quote that other records share. `within` (names,
    notes or quotes) looks in those fields only."""
    words = fold(text).split()
    if not words:
        return []
    if within is not None and within not in SEARCH_IN:
        raise BadUsage(f"--in takes names, notes or quotes, not {within!r}")
    found: list[tuple[int, int, Row]] = []
    records = [
        (table, record, _fields(record))
        for table in TABLES
        if table not in _NOT_SEARCHED
        # Every word must be in the record: of a big store, only the records holding the
        # longest are built.
        for record in store.records(table, mentioning=max(words, key=len))
    ]
    quoted: dict[str, int] = {}  # how many records rest on each quote
    for _, _, fields in records:
        for quote in {value for _, value, area in fields if area == "quotes"}:
            quoted[quote] = quoted.get(quote, 0) + 1
    hits = []
    for table, record, fields in records:
        texts = [field for field in fields if within in (None, field[2])]
        hit = _best_hit(texts, words, quoted)
        if hit is not None:
            hits.append((table, record, hit))
    named_by = _metric_names(store, {record.get("metric") for table, record, _ in hits})
    for table, record, (rank, path, value, area) in hits:
        named = _with_metric(record, named_by) if table in ("stats", "targets") else record
        row = {
            "type": BY_TABLE[table].name,
            "id": record.get("id"),
            "name_zh": named.get("name_zh"),
            "name_en": named.get("name_en"),
            "field": path,
            "text": value,
            "matched_in": area,
            "source": record.get("source"),
        }
        found.append((rank, len(found), row))
    return [row for _, _, row in sorted(found, key=lambda item: item[:2])]


Field = tuple[str, str, str]
"""A text of a record: its path (figures[0].name_en), the text, and its area (`_area`)."""


def _fields(record: Row) -> list[Field]:
    return [(path, value, _area(path)) for path, value in _texts(record, "")]


def _best_hit(
    texts: list[Field], words: list[str], quoted: dict[str, int]
) -> tuple[int, str, str, str] | None:
    """How well the record's texts match every word: 0 all in names, 1 in names and notes,
    2 needing a quote, 3 needing a quote other records share; with the field to show and its
    area."""
    folded = [(path, value, area, fold(value)) for path, value, area in texts]
    for rank, areas in enumerate(((("names",)), ("names", "notes"), SEARCH_IN)):
        pool = [item for item in folded if item[2] in areas]
        if all(any(word in item[3] for item in pool) for word in words):
            path, value, area = _shown_field(pool, words)
            if rank == 2 and area == "quotes" and quoted.get(value, 0) > 1:
                return 3, path, value, area
            return rank, path, value, area
    return None


def _shown_field(pool: list[tuple[str, str, str, str]], words: list[str]) -> Field:
    """The field that holds most of the words (the first such), to show beside the record."""
    best = max(pool, key=lambda item: (sum(word in item[3] for word in words), item[0] != "id"))
    return best[0], best[1], best[2]


_NAME_FIELDS = frozenset({"id", "name_zh", "name_en", "aliases"})


@functools.lru_cache(maxsize=4096)
def _area(path: str) -> str:
    """Which part of a record a field path is in: names, notes (and roles, figures), quotes."""
    top = path.split(".")[0].split("[")[0]
    if top in _NAME_FIELDS:
        return "names"
    return "quotes" if path.rsplit(".", 1)[-1] == "quote" else "notes"


def _texts(value: object, path: str) -> Iterator[tuple[str, str]]:
    """Every string in a record, with its path (figures[0].name_en)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in _NOT_TEXT:
                yield from _texts(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{path}[{index}]")


# The change log holds commands and old records as text: a search would find every figure a
# write ever touched twice over. `dz log` reads it, `dz show log:N` shows one entry.
_NOT_SEARCHED = frozenset({"log"})

# Codes every record shares (the source's id, "reported", "CNY"): not text a person searches.
_NOT_TEXT = frozenset({"doc", "kind", "base_unit"})


def people(store: Store) -> list[Row]:
    """The people the report names or quotes, with their roles."""
    return store.records("people")


def statements(store: Store, topic: str | None = None) -> list[Row]:
    """What the report says in words: aims, models, methods, measures, plans, captions; those
    about the zone itself first, then by subject."""
    records = store.records("statements")
    if topic is not None:
        names: dict[str, list[str]] = {
            t: [] for t in sorted({str(r.get("topic")) for r in records})
        }
        chosen = resolve(topic, names, "topic")
        records = [r for r in records if r.get("topic") == chosen]
    return sorted(records, key=lambda r: r.get("subject") is not None)


def relations(store: Store) -> list[Row]:
    """Parts of wholes, and named members of counted wholes."""
    return store.records("relations")


# The kinds whose records tables name by id (a share's whole, a person's organisation, the
# part and whole of a relation): small tables, read whole even in a big store.
_NAMED_KINDS = ("metrics", "parks", "projects", "enterprises", "events", "people")


def names(store: Store) -> dict[str, tuple[str, str]]:
    """(Chinese, English) names by id, for tables: records of the named kinds, and their
    figures as `record_id#key`."""
    found: dict[str, tuple[str, str]] = {}
    for table in _NAMED_KINDS:
        for key, record in store.by_id(table).items():
            own = (str(record.get("name_zh") or key), str(record.get("name_en") or key))
            found[key] = own
            for figure in record.get("figures") or []:
                if isinstance(figure, dict) and isinstance(figure.get("key"), str):
                    found[f"{key}#{figure['key']}"] = (
                        f"{own[0]}·{figure.get('name_zh') or figure['key']}",
                        f"{own[1]}: {str(figure.get('name_en') or figure['key']).lower()}",
                    )
    return found
