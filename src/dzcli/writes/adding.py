"""What `dz add`, `dz prefer`, `dz retract` and `dz import` change, inside one `Write`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dzcli.model.errors import LookupFailed, WriteRefused
from dzcli.model.kinds import RecordKind
from dzcli.writes import claims, importing, provenance
from dzcli.writes import records as build
from dzcli.writes.session import Write

Record = dict[str, Any]


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
                for doc_id, r in write.records("stats")
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
    found = write.find(doc)
    if found is None or found[0] != "sources":
        raise WriteRefused(f"reference: {doc!r} is not a registered source (see `dz sources`)")
    source = found[2]
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
            for other_doc, other in write.records(table):
                same = (other.get("metric"), other.get("period")) == (
                    record.get("metric"),
                    record.get("period"),
                )
                if same and other_doc != doc_id and other.get("claim_rank") == claims.PREFERRED:
                    changes[other_doc] = {**other, "claim_rank": claims.NORMAL}
        write.replace(table, changes, retracted=rank == claims.DEPRECATED)
        write.commit(doc=record.get("source", {}).get("doc"))


def import_file(path: Path, table: str | None, dry_run: bool, write: Write) -> dict[str, int]:
    rows = importing.read_rows(path)
    kind = importing.kind_of(table, rows)
    textual = path.suffix.lower() in (".csv", ".tsv")
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    with write:
        stored = {r.get("id"): (doc_id, r) for doc_id, r in write.records(kind.table)}
        added: list[Record] = []
        updated: dict[str, Record] = {}
        seen: set[object] = set()
        for number, fields in importing.records(kind, rows, textual):
            record_id = fields.get("id")
            if record_id in seen:
                raise WriteRefused(f"row {number}, field id: {record_id!r} is in two rows")
            seen.add(record_id)
            doc_id, old = stored.get(record_id, (None, None))
            record = importing.complete(kind, fields, old)
            if old is not None and record == old:
                counts["unchanged"] += 1
                continue
            importing.refuse_misfit(kind, number, record)
            value = record.get("value")
            quote = (record.get("source") or {}).get("quote")
            if "value" in kind.fields and value is not None and isinstance(quote, str):
                try:
                    provenance.require_value_in_quote(repr(value), quote)
                except WriteRefused as error:
                    raise WriteRefused(f"row {number}, field value: {error}") from None
            if doc_id is None:
                added.append(record)
            else:
                updated[doc_id] = record
        counts["added"], counts["updated"] = len(added), len(updated)
        if dry_run:
            return counts
        write.insert(kind.table, added)
        write.replace(kind.table, updated)
        write.commit()
    return counts
