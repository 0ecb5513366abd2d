"""The one door every write passes: a change is refused if it would bring a `dz check` error
into the store (so a store that passes `dz check` still does after any write).

It asks what `dz check` asks, in two steps scaled to the change:
- each changed record on its own, through the validator's per-record entry point
  (`dzcli.model.validate.record_problems`): types, vocabularies, id forms;
- what only several records can tell (`store_problems`: unique ids, one claim per source for a
  metric and period; then every rule of `dzcli.check.RULES`: references, provenance,
  arithmetic, plausibility, consistency) over the change's scope, not record by record again.

The scope is the whole store while it is small. In a big store (`LockedAtomicStorage.lazy`,
from 4 MB) it is the neighbourhood of the change: the records changed,
every record of a small table, and every record of a big table whose text names a changed
record's id, metric or park (what the cross-record rules can join it to; in the sources, a
source it cites), found by one scan of the table's bytes per name (`SplicedTable.mentioning`).
That keeps the checks of `dz add stat` on 250,000 statistics to a fraction of a second
(benchmarks/bench.py).

An error is refused only if it is new: the scope is checked again as it was before the change
(only when the changed store has an error at all), so a store with old errors stays writable
and a write never has to fix what it did not touch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from dzcli.model.errors import WriteRefused
from dzcli.model.kinds import BY_TABLE, RecordKind
from dzcli.model.validate import record_problems, store_problems
from dzcli.writes import journal
from dzcli.writes.storage import LockedAtomicStorage, needles

SMALL_TABLE = 64 << 10
"""A table of at most this many bytes in the file is always checked whole. (Not the sources of
a big store: checking a source reads its text, so only those a change cites are checked.)"""
SOURCES = "sources"
_LINKS = ("id", "metric", "share_of", "park", "parent", "enterprise")


def refuse_unless_valid(
    storage: LockedAtomicStorage, changed: Mapping[str, Iterable[str]], sources_dir: Path | None
) -> None:
    """Raise WriteRefused, naming the rule and the record, if the change brings in an error.

    `changed`: table → document ids added or changed.
    """
    doc_ids = {table: list(ids) for table, ids in changed.items()}
    _refuse_new(_record_errors(storage, doc_ids))
    if storage.lazy:
        before, after = _neighbourhood(storage, doc_ids)
    else:
        now = storage.read()
        before = storage.originals()
        after = {name: {doc: table.peek(doc) for doc in table} for name, table in now.items()}
    errors = _scope_errors(after, sources_dir)
    if errors:
        _refuse_new((_scope_errors(before, sources_dir), errors))


def refuse_bad_row(kind: RecordKind, where: str, record: dict[str, Any]) -> None:
    """An import's row, checked on its own as `refuse_unless_valid` will check it, but early,
    so the error names the row and the field (`row 501, field value: …`)."""
    for misfit in record_problems(kind, record):
        field = f", field {misfit.field}" if misfit.field else ""
        raise WriteRefused(f"{where}{field}: {misfit.message}")


def _refuse_new(old_and_new: tuple[list[str], list[str]]) -> None:
    old, new = old_and_new
    left = Counter(old)
    for line in new:
        if left[line] > 0:
            left[line] -= 1
            continue
        raise WriteRefused(f"the store would fail `dz check`: {line}")


def _record_errors(
    storage: LockedAtomicStorage, changed: Mapping[str, list[str]]
) -> tuple[list[str], list[str]]:
    """The per-record errors of each changed record, as it was and as it is now."""
    old: list[str] = []
    new: list[str] = []
    for table, doc_ids in changed.items():
        kind = BY_TABLE.get(table)
        if kind is None:
            continue
        for doc_id in doc_ids:
            was = storage.original(table, doc_id)
            if was is not None:
                old.extend(_lines(table, record_problems(kind, was)))
            new.extend(_lines(table, record_problems(kind, storage.record(table, doc_id))))
    return old, new


def _lines(table: str, misfits: Iterable[Any]) -> Iterator[str]:
    for misfit in misfits:
        field = f" (field {misfit.field})" if misfit.field else ""
        yield f"{table} {misfit.record_id}: error: schema: {misfit.message}{field}"


def _scope_errors(data: dict[str, Any], sources_dir: Path | None) -> list[str]:
    """The errors `dz check` finds across the records of `data` (not record by record)."""
    from dzcli.check import RULES, Severity  # the write path only
    from dzcli.check.view import StoreView

    lines = list(_lines("store", store_problems(data)))
    view = StoreView(data, sources_dir)
    for rule in RULES:
        if rule.severity is not Severity.error:
            continue
        for table, record, message in rule.find(view):
            where = " ".join(part for part in (table, view.label(record)) if part)
            lines.append(f"{where}: error: {rule.family}: {message}")
    return lines


def _neighbourhood(
    storage: LockedAtomicStorage, changed: Mapping[str, Iterable[str]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    now = storage.read()
    tokens: set[bytes] = set()
    cited: set[bytes] = set()  # sought in the sources only: many records cite one source
    for table, doc_ids in changed.items():
        if table == journal.TABLE:
            continue  # no record refers to a log entry: only its own checks concern it
        for doc_id in doc_ids:
            record = storage.record(table, doc_id)
            values = (record.get(field) for field in _LINKS)
            tokens.update(token for v in values if v for token in needles(v))
            cited.update(token for v in _cited_docs(record) for token in needles(v))
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, records in now.items():
        touched = set(changed.get(name, ()))
        if records.size <= SMALL_TABLE:
            keep = list(records)
        else:
            sought = tokens | cited if name == SOURCES else tokens
            keep = list(dict.fromkeys([*touched, *records.mentioning(sorted(sought))]))
        before[name] = {d: was for d in keep if (was := records.original(d)) is not None}
        after[name] = {d: records.peek(d) for d in keep if d in records}
    return before, after


def _cited_docs(value: object) -> Iterator[str]:
    """The sources a record cites, at any depth (its source, further quotes, figures)."""
    if isinstance(value, dict):
        doc = value.get("doc")
        if isinstance(doc, str):
            yield doc
        for inner in value.values():
            yield from _cited_docs(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _cited_docs(inner)
