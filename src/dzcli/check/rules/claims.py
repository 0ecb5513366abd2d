"""Claim rules: several sources for one number are ranked, and a conflict is settled."""

from __future__ import annotations

from collections.abc import Iterator

from dzcli.check.view import Finding, StoreView
from dzcli.model import claims
from dzcli.model.kinds import HOME_AREA


def settled_conflicts(view: StoreView) -> Iterator[Finding]:
    """Claims for one metric and period that disagree need a preferred one: until then a
    reader cannot tell which number is the answer."""
    for (metric, area, period), group in view.contested.items():
        for claim in claims.conflicts(group):
            chosen = claims.answer(group)
            yield Finding(
                "stats",
                claim,
                f"claims for {_what(metric, area)} in {period} disagree ({_value(claim)} here, "
                f"{_value(chosen)} in {chosen and chosen.get('id')}) and none is preferred: "
                "rank one `preferred` (dz prefer ID) or retract one",
            )


def one_preferred(view: StoreView) -> Iterator[Finding]:
    """At most one preferred claim for a metric and period."""
    for (metric, area, period), group in view.contested.items():
        preferred = [c for c in group if claims.rank_of(c) == claims.PREFERRED]
        for claim in preferred[1:]:
            yield Finding(
                "stats",
                claim,
                f"{_what(metric, area)} in {period} already has a preferred claim: "
                f"{preferred[0].get('id')}",
            )


def deprecation_reasons(view: StoreView) -> Iterator[Finding]:
    """A deprecated claim says why (rank_reason)."""
    for record in view.records("stats"):
        reason = record.get("rank_reason")
        if claims.rank_of(record) == claims.DEPRECATED and not (
            isinstance(reason, str) and reason.strip()
        ):
            yield Finding("stats", record, "a deprecated claim needs a rank_reason")


def _what(metric: str, area: str | None) -> str:
    """A metric, as claims of its figures of an area are named (the zone's by the metric
    alone)."""
    return metric if area in (None, HOME_AREA) else f"{metric} of {area}"


def _value(claim: object) -> str:
    if not isinstance(claim, dict):
        return "?"
    return f"{claim.get('value')} {claim.get('unit') or ''}".rstrip()
