"""Questions asked of a store. Each returns JSON-ready rows (lists of dicts); no formatting here."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from dzcli.model import claims, growth, periods
from dzcli.model.errors import LookupFailed
from dzcli.model.index import StatIndex
from dzcli.model.kinds import BY_TABLE, TABLES
from dzcli.model.matching import fold, resolve
from dzcli.model.numbers import is_number
from dzcli.store import Store

Row = dict[str, Any]

# Key order of a stat row: the JSON contract reads top-down in this order.
_METRIC_FIELDS = ("name_zh", "name_en", "category")


def _metric_names(store: Store) -> dict[str, Row]:
    return store.by_id("metrics")


def _with_metric(record: Row, metrics: dict[str, Row]) -> Row:
    """A stat or target row: the record with its metric's names and category beside the id."""
    metric = metrics.get(record.get("metric", ""), {})
    row: Row = {"id": record.get("id"), "metric": record.get("metric")}
    for field in _METRIC_FIELDS:
        row[field] = metric.get(field)
    if _METRIC_FIELDS_SET.isdisjoint(record):
        # The common case, at C speed: the record's id and metric are the row's already.
        row.update(record)
    else:
        row.update((key, value) for key, value in record.items() if key not in row)
    return row


_METRIC_FIELDS_SET = frozenset(_METRIC_FIELDS)


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


def growth_rows(store: Store, metric: str | None = None, all_claims: bool = False) -> list[Row]:
    """Year-over-year growth: each reported rate, the previous value it implies (for a rate at
    current prices only), and the rate computed from two consecutive periods where the store has
    both. Derived rows say how. Derivations use the claim that answers for each period."""
    metrics = _metric_names(store)
    metric_id = resolve_metric(store, metric) if metric is not None else None
    records = [
        r for r in store.records("stats") if metric_id is None or r.get("metric") == metric_id
    ]
    grouped = claims.groups(records)
    index = StatIndex(records, grouped)
    rows: list[Row] = []
    for record in claims.each_selected(records, all_claims, grouped):
        # With --all-claims, only the claim that answers is derived from: the others are shown
        # as claimed.
        chosen = index.get(str(record.get("metric")), str(record.get("period")))
        answers = chosen is not None and chosen.get("id") == record.get("id")
        named = metrics.get(record.get("metric", ""), {})
        derived = list(_derived_growth(record, index.previous(record), named)) if answers else []
        if record.get("yoy_pct") is None and not derived:
            continue
        rows.append(_with_metric(record, metrics))
        rows.extend(derived)  # named already: built in the row's order
    return rows


def _derived_growth(record: Row, previous: Row | None, metric: Row) -> Iterator[Row]:
    """The rows derived from `record` (and the record a year before it, if stored), each with
    the names and category of `metric`, as `_with_metric` would add them."""
    value, rate = record.get("value"), record.get("yoy_pct")
    before = periods.previous_year(str(record.get("period") or ""))
    if before is None:
        return  # no period, or none a year before it
    nominal = record.get("basis") == "nominal"
    if previous is None and nominal and is_number(value) and is_number(rate) and rate > -100:
        # Only a rate at current prices gives the previous year's value. A real rate (at
        # comparable prices, as for GDP) gives the previous year's output at this year's
        # prices, which no one publishes and dz does not show as the earlier year's value.
        implied = growth.implied_previous(value, rate)
        note = f"Implied by the reported {rate}% growth to {value} in {record['period']}."
        yield _derived_stat(
            record,
            metric,
            period=before,
            value=implied,
            yoy_pct=None,
            formula=growth.IMPLIED_PREVIOUS,
            inputs={"value": value, "yoy_pct": rate, "from": record.get("id")},
            note=note if implied is not None else note + _TOO_LARGE,
        )
    if (
        previous is not None
        and is_number(value)
        and is_number(previous.get("value"))
        and previous["value"] != 0
    ):
        computed = growth.computed_rate(previous["value"], value)
        reported = "none" if rate is None else f"{rate}% ({record.get('basis') or 'basis unknown'})"
        note = (
            f"Computed from {previous['period']} and {record['period']} at current prices "
            f"(nominal); reported rate: {reported}."
        )
        yield _derived_stat(
            record,
            metric,
            period=record["period"],
            value=value,
            yoy_pct=computed,
            basis="nominal",
            formula=growth.COMPUTED_RATE,
            inputs={
                "value": value,
                "previous_value": previous["value"],
                "from": [previous.get("id"), record.get("id")],
            },
            note=note if computed is not None else note + _TOO_LARGE,
        )


_TOO_LARGE = " The result is too large for a number: not computed (null)."


def _derived_stat(record: Row, metric: Row, **fields: Any) -> Row:
    scale = _scale(record)
    row: Row = {
        "id": f"derived:{record.get('metric')}@{fields['period']}",
        "metric": record.get("metric"),
        "name_zh": metric.get("name_zh"),
        "name_en": metric.get("name_en"),
        "category": metric.get("category"),
        "period": fields["period"],
        "value": fields["value"],
        "unit": record.get("unit"),
        "base_value": _base_value(fields["value"], scale),
        "base_unit": record.get("base_unit"),
        "yoy_pct": fields["yoy_pct"],
        "basis": fields.get("basis", record.get("basis")),
        "kind": "derived",
        "formula": fields["formula"],
        "inputs": fields["inputs"],
        "note": fields["note"],
        "source": record.get("source"),
    }
    return row


def _scale(record: Row) -> float | None:
    value, base_value = record.get("value"), record.get("base_value")
    if is_number(value) and is_number(base_value) and value != 0:
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


def targets(store: Store, year: str | None = None) -> list[Row]:
    """The targets, each beside the latest earlier actual of its metric and the growth it needs."""
    metrics = _metric_names(store)
    records = store.records("targets")
    if year is not None:
        periods.parse_year(year, ": targets are set for years")
        records = [r for r in records if r.get("period") == year]
        if not records:
            years = sorted({r["period"] for r in store.records("targets") if r.get("period")})
            have = f"available: {', '.join(years)}" if years else "the store has none"
            raise LookupFailed(f"no targets for {year} ({have})")
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
        rows.append(row)
    return rows


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


def parks(store: Store) -> list[Row]:
    """Every park, each parent before its sub-parks, with `depth` and `children` added."""
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
    for row in parks(store):
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
    ordered = parks(store)
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
            names.setdefault(r[field], []).append(r.get(field_zh) or "")
    chosen = resolve(term, names, field)
    return [r for r in records if r.get(field) == chosen]


def enterprises(store: Store) -> list[Row]:
    """The companies and organisations the report names."""
    return store.records("enterprises")


def events(store: Store) -> list[Row]:
    """Dated milestones in date order; undated ones last."""
    return sorted(
        store.records("events"), key=lambda r: (r.get("date") is None, r.get("date") or "")
    )


def show(store: Store, record_id: str) -> list[Row]:
    """One record of any kind, whole; `type` says which table it is from."""
    table, record = store.find(record_id)
    if table in ("stats", "targets"):
        record = _with_metric(record, _metric_names(store))
    # `type` is dz's word for the table; a stored field of that name (which `dz check` calls
    # unknown) must not pass the record off as another kind.
    row: Row = {"type": BY_TABLE[table].name}
    row.update((key, value) for key, value in record.items() if key != "type")
    return [row]


def search(store: Store, text: str) -> list[Row]:
    """Every record with a string field (Chinese or English, at any depth) containing `text`."""
    wanted = fold(text)
    if not wanted.strip():
        return []
    metrics = _metric_names(store)
    rows = []
    for table in TABLES:
        for record in store.records(table, mentioning=wanted):
            hit = next(_matches(record, wanted, ""), None)
            if hit is None:
                continue
            named = _with_metric(record, metrics) if table in ("stats", "targets") else record
            rows.append(
                {
                    "type": BY_TABLE[table].name,
                    "id": record.get("id"),
                    "name_zh": named.get("name_zh"),
                    "name_en": named.get("name_en"),
                    "field": hit[0],
                    "text": hit[1],
                    "source": record.get("source"),
                }
            )
    return rows


# Codes every record shares (the source's id, "reported", "CNY"): not text a person searches.
_NOT_TEXT = frozenset({"doc", "kind", "base_unit"})


def _matches(value: object, wanted: str, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        if wanted in fold(value):
            yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in _NOT_TEXT:
                yield from _matches(item, wanted, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _matches(item, wanted, f"{path}[{index}]")
