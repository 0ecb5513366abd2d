"""Several claims for one number: which is the answer, which agree, which conflict.

After Wikidata's statement ranks: every claim (a stat record) keeps its own value, source and
quote, and `claim_rank` says which is the answer. A preferred claim is the answer; with none,
the first normal claim in the store is, and any normal claim that disagrees with it is a
conflict (`dz check` refuses a store with one). A deprecated claim is never the answer.
Claims agree when their values, in base units, meet within the rounding of their digits.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dzcli.model.numbers import is_number
from dzcli.model.rounding import interval, overlap, scaled

Row = dict[str, Any]

PREFERRED, NORMAL, DEPRECATED = "preferred", "normal", "deprecated"


Key = tuple[str, Any, str]
"""What the claims of a stat are claims about: its metric, area and period (two areas' figures
of one metric and period are two facts, never two claims of one)."""


def key_of(record: Row) -> Key | None:
    """A stat's (metric, area, period); None without a metric or a period."""
    metric, period = record.get("metric"), record.get("period")
    if isinstance(metric, str) and isinstance(period, str):
        area = record.get("area")
        return metric, area if isinstance(area, str) else None, period
    return None


def groups(records: Iterable[Row]) -> dict[Key, list[Row]]:
    """The claims of each (metric, area, period), in store order."""
    found: dict[Key, list[Row]] = {}
    for record in records:
        key = key_of(record)
        if key is not None:
            found.setdefault(key, []).append(record)
    return found


RATE_FIELDS = ("yoy_pct", "basis", "basis_by")
"""A reported rate and what it is: the answer that states none shows another claim's."""


def rank_of(claim: Row) -> str:
    rank = claim.get("claim_rank")
    return rank if rank in (PREFERRED, DEPRECATED) else NORMAL


def answer(claims: list[Row]) -> Row | None:
    """The claim that answers for its metric and period: the first preferred, else the first
    normal one; None when every claim is deprecated."""
    standing = [claim for claim in claims if rank_of(claim) != DEPRECATED]
    preferred = [claim for claim in standing if rank_of(claim) == PREFERRED]
    first = preferred or standing
    return first[0] if first else None


def agree(a: Row, b: Row) -> bool:
    """Whether two claims give the same number within the rounding of their digits (unknown
    values agree with anything: there is nothing to disagree with)."""
    spans = [_span(a), _span(b)]
    if spans[0] is None or spans[1] is None:
        return True
    return overlap(spans[0], spans[1])


def _span(claim: Row) -> tuple[float, float] | None:
    value, base_value = claim.get("value"), claim.get("base_value")
    if not is_number(value) or not is_number(base_value):
        return None
    own = interval(value, claim.get("approx"), claim.get("bound"))
    return own if value == 0 else scaled(own, base_value / value)


def annotate(claims: list[Row], chosen: Row) -> Row:
    """`chosen` with the ids of the standing claims that corroborate it and those that dispute
    it (none where a claim is preferred: it settles the question), and, if it answers but
    states no rate, the rate of the first standing claim that does, `yoy_from` naming that
    claim (None where the rate is its own). Claims are told apart by their ids."""
    own = chosen.get("id")
    standing = [c for c in claims if rank_of(c) != DEPRECATED]
    others = [c for c in standing if c.get("id") != own]
    settled = any(rank_of(c) == PREFERRED for c in standing)
    found: Row = {
        **chosen,
        "corroborated_by": [c.get("id") for c in others if agree(chosen, c)],
        "disputed_by": [] if settled else [c.get("id") for c in others if not agree(chosen, c)],
        "yoy_from": None,
    }
    answering = answer(claims)
    answer_id = None if answering is None else answering.get("id")
    if chosen.get("yoy_pct") is None and answer_id == own:
        rated = next((c for c in others if c.get("yoy_pct") is not None), None)
        if rated is not None:
            found.update((field, rated.get(field)) for field in RATE_FIELDS)
            found["yoy_from"] = rated.get("id")
    return found


def conflicts(claims: list[Row]) -> list[Row]:
    """The standing claims that disagree with the answer while no claim is preferred."""
    chosen = answer(claims)
    if chosen is None or rank_of(chosen) == PREFERRED:
        return []
    return [
        c for c in claims if c is not chosen and rank_of(c) != DEPRECATED and not agree(chosen, c)
    ]
