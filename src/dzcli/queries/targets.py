"""`dz targets`: each target beside the latest earlier actual of its metric, and the growth it
needs to be met."""

from __future__ import annotations

from dzcli.model import growth, periods
from dzcli.model.errors import LookupFailed
from dzcli.model.numbers import is_number
from dzcli.queries.areas import chosen_areas
from dzcli.queries.common import Answer, Row, among, metrics_in
from dzcli.read.index import IN_ORDER
from dzcli.read.store import Store


def targets(
    store: Store,
    year: str | None = None,
    metric: str | None = None,
    category: str | None = None,
    area: str | None = None,
) -> Answer:
    """The targets, each beside the latest earlier actual of its metric (of its area) and the
    growth it needs: the zone's, or `area`'s (`all`: every area's).

    With a year, the targets of that year; the open-ended aims (no year) left out are counted
    in the footnote. A target without an actual or a required growth says why (`why_not`).
    """
    areas = chosen_areas(store, area)
    every = [r for r in store.records("targets") if areas is None or r.get("area") in areas]
    chosen_metrics = metrics_in(store, metric, category)
    records = [r for r in every if chosen_metrics is None or r.get("metric") in chosen_metrics]
    footnote = None
    if year is not None:
        year = periods.parse_year(year, ": targets are set for years")
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
    # The answers (never a deprecated claim) for the targets' metrics.
    wanted, params = among("metric", sorted({str(r.get("metric")) for r in records}))
    actuals: dict[object, list[Row]] = {}
    for stat in store.rows(
        f"SELECT row FROM stats WHERE answer AND {wanted} ORDER BY {IN_ORDER}", params
    ):
        actuals.setdefault(stat.get("metric"), []).append(stat)
    rows = []
    for record in records:
        row = dict(record)
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
        and a.get("area") == target.get("area")
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
