"""`dz edit` (change fields of one record, checked as `dz add` checks a new one) and `dz undo`
(put back what the last change changed, from the log's previous values). Both are logged."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from dzcli.model.errors import BadUsage, LookupFailed, WriteRefused
from dzcli.model.kinds import BY_TABLE, KINDS, RecordKind
from dzcli.writes import journal, provenance, references
from dzcli.writes import records as build
from dzcli.writes.session import Write

Record = dict[str, Any]
SOURCE_OPTIONS = ("source", "quote")
"""`dz edit`'s --source and --quote: the record's source.doc and source.quote."""


def editable_fields(kind: RecordKind) -> dict[str, Any]:
    """What `dz edit` may change in a record of `kind`: what `dz add` takes, but its id."""
    return {name: field for name, field in build.option_fields(kind).items() if name != "id"}


class Edited(NamedTuple):
    before: Record
    after: Record


def edit(record_id: str, options: dict[str, Any], write: Write) -> Edited:
    """Change the fields given in `options` (field → text, a flag, a list; None: not given)
    of the record `record_id`. Refused as `dz add` refuses a record,
    and for a change of what the record's id is made of (a stat's metric or period)."""
    given = {name: value for name, value in options.items() if value is not None}
    if not given:
        raise BadUsage("nothing to change: give a field and its new value (see dz edit --help)")
    with write:
        found = write.find(record_id)
        if found is None:
            raise LookupFailed(f"no record with id {record_id!r}")
        table, doc_id, old = found
        kind = BY_TABLE[table]
        if table == journal.TABLE:
            raise WriteRefused(f"{record_id} is an entry of the log, which is not edited")
        record = _changed(kind, old, given)
        record = references.resolve_names(kind, record, write, build.option_label)
        record = build.with_base_values(record)
        expected = kind.expected_id(record) if kind.expected_id is not None else record_id
        if expected != record_id:
            raise WriteRefused(
                f"{record_id}: the change would make its id {expected}; a record keeps its id "
                f"(retract it and add the new one: `dz retract {record_id}`, `dz add {kind.name}`)"
            )
        sources = provenance.Sources(write)
        provenance.require_sourced(record, sources, build.option_label, before=old)
        write.replace(table, {doc_id: record})
        source = record.get("source")
        write.commit(doc=source.get("doc") if isinstance(source, dict) else None)
    return Edited(old, record)


def _changed(kind: RecordKind, old: Record, given: dict[str, Any]) -> Record:
    fields = editable_fields(kind)
    record = dict(old)
    for name, value in given.items():
        if name in SOURCE_OPTIONS:
            source = dict(record.get("source") or {})
            source["doc" if name == "source" else "quote"] = value
            record["source"] = source
            continue
        field = fields.get(name)
        if field is None:
            raise BadUsage(
                f"{build.option_name(name)}: a {kind.name} has no such field "
                f"(its fields: {', '.join(build.option_name(f) for f in fields)})"
            )
        record[name] = _value(name, field, value)
    return record


def _value(name: str, field: Any, value: Any) -> Any:
    """The new value of a field from its option: "" makes a field that may be null null, and
    a list given as one "" empty."""
    if build.is_list(field):
        items = list(value)
        return [] if items == [""] else items
    if build.is_flag(field):
        return bool(value)
    if value == "" and field.optional:
        return None
    return build.parse_value(name, field, value)


# -- undo --------------------------------------------------------------------------------------


class Undone(NamedTuple):
    entry: Record  # the log entry undone
    removed: list[str]  # ids of the records it had added, removed again
    restored: list[str]  # ids of the records it had changed, as they were


def undo(write: Write, expected: str | None = None) -> Undone:
    """Undo the last change that is not undone yet: remove what it added, put back each record
    it changed as the log keeps it. `expected` (log:N): refuse unless that is the change."""
    with write:
        entries = sorted((record for _, record in write.records(journal.TABLE)), key=_entry_number)
        target = journal.last_change(entries)
        if target is None:
            raise LookupFailed("nothing to undo: every change in the log is undone")
        target_id = str(target.get("id"))
        if expected is not None and expected != target_id:
            raise WriteRefused(
                f"{expected} is not the last change; {target_id} is "
                f"({target.get('command')}), and dz undo undoes the last one"
            )
        write.command = journal.undo_command(target_id)
        previous = {p["id"]: json.loads(p["record"]) for p in target.get("previous") or []}
        removed = [rid for rid in target.get("added") or [] if rid not in previous]
        for record_id in removed:
            found = write.find(record_id)
            if found is None:
                raise WriteRefused(
                    f"{target_id} added {record_id}, which is no longer in the store"
                )
            table, doc_id, _ = found
            write.remove(table, [doc_id])
        for record_id, record in previous.items():
            found = write.find(record_id)
            if found is None:
                write.insert(_table_of(record, record_id), [record])
            else:
                table, doc_id, _ = found
                write.replace(table, {doc_id: record})
        write.commit(doc=target.get("doc"))
    return Undone(target, removed, list(previous))


def _entry_number(entry: Record) -> int:
    number = str(entry.get("id", "")).removeprefix("log:")
    return int(number) if number.isdigit() else 0


def _table_of(record: Record, record_id: str) -> str:
    """The table a record removed from the store goes back to: the kind whose fields it has."""
    for kind in KINDS:
        if set(record) == set(kind.fields):
            return kind.table
    raise WriteRefused(f"cannot tell which table {record_id} was in; restore it with dz import")
