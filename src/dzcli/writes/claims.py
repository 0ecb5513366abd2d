"""Several claims for one metric and period (issue 9's model, after Wikidata's ranks).

The first claim is `metric@period`; each further one `metric@period#source`. A claim that
agrees with the others within rounding (`dzcli.model.claims.agree`, the rule `dz check` and the
listings use) corroborates them; one that disagrees is refused
unless the user says which is the answer (`--prefer`) or that both stand (`--keep-existing`).
"""

from __future__ import annotations

from typing import Any

from dzcli.model import claims as model
from dzcli.model.errors import WriteRefused
from dzcli.model.kinds import stat_id

Record = dict[str, Any]
PREFERRED, NORMAL, DEPRECATED = model.PREFERRED, model.NORMAL, model.DEPRECATED


def claim_id(record: Record) -> str:
    """A further claim's id: its metric, area and period, and its source."""
    return str(stat_id({**record, "id": "#"}))


def place(
    new: Record,
    existing: list[Record],
    *,
    prefer: bool,
    keep_existing: bool,
    keep_id: bool = False,
) -> list[Record]:
    """Give `new` its id (unless `keep_id`: a retracted claim made again keeps its own) and
    rank among the `existing` claims for its metric and period; return the existing claims
    whose rank must change.

    `--prefer`: the new claim is the answer, a preferred one becomes normal. `--keep-existing`:
    the new claim is kept as normal and the current answer stays the answer, made preferred
    (the claim model calls a normal claim that disagrees with a normal answer a conflict,
    which `dz check` refuses)."""
    standing = [claim for claim in existing if model.rank_of(claim) != model.DEPRECATED]
    if existing and not keep_id:
        new["id"] = claim_id(new)
        if any(claim.get("id") == new["id"] for claim in existing):
            raise WriteRefused(
                f"claims: {new['id']} is already in the store (one claim per source for a "
                f"metric and period; change it with `dz edit {new['id']}`)"
            )
    conflicts = [claim for claim in standing if not model.agree(new, claim)]
    if conflicts and not (prefer or keep_existing):
        other = conflicts[0]
        raise WriteRefused(
            f"claims: {new['value']} {new['unit']} disagrees with {other.get('id')} "
            f"({other.get('value')} {other.get('unit')}); say --prefer to make the new claim "
            "the answer, or --keep-existing to keep the current answer"
        )
    new["claim_rank"] = PREFERRED if prefer else NORMAL
    if prefer:
        return [
            {**claim, "claim_rank": NORMAL}
            for claim in standing
            if model.rank_of(claim) == PREFERRED
        ]
    current = model.answer(standing)
    if conflicts and current is not None and model.rank_of(current) != PREFERRED:
        return [{**current, "claim_rank": PREFERRED}]
    return []


def of_source(claims: dict[str, Record], doc: object) -> tuple[str, Record] | None:
    """The claim (document id, record) that source `doc` makes among `claims`, if any: a
    source makes one claim for a metric and period."""
    for doc_id, claim in claims.items():
        source = claim.get("source")
        if isinstance(source, dict) and source.get("doc") == doc:
            return doc_id, claim
    return None


def ranked(table: str, record: Record, rank: str, reason: str | None) -> Record:
    if table != "stats":
        raise WriteRefused(
            f"claims: {record.get('id')} is not a statistic; only claims have a rank"
        )
    return {**record, "claim_rank": rank, "rank_reason": reason}
