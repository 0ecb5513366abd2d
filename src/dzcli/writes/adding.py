"""What `dz add`, `dz prefer`, `dz retract` and `dz import` change, inside one `Write`."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dzcli.model import claims as model_claims
from dzcli.model.errors import LookupFailed, WriteRefused
from dzcli.model.kinds import BY_TABLE, RecordKind
from dzcli.writes import claims, importing, journal, provenance
from dzcli.writes import records as build
from dzcli.writes.session import Write
from dzcli.writes.validation import refuse_bad_row

Record = dict[str, Any]
SOURCES = "sources"


def add(kind: RecordKind, options: dict[str, Any], write: Write) -> str:
    """Add one record of `kind` from the command's options; its id."""
    prefer, keep = options.pop("prefer", False), options.pop("keep_existing", False)
    doc, quote = options.pop("source"), options.pop("quote")
    fields = build.option_fields(kind)
    typed = {name: build.parse_value(name, fields[name], options.get(name)) for name in fields}
    record = build.build(kind, typed, {"doc": doc, "quote": quote})
    with write:
        _require_provenance(write, doc, quote)
        if "value" in fields and options.get("value") is not None:
            provenance.require_value_in_quote(str(options["value"]), quote)
        demoted: dict[str, Record] = {}
        if kind.table == "stats":
            same = {
                doc_id: r
                for doc_id, r in write.records("stats", mentioning=record["period"])
                if r.get("metric") == record["metric"] and r.get("period") == record["period"]
            }
            changes = claims.place(record, list(same.values()), prefer=prefer, keep_existing=keep)
            by_id = {r.get("id"): doc_id for doc_id, r in same.items()}
            demoted = {by_id[c["id"]]: c for c in changes}
        write.insert(kind.table, [record])
        write.replace(kind.table, demoted)
        write.commit(doc=doc)
    return str(record["id"])


def _require_provenance(write: Write, doc: str, quote: str) -> None:
    cited = write.records(SOURCES, doc, field="id")
    source = next((record for _, record in cited if record.get("id") == doc), None)
    if source is None:
        raise WriteRefused(f"reference: {doc!r} is not a registered source (see `dz sources`)")
    text = provenance.source_text(write.sources_dir, doc, str(source.get("file")))
    provenance.require_quote(quote, text, doc)


def rerank(write: Write, record_id: str, rank: str, reason: str | None) -> None:
    with write:
        found = write.find(record_id)
        if found is None:
            raise LookupFailed(f"no record with id {record_id!r}")
        table, doc_id, record = found
        changes = {doc_id: claims.ranked(table, record, rank, reason)}
        if rank == claims.PREFERRED:
            for other_doc, other in write.records(table, mentioning=record.get("period")):
                same = (other.get("metric"), other.get("period")) == (
                    record.get("metric"),
                    record.get("period"),
                )
                if same and other_doc != doc_id and other.get("claim_rank") == claims.PREFERRED:
                    changes[other_doc] = {**other, "claim_rank": claims.NORMAL}
        write.replace(table, changes, retracted=rank == claims.DEPRECATED)
        write.commit(doc=record.get("source", {}).get("doc"))


def import_file(
    path: Path, table: str | None, dry_run: bool, write: Write, *, keep_existing: bool = False
) -> dict[str, int]:
    """`dz import FILE`: the rows of one table, all or nothing; the counts of what changed."""
    rows = importing.read_rows(path)
    kind = importing.kind_of(table, rows)
    textual = path.suffix.lower() in (".csv", ".tsv")
    batch = importing.Batch(kind, rows, textual, "row")
    return import_batches([batch], dry_run, write, keep_existing=keep_existing)


def import_store(
    data: dict[str, dict[str, Record]], dry_run: bool, write: Write, *, keep_existing: bool = False
) -> dict[str, int]:
    """`dz import DIR`: every table of a store read from a data package, all or nothing. Its
    change log is not imported: it tells another store's history, and this import is logged."""
    batches = [
        importing.Batch(BY_TABLE[table], list(records.values()), False, f"{table} row")
        for table, records in data.items()
        if table in BY_TABLE and table != journal.TABLE
    ]
    return import_batches(batches, dry_run, write, keep_existing=keep_existing)


def import_batches(
    batches: list[importing.Batch], dry_run: bool, write: Write, *, keep_existing: bool
) -> dict[str, int]:
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    with write:
        changes = [_batch_changes(batch, write, counts, keep_existing) for batch in batches]
        if dry_run:
            return counts
        for batch, (added, updated) in zip(batches, changes, strict=True):
            write.insert(batch.kind.table, added)
            write.replace(batch.kind.table, updated)
        write.commit()
    return counts


def _batch_changes(
    batch: importing.Batch, write: Write, counts: dict[str, int], keep_existing: bool
) -> tuple[list[Record], dict[str, Record]]:
    """The records a batch adds, and those it updates (document id → new record)."""
    kind = batch.kind
    stored = {r.get("id"): (doc_id, r) for doc_id, r in write.records(kind.table)}
    claims_for = _claims_by_period(stored.values()) if kind.table == "stats" else {}
    added: list[Record] = []
    updated: dict[str, Record] = {}
    seen: set[object] = set()
    for number, fields in importing.records(kind, batch.rows, batch.textual):
        where = f"{batch.label} {number}"
        record_id = fields.get("id")
        if record_id in seen:
            raise WriteRefused(f"{where}, field id: {record_id!r} is in two rows")
        seen.add(record_id)
        doc_id, old = stored.get(record_id, (None, None))
        record = importing.complete(kind, fields, old)
        if old is not None and record == old:
            counts["unchanged"] += 1
            continue
        refuse_bad_row(kind, where, record)
        _require_value_in_own_quote(kind, where, record)
        if doc_id is None:
            if kind.table == "stats":
                _refuse_disagreeing_claim(where, record, claims_for, keep_existing)
            added.append(record)
        else:
            updated[doc_id] = record
    counts["added"] += len(added)
    counts["updated"] += len(updated)
    return added, updated


def _claims_by_period(stored: Iterable[tuple[str, Record]]) -> dict[tuple[Any, Any], list[Record]]:
    found: dict[tuple[Any, Any], list[Record]] = {}
    for _, record in stored:
        found.setdefault((record.get("metric"), record.get("period")), []).append(record)
    return found


def _refuse_disagreeing_claim(
    where: str,
    record: Record,
    claims_for: dict[tuple[Any, Any], list[Record]],
    keep_existing: bool,
) -> None:
    """A new claim for a metric and period that has one: as `dz add stat`, it corroborates
    if it agrees; one that disagrees is refused unless --keep-existing, and then stands as its
    row ranks it (a row that leaves the answer in conflict fails `dz check`'s rules and is
    refused: give the answer "claim_rank": "preferred" in the file)."""
    same = claims_for.setdefault((record.get("metric"), record.get("period")), [])
    standing = [c for c in same if model_claims.rank_of(c) != model_claims.DEPRECATED]
    conflict = next((c for c in standing if not model_claims.agree(record, c)), None)
    if conflict is not None and not keep_existing:
        raise WriteRefused(
            f"{where}, field value: claims: {record.get('value')} {record.get('unit')} "
            f"disagrees with {conflict.get('id')} ({conflict.get('value')} "
            f"{conflict.get('unit')}); say --keep-existing to keep both"
        )
    same.append(record)


def _require_value_in_own_quote(kind: RecordKind, where: str, record: Record) -> None:
    value = record.get("value")
    quote = (record.get("source") or {}).get("quote")
    if "value" in kind.fields and value is not None and isinstance(quote, str):
        try:
            provenance.require_value_in_quote(repr(value), quote)
        except WriteRefused as error:
            raise WriteRefused(f"{where}, field value: {error}") from None
