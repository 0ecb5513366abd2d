"""Several claims for one metric and period (issue 9's model, after Wikidata's ranks).

The first claim is `metric@period`; each further one `metric@period#source`. A claim that
agrees with the others within rounding corroborates them; one that disagrees is refused
unless the user says which is the answer (`--prefer`) or that both stand (`--keep-existing`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dzcli.model.errors import WriteRefused
from dzcli.model.numbers import is_number
from dzcli.model.units import UNITS

Record = dict[str, Any]
PREFERRED, NORMAL, DEPRECATED = "preferred", "normal", "deprecated"
APPROX_TOLERANCE = 0.05  # as `dz check`: a value marked approx may be this far either way


def claim_id(record: Record) -> str:
    return f"{record['metric']}@{record['period']}#{record['source']['doc']}"


def place(
    new: Record, existing: list[Record], *, prefer: bool, keep_existing: bool
) -> list[Record]:
    """Give `new` its id and rank among the `existing` claims for its metric and period;
    return the existing claims whose rank must change (to normal, when `new` is preferred)."""
    standing = [claim for claim in existing if claim.get("claim_rank") != DEPRECATED]
    if existing:
        new["id"] = claim_id(new)
        if any(claim.get("id") == new["id"] for claim in existing):
            raise WriteRefused(
                f"claims: {new['id']} is already in the store (one claim per source for a "
                "metric and period; `dz retract` it or edit it with `dz import`)"
            )
    conflicts = [claim for claim in standing if not agrees(new, claim)]
    if conflicts and not (prefer or keep_existing):
        other = conflicts[0]
        raise WriteRefused(
            f"claims: {new['value']} {new['unit']} disagrees with {other.get('id')} "
            f"({other.get('value')} {other.get('unit')}); say --prefer to make the new claim "
            "the answer, or --keep-existing to keep both as they are"
        )
    new["claim_rank"] = PREFERRED if prefer else NORMAL
    if not prefer:
        return []
    demoted = []
    for claim in standing:
        if claim.get("claim_rank") == PREFERRED:
            demoted.append({**claim, "claim_rank": NORMAL})
    return demoted


def agrees(a: Record, b: Record) -> bool:
    """Whether two claims can be the same number rounded (in base units), or both unknown."""
    if not (is_number(a.get("value")) and is_number(b.get("value"))):
        return a.get("value") is None and b.get("value") is None
    low_a, high_a = _bounds(a)
    low_b, high_b = _bounds(b)
    return low_a <= high_b and low_b <= high_a


def _bounds(claim: Record) -> tuple[float, float]:
    value = claim["value"]
    scale = 10 ** UNITS.get(str(claim.get("unit")), ("", 0))[1]
    exponent = Decimal(repr(value)).as_tuple().exponent
    half = 0.5 * 10.0 ** (exponent if isinstance(exponent, int) and exponent < 0 else 0)
    if claim.get("approx") is True:
        half = max(half, abs(value) * APPROX_TOLERANCE)
    return ((value - half) * scale, (value + half) * scale)


def ranked(table: str, record: Record, rank: str, reason: str | None) -> Record:
    if table != "stats":
        raise WriteRefused(
            f"claims: {record.get('id')} is not a statistic; only claims have a rank"
        )
    return {**record, "claim_rank": rank, "rank_reason": reason}
