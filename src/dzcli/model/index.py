"""Statistics indexed by (metric, period), with the lookup a year-over-year rate needs.

`queries` (growth) and `dz check` (arithmetic) both ask "what is this metric's value in the
period a year before?"; they ask it here. Where several sources claim a value for one metric
and period, the index holds the claim that answers (`claims.answer`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dzcli.model.claims import answer, groups, key_of
from dzcli.model.periods import previous_year

Row = dict[str, Any]


class StatIndex:
    """Records keyed by their metric and period; those lacking either are left out."""

    def __init__(
        self, records: Iterable[Row], grouped: dict[tuple[str, str], list[Row]] | None = None
    ) -> None:
        """`grouped`: `claims.groups(records)`, if the caller has it already."""
        by_key = groups(records) if grouped is None else grouped
        self._by_key: dict[tuple[str, str], Row] = {
            key: chosen for key, claims in by_key.items() if (chosen := answer(claims))
        }

    def get(self, metric: str, period: str) -> Row | None:
        return self._by_key.get((metric, period))

    def previous(self, record: Row) -> Row | None:
        """The record of the same metric one year before `record`'s period, if stored."""
        key = key_of(record)
        if key is None:
            return None
        before = previous_year(key[1])
        return None if before is None else self._by_key.get((key[0], before))

    def __contains__(self, key: object) -> bool:
        return key in self._by_key
