"""`dz import`: rows of one table, or every table of a data package, in one write.

Each row is checked as `dz add` checks a record, and named in the error if it fails (`row 3,
field value: …`): its references resolve (a name is taken for the id it names), its quotes are
in their sources' texts and its numbers and period are what its quote says, it is well formed,
and a new claim that disagrees with a stored one is refused unless --keep-existing. A row
without an id gets the one `dz add` would give it. Then the store as changed must pass
`dz check`'s rules, the dry run as the real import: a dry run stops only short of writing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from dzcli.model import claims as model_claims
from dzcli.model.errors import WriteRefused
from dzcli.model.kinds import BY_TABLE, HOME_AREA, RecordKind
from dzcli.writes import claims, importing, journal, provenance, references
from dzcli.writes.session import Write
from dzcli.writes.validation import refuse_bad_row

Record = dict[str, Any]
ClaimsByKey = dict[Any, list[Record]]  # by `claims.key_of`


class Planned(NamedTuple):
    """What an import adds and updates (ids, in the order of the rows), and leaves alone."""

    added: list[str]
    updated: list[str]
    unchanged: int


def import_file(
    path: Path,
    table: str | None,
    dry_run: bool,
    write: Write,
    *,
    keep_existing: bool = False,
    encoding: str | None = None,
) -> Planned:
    """`dz import FILE`: the rows of one table, all or nothing."""
    rows = importing.read_rows(path, encoding)
    kind = importing.kind_of(table, rows)
    textual = path.suffix.lower() in (".csv", ".tsv")
    batch = importing.Batch(kind, rows, textual, "row")
    return import_batches([batch], dry_run, write, keep_existing=keep_existing)


def import_store(
    data: dict[str, dict[str, Record]], dry_run: bool, write: Write, *, keep_existing: bool = False
) -> Planned:
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
) -> Planned:
    planned = Planned([], [], 0)
    rows: dict[str, str] = {}  # record id → the row it came from, to name it in an error
    with write:
        checks = _Checks(provenance.Sources(write), references.Names(write), keep_existing)
        changes = [_batch_changes(batch, write, checks, rows) for batch in batches]
        for batch, (added, updated, unchanged) in zip(batches, changes, strict=True):
            write.insert(batch.kind.table, added)
            write.replace(batch.kind.table, updated)
            planned.added.extend(str(record.get("id")) for record in added)
            planned.updated.extend(str(record.get("id")) for record in updated.values())
            planned = planned._replace(unchanged=planned.unchanged + unchanged)
        try:
            write.commit(dry_run=dry_run)
        except WriteRefused as error:
            raise WriteRefused(_naming_the_row(str(error), rows)) from None
    return planned


class _Checks(NamedTuple):
    """What every row of an import is checked with (sources and names looked up once)."""

    sources: provenance.Sources
    names: references.Names
    keep_existing: bool


def _batch_changes(
    batch: importing.Batch, write: Write, checks: _Checks, rows: dict[str, str]
) -> tuple[list[Record], dict[str, Record], int]:
    """The records a batch adds, those it updates (document id → new record), and how many
    rows it leaves as they are."""
    kind = batch.kind
    stored = {r.get("id"): (doc_id, r) for doc_id, r in write.records(kind.table)}
    claims_for = _claims_by_key(stored.values()) if kind.table == "stats" else {}
    added: list[Record] = []
    updated: dict[str, Record] = {}
    unchanged = 0
    for number, fields in importing.records(kind, batch.rows, batch.textual):
        where = f"{batch.label} {number}"
        fields = checks.names.resolve(kind, fields, provenance.in_row(where))
        if fields.get("id") in (None, ""):
            fields["id"] = _computed_id(kind, fields, claims_for, where)
        record_id = fields["id"]
        if record_id in rows:
            raise WriteRefused(f"{where}, field id: {record_id!r} is in two rows")
        where = f"{where} ({record_id})"  # a spreadsheet's reader finds the row by its id
        rows[str(record_id)] = where
        name = provenance.in_row(where)
        doc_id, old = stored.get(record_id, (None, None))
        record = importing.complete(kind, fields, old)
        if old is not None and record == old:
            unchanged += 1
            continue
        refuse_bad_row(kind, where, record)
        provenance.require_sourced(record, checks.sources, name, before=old)
        if doc_id is None:
            if kind.table == "stats":
                _refuse_disagreeing_claim(where, record, claims_for, checks.keep_existing)
            added.append(record)
        else:
            updated[doc_id] = record
    return added, updated, unchanged


def _claims_by_key(stored: Iterable[tuple[str, Record]]) -> ClaimsByKey:
    found: ClaimsByKey = {}
    for _, record in stored:
        found.setdefault(model_claims.key_of(record), []).append(record)
    return found


def _computed_id(kind: RecordKind, fields: Record, claims_for: ClaimsByKey, where: str) -> str:
    """The id `dz add` gives a record with these fields: for a stat, that of the claim its
    source already makes for the metric and period, else metric@period for the first claim
    and metric@period#source for a further one; a target's target:metric@period."""
    if kind.expected_id is None:
        raise WriteRefused(f"{where}, field id: missing (a {kind.name}'s id is not computed)")
    if kind.table != "stats":
        computed = kind.expected_id(fields)
        if computed is None:
            raise WriteRefused(f"{where}, field id: missing, and not computed ({kind.id_form})")
        return computed
    source = fields.get("source")
    doc = source.get("doc") if isinstance(source, dict) else None
    metric, period = fields.get("metric"), fields.get("period")
    area = fields.get("area", HOME_AREA)
    first = kind.expected_id({"metric": metric, "area": area, "period": period})
    if first is None or not isinstance(doc, str):
        raise WriteRefused(
            f"{where}, field id: missing, and not computed (a stat's id is metric@period, "
            "from its metric, period and source.doc)"
        )
    key = model_claims.key_of({"metric": metric, "area": area, "period": period})
    same = {str(n): claim for n, claim in enumerate(claims_for.get(key, []))}
    made = claims.of_source(same, doc)
    if made is not None:
        return str(made[1].get("id"))
    return f"{first}#{doc}" if same else first


def _refuse_disagreeing_claim(
    where: str, record: Record, claims_for: ClaimsByKey, keep_existing: bool
) -> None:
    """A new claim for a metric and period that has one: as `dz add stat`, it corroborates
    if it agrees; one that disagrees is refused unless --keep-existing, and then stands as its
    row ranks it (a row that leaves the answer in conflict fails `dz check`'s rules and is
    refused: give the answer "claim_rank": "preferred" in the file)."""
    same = claims_for.setdefault(model_claims.key_of(record), [])
    standing = [c for c in same if model_claims.rank_of(c) != model_claims.DEPRECATED]
    conflict = next((c for c in standing if not model_claims.agree(record, c)), None)
    if conflict is not None and not keep_existing:
        raise WriteRefused(
            f"{where}, field value: claims: {record.get('value')} {record.get('unit')} "
            f"disagrees with {conflict.get('id')} ({conflict.get('value')} "
            f"{conflict.get('unit')}); say --keep-existing to keep both"
        )
    same.append(record)


def _naming_the_row(message: str, rows: dict[str, str]) -> str:
    """A refusal of the changed store, led by the row of the record it names, if any."""
    for record_id, where in rows.items():
        if re.search(rf"(^|[\s(']){re.escape(record_id)}($|[\s:)'])", message):
            return f"{where}: {message}"
    return message
