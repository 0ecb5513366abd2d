"""Statistics indexed by (metric, period), with the lookup a year-over-year rate needs.

`queries` (growth) and `dz check` (arithmetic) both ask "what is this metric's value in the
period a year before?"; they ask it here. Where several sources claim a value for one metric
and period, the index holds the claim that answers (`claims.answer`).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable
from typing import Any

from dzcli.model.claims import NORMAL, answer, groups, key_of, rank_of, summary
from dzcli.model.periods import previous_year

Row = dict[str, Any]
Groups = dict[tuple[str, str], list[Row]]

year_before = functools.lru_cache(maxsize=4096)(previous_year)
"""`periods.previous_year`, remembered: a big store asks it of the same few periods for each
of its statistics."""


def summary_groups(records: Iterable[Row]) -> Groups:
    """`claims.groups(records)`, each claim held as its `claims.summary` and period: what
    ranking claims and a year-over-year rate read of it. A big store's statistics are indexed
    so while they are built one at a time, in a fraction of their memory."""
    found: Groups = {}
    intern = sys.intern  # a big store repeats each metric and period in many keys
    for record in records:
        metric, period = record.get("metric"), record.get("period")
        if isinstance(metric, str) and isinstance(period, str):
            key = (intern(metric), intern(period))
            claim = summary(record)
            claim["period"] = key[1]
            claims = found.get(key)
            if claims is None:
                found[key] = [claim]
            else:
                claims.append(claim)
    return found


class StatIndex:
    """Records keyed by their metric and period; those lacking either are left out."""

    def __init__(self, records: Iterable[Row], grouped: Groups | None = None) -> None:
        """`grouped`: `claims.groups(records)` or `summary_groups(records)`, if the caller has
        it already (then `records` is not read)."""
        by_key = groups(records) if grouped is None else grouped
        self._by_key: dict[tuple[str, str], Row] = {}
        for key, claims in by_key.items():
            # A lone normal claim answers for itself: most keys, without `answer`'s lists.
            lone = len(claims) == 1 and rank_of(claims[0]) == NORMAL
            chosen = claims[0] if lone else answer(claims)
            if chosen is not None:
                self._by_key[key] = chosen

    def get(self, metric: str, period: str) -> Row | None:
        return self._by_key.get((metric, period))

    def previous(self, record: Row) -> Row | None:
        """The record of the same metric one year before `record`'s period, if stored."""
        key = key_of(record)
        if key is None:
            return None
        before = year_before(key[1])
        return None if before is None else self._by_key.get((key[0], before))

    def __contains__(self, key: object) -> bool:
        return key in self._by_key
