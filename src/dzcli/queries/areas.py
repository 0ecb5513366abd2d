"""`dz areas` and `dz compare`, and the `--area` of `dz stats`, `dz growth` and `dz targets`:
the places whose figures the store holds, and one metric across them."""

from __future__ import annotations

from dzcli.model import growth, periods
from dzcli.model.errors import LookupFailed
from dzcli.model.kinds import HOME_AREA
from dzcli.model.numbers import is_number
from dzcli.queries.common import Answer, Row, among, metrics, resolve_metric
from dzcli.queries.trees import resolve_named, tree, within
from dzcli.read.store import Store

EVERY_AREA = "all"
"""`--area all`: the figures of every area."""


def chosen_areas(store: Store, term: str | None) -> list[str] | None:
    """The areas `--area` keeps: the zone's by default, every one (None) for `all`."""
    if term is None:
        return [HOME_AREA]
    if term.strip().casefold() == EVERY_AREA:
        return None
    return [resolve_named(store, "areas", term, "area")]


def of_areas(
    store: Store, clause: tuple[str, list[str]], term: str | None
) -> tuple[str, list[str]]:
    """A stats query's WHERE `clause` (SQL and parameters) with the area `--area` asks for."""
    sql, params = among("s.area", chosen_areas(store, term))
    return f"{clause[0]} AND {sql}", [*clause[1], *params]


def areas(store: Store, area: str | None = None) -> list[Row]:
    """Every area, each within its parent, with how many stats and targets are of it; with
    `area`, that area and those within it."""
    counted = {
        table: dict(store.query(f'SELECT area, count(*) FROM "{table}" GROUP BY area').fetchall())
        for table in ("stats", "targets")
    }
    rows = [
        {**row, "figures": {table: counted[table].get(row["id"], 0) for table in counted}}
        for row in tree(store.records("areas"))
    ]
    return rows if area is None else within(rows, resolve_named(store, "areas", area, "area"))


def compare(store: Store, metric: str, period: str | None = None) -> Answer:
    """The answer for `metric` of every area that has one, side by side for each period (or
    `period`, a year with its quarters): its value, rate and basis, and where its parent area
    has a value too, in the same base unit, its share of the parent's, derived. An area that
    has a figure of the metric in some period but not in this one is shown without one, and
    a share that cannot be had says why (`why_not`)."""
    metric_id = resolve_metric(store, metric)
    named = metrics(store)[metric_id]
    if period is not None:
        period = periods.parse_period(period)
    found = store.rows(
        "SELECT s.row FROM stats s JOIN periods p USING (period) WHERE s.answer AND s.metric = ? "
        "ORDER BY p.position, s.rowid",
        [metric_id],
    )
    if not found:
        raise LookupFailed(f"no area has a figure of {metric_id}")
    placed = tree(store.records("areas"))
    order = [row["id"] for row in placed if any(r.get("area") == row["id"] for r in found)]
    parents = {row["id"]: row.get("parent") for row in placed}
    names = {row["id"]: (row.get("name_zh"), row.get("name_en")) for row in placed}
    by_period: dict[str, dict[str, Row]] = {}
    for row in found:
        by_period.setdefault(str(row["period"]), {})[str(row.get("area"))] = row
    chosen = [p for p in by_period if period is None or periods.covers(period, p)]
    if not chosen:
        have = ", ".join(by_period)
        raise LookupFailed(f"no figure of {metric_id} for {period} (available: {have})")
    rows = []
    for each in chosen:
        figures = by_period[each]
        for area in order:
            row = _compared(metric_id, each, area, figures, parents, names)
            rows.append({**row, "name_zh": named.get("name_zh"), "name_en": named.get("name_en")})
    return Answer(rows)


def _compared(
    metric: str,
    period: str,
    area: str,
    figures: dict[str, Row],
    parents: dict[str, str | None],
    names: dict[str, tuple[object, object]],
) -> Row:
    own, parent = figures.get(area), parents.get(area)
    whole = figures.get(parent) if parent is not None else None
    share, why_not = _share(own, whole, parent)
    row: Row = {"metric": metric, "name_zh": None, "name_en": None, "period": period}
    row["area"] = area
    row["area_name_zh"], row["area_name_en"] = names.get(area, (None, None))
    for field in ("id", "value", "unit", "base_value", "base_unit"):
        row[field] = None if own is None else own.get(field)
    for field in ("yoy_pct", "basis", "approx", "bound", "source"):
        row[field] = None if own is None else own.get(field)
    row["parent"] = parent
    row["share_of_parent"] = share
    row["why_not"] = why_not
    return row


def _share(own: Row | None, whole: Row | None, parent: str | None) -> tuple[Row | None, str | None]:
    """The derived share of an area's value in its parent's, or why there is none: a code
    (`views` words it)."""
    if own is None:
        return None, "no_figure"
    if parent is None:
        return None, "no_parent"
    if whole is None:
        return None, "parent_missing"
    part, total = own.get("base_value"), whole.get("base_value")
    if own.get("base_unit") != whole.get("base_unit"):
        return None, "other_unit"
    if not (is_number(part) and is_number(total)):
        return None, "no_value"
    value = growth.share_pct(part, total)
    if value is None:
        return None, "not_computable"
    return {
        "value_pct": value,
        "kind": "derived",
        "formula": growth.SHARE_PCT,
        "inputs": {
            "base_value": part,
            "parent_base_value": total,
            "base_unit": own.get("base_unit"),
            "from": [own.get("id"), whole.get("id")],
        },
    }, None
