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

from dzcli.model.claims import (
    DEPRECATED,
    NORMAL,
    SUMMARY_FIELDS,
    answer,
    groups,
    key_of,
    rank_of,
)
from dzcli.model.periods import previous_year

Row = dict[str, Any]
Groups = dict[tuple[str, str], list[Row]]

year_before = functools.lru_cache(maxsize=4096)(previous_year)
"""`periods.previous_year`, remembered: a big store asks it of the same few periods for each
of its statistics."""


Claim = tuple[Any, ...]
"""A claim held small: its SUMMARY_FIELDS (None where it has none), in that order."""

_ID, _VALUE, _RANK = (SUMMARY_FIELDS.index(field) for field in ("id", "value", "claim_rank"))


INDEX_FIELDS = ("metric", "period", *SUMMARY_FIELDS)
"""What `ClaimIndex` reads of each statistic, in this order (`Store.projected` reads them)."""


class ClaimIndex:
    """Every statistic's claims by (metric, period), gathered in one read of their
    INDEX_FIELDS (a big store decodes only those) and held small: what ranking claims and a
    year-over-year rate read of each. `dz growth` asks it what `StatIndex` answers."""

    def __init__(self, claims: Iterable[tuple[Any, ...]]) -> None:
        """`claims`: each statistic's INDEX_FIELDS values, None for a missing one."""
        lone: dict[tuple[str, str], Claim] = {}
        several: Groups = {}
        intern = sys.intern  # a big store repeats each metric and period in many keys
        for values in claims:
            metric, period = values[0], values[1]
            if not (isinstance(metric, str) and isinstance(period, str)):
                continue
            key = (intern(metric), intern(period))
            claim = values[2:]
            if key in several:
                several[key].append(_summary(claim, key[1]))
            elif key in lone:
                several[key] = [_summary(lone.pop(key), key[1]), _summary(claim, key[1])]
            else:
                lone[key] = claim
        self._lone = lone
        self.several = several
        """The (metric, period)s with more than one claim: their summaries, in store order, as
        `claims.groups` holds them (the others have one claim)."""
        self._answers = {key: answer(claims) for key, claims in several.items()}

    def answers(self, metric: str, period: str, record_id: object) -> bool:
        """Whether the claim whose id is `record_id` answers for `metric` in `period`."""
        key = (metric, period)
        lone = self._lone.get(key)
        if lone is not None:  # the answer unless deprecated (`claims.answer`)
            return bool(lone[_ID] == record_id and lone[_RANK] != DEPRECATED)
        chosen = self._answers.get(key)
        return chosen is not None and chosen.get("id") == record_id

    def previous(self, metric: str, period: str) -> Row | None:
        """The claim that answers for `metric` one year before `period`, if any: at least its
        id, value and period."""
        before = year_before(period)
        if before is None:
            return None
        lone = self._lone.get((metric, before))
        if lone is not None:  # the common case: just what a rate reads of it
            if lone[_RANK] == DEPRECATED:
                return None
            return {"id": lone[_ID], "value": lone[_VALUE], "period": before}
        return self._answers.get((metric, before))


def _summary(claim: Claim, period: str) -> Row:
    row = dict(zip(SUMMARY_FIELDS, claim, strict=True))
    row["period"] = period
    return row


class StatIndex:
    """Records keyed by their metric and period; those lacking either are left out."""

    def __init__(self, records: Iterable[Row], grouped: Groups | None = None) -> None:
        """`grouped`: `claims.groups(records)`, if the caller has it already."""
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
