"""`dz stats`: the statistics of a year or a period, one answer per metric and period."""

from __future__ import annotations

from typing import Any

from dzcli.model import periods
from dzcli.model.errors import BadUsage, LookupFailed
from dzcli.queries.areas import of_areas
from dzcli.queries.common import SHOWN, Row, among, metrics_in
from dzcli.read.store import Store, decode


def stat_periods(store: Store) -> list[str]:
    """Every period that has statistics, in chronological order."""
    return [period for (period,) in store.query("SELECT period FROM periods ORDER BY position")]


def stats(
    store: Store,
    period: str | None = None,
    metric: str | None = None,
    category: str | None = None,
    all_claims: bool = False,
    every_period: bool = False,
    area: str | None = None,
) -> list[Row]:
    """The statistics of a year (with its quarters and month ranges) or of one period, or with
    `every_period` of every period, oldest first.

    No period means the latest year that has data (for the metric or category asked for).
    One row per metric and period, the claim that answers, unless `all_claims`. The zone's,
    or `area`'s (`all`: every area's).
    """
    if every_period and period is not None:
        raise BadUsage(f"--all is every period: give it without a period (not {period!r})")
    if period is not None:
        period = periods.parse_period(period)
    wanted, params = of_areas(store, among("s.metric", metrics_in(store, metric, category)), area)
    available = stat_periods(store)
    if not available:
        raise LookupFailed("the store holds no statistics")
    if every_period:
        return ranked(
            store,
            f"WHERE {SHOWN} AND {wanted} ORDER BY p.position, s.rowid",
            [all_claims, *params],
            all_claims,
        )
    if period is None:
        latest = store.query(
            f"SELECT p.period FROM stats s JOIN periods p USING (period) WHERE {wanted} "
            "ORDER BY p.position DESC LIMIT 1",
            params,
        ).fetchone()
        if latest is None:
            return []
        period = periods.year_of(latest[0])
    elif not any(periods.covers(period, p) for p in available):
        years = list(dict.fromkeys(periods.year_of(p) for p in available))
        choices = years if periods.is_whole_year(period) else available
        raise LookupFailed(f"no statistics for {period} (available: {', '.join(choices)})")
    return ranked(
        store,
        f"WHERE (s.period = ? OR (? AND substr(s.period, 1, 4) = ?)) AND {SHOWN} AND {wanted} "
        "ORDER BY p.position, s.rowid",
        [period, periods.is_whole_year(period), period, all_claims, *params],
        all_claims,
    )


def ranked(store: Store, where: str, params: list[Any], all_claims: bool) -> list[Row]:
    """The stats rows the clause selects (stats `s`, periods `p`), each with the rate it shows;
    with `all_claims`, each ranked one says which claim answers for its metric and period
    (`answered_by`)."""
    found = store.query(
        f"SELECT s.row, s.answer IS NOT NULL, s.answered_by, s.rate_shown FROM stats s "
        f"JOIN periods p USING (period) {where}",
        params,
    )
    rows = []
    for row, keyed, answered_by, rate_shown in found:
        record: Row = decode(row)
        if rate_shown is not None:  # another claim's rate, shown where this one states none
            record.update(decode(rate_shown))
        if all_claims and keyed:
            record["answered_by"] = answered_by
        rows.append(record)
    return rows
