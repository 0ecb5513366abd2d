"""What `dz add`, `dz prefer` and `dz retract` change, inside one `Write`."""

from __future__ import annotations

from typing import Any, NamedTuple

from dzcli.model import claims as model_claims
from dzcli.model.errors import LookupFailed, WriteRefused
from dzcli.model.kinds import RecordKind
from dzcli.writes import claims, provenance, references
from dzcli.writes import records as build
from dzcli.writes.session import Write

Record = dict[str, Any]


class Added(NamedTuple):
    id: str
    replaced: bool  # a retracted claim of the same source, made again in its place


def add(kind: RecordKind, options: dict[str, Any], write: Write) -> Added:
    """Add one record of `kind` from the command's options."""
    prefer, keep = options.pop("prefer", False), options.pop("keep_existing", False)
    doc, quote = options.pop("source"), options.pop("quote")
    fields = build.option_fields(kind)
    typed = {name: build.parse_value(name, fields[name], options.get(name)) for name in fields}
    with write:
        typed = references.resolve_names(kind, typed, write, build.option_label)
        record = build.build(kind, typed, {"doc": doc, "quote": quote})
        provenance.require_sourced(record, provenance.Sources(write), build.option_label)
        if kind.table != "stats":
            write.insert(kind.table, [record])
            write.commit(doc=doc)
            return Added(str(record["id"]), replaced=False)
        replaced = _place_claim(record, write, prefer=prefer, keep=keep)
        write.commit(doc=doc)
    return Added(str(record["id"]), replaced)


def _place_claim(record: Record, write: Write, *, prefer: bool, keep: bool) -> bool:
    """Store a new stat among the claims for its metric and period; whether it took the place
    of the claim its source made before, which was retracted (the source makes one claim for a
    metric and period: made again, it is that claim, corrected; the log keeps the old one)."""
    key = model_claims.key_of(record)
    same = {
        doc_id: r
        for doc_id, r in write.records("stats", record["period"], field="period")
        if model_claims.key_of(r) == key
    }
    before = claims.of_source(same, record["source"]["doc"])
    if before is not None and model_claims.rank_of(before[1]) != model_claims.DEPRECATED:
        raise WriteRefused(
            f"claims: {before[1].get('id')} is already in the store (one claim per source for "
            f"a metric and period; change it with `dz edit {before[1].get('id')}`)"
        )
    others = {doc_id: r for doc_id, r in same.items() if before is None or doc_id != before[0]}
    if before is not None:
        record["id"] = before[1].get("id")
    changes = claims.place(
        record, list(others.values()), prefer=prefer, keep_existing=keep, keep_id=before is not None
    )
    by_id = {r.get("id"): doc_id for doc_id, r in others.items()}
    demoted = {by_id[c["id"]]: c for c in changes}
    if before is None:
        write.insert("stats", [record])
    else:
        write.replace("stats", {before[0]: record})
    write.replace("stats", demoted)
    return before is not None


def rerank(write: Write, record_id: str, rank: str, reason: str | None) -> None:
    with write:
        found = write.find(record_id)
        if found is None:
            raise LookupFailed(f"no record with id {record_id!r}")
        table, doc_id, record = found
        changes = {doc_id: claims.ranked(table, record, rank, reason)}
        if rank == claims.PREFERRED:
            key = model_claims.key_of(record)
            for other_doc, other in write.records(table, record.get("period"), field="period"):
                same = model_claims.key_of(other) == key
                if same and other_doc != doc_id and other.get("claim_rank") == claims.PREFERRED:
                    changes[other_doc] = {**other, "claim_rank": claims.NORMAL}
        write.replace(table, changes, retracted=rank == claims.DEPRECATED)
        write.commit(doc=record.get("source", {}).get("doc"))
