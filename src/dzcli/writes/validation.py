"""The one door every write passes: a change is refused if it would bring a `dz check` error
into the store (so a store that passes `dz check` still does after any write).

It asks what `dz check` asks of the changed store, in two steps:
- each changed record on its own, through the validator's per-record entry point
  (`dzcli.model.validate.record_problems`): types, vocabularies, id forms;
- what only several records can tell (`store_problems`: unique ids, one claim per source for a
  metric and period; then every error rule of `dzcli.check.RULES`) over the records the rules
  can join a changed record to: every record of every table of at most WHOLE_TABLE records,
  and of a bigger one (the statistics of a big store) those that name, or are named by, what a
  changed record names (its id, metric, park, …, its id up to case and Unicode form), and those
  a relation names. A rule finds a problem that involves a changed record among those records
  as it would in the whole store; the others it finds alike before and after the change.

An error is refused only if it is new: the same records are checked as they were before the
change (only when the changed store has an error at all), so a store with old errors stays
writable and a write never has to fix what it did not touch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from dzcli.model.errors import WriteRefused
from dzcli.model.kinds import ANY_RECORD, BY_TABLE, REFERENCES, RecordKind
from dzcli.model.matching import fold
from dzcli.model.validate import record_problems, store_problems

Record = dict[str, Any]
Tables = dict[str, dict[str, Record]]
Changes = Mapping[str, Mapping[str, Record | None]]
"""table → document id → the record as it was before the change (None: added by it)."""

WHOLE_TABLE = 5_000
"""A table of at most this many records is checked whole."""
_LINKS = sorted({"id", *(field for (_table, field) in REFERENCES)})
"""The fields by which one record names another (`kinds.REFERENCES`), and the id itself."""


def refuse_unless_valid(after: Tables, changes: Changes, sources_dir: Path | None) -> None:
    """Raise WriteRefused, naming the rule and the record, if the change brings in an error."""
    _refuse_new(_record_errors(after, changes))
    now, was = scope(after, changes)
    errors = _scope_errors(now, sources_dir)
    if errors:
        _refuse_new((_scope_errors(was, sources_dir), errors))


def refuse_bad_row(kind: RecordKind, where: str, record: dict[str, Any]) -> None:
    """An import's row, checked on its own as `refuse_unless_valid` will check it, but early,
    so the error names the row and the field (`row 501, field value: …`)."""
    for misfit in record_problems(kind, record):
        field = f", field {misfit.field}" if misfit.field else ""
        raise WriteRefused(f"{where}{field}: {misfit.message}")


def scope(after: Tables, changes: Changes, whole: int = WHOLE_TABLE) -> tuple[Tables, Tables]:
    """The records the checks of a change look at, as they are now and as they were, in the
    store's order (which claim answers depends on it)."""
    named = _named(after, changes)
    folded_ids = {fold(value) for value in named}
    now: Tables = {}
    was: Tables = {}
    for table, records in after.items():
        changed = changes.get(table, {})
        if len(records) <= whole:
            kept = list(records)
        else:
            kept = [
                doc
                for doc, record in records.items()
                if doc in changed or _related(record, named, folded_ids)
            ]
        now[table] = {doc: records[doc] for doc in kept}
        before = {doc: changed[doc] if doc in changed else records[doc] for doc in kept}
        # What the change removed, at the end (`dz undo` of an addition removes records).
        before.update((doc, old) for doc, old in changed.items() if doc not in records)
        was[table] = {doc: record for doc, record in before.items() if record is not None}
    return now, was


def _named(after: Tables, changes: Changes) -> set[str]:
    """The ids the changed records name and are named by, and every record a relation names
    (its part, whole and members: the records `parts-within-wholes` compares)."""
    found: set[object] = set()
    for table, changed in changes.items():
        for doc, old in changed.items():
            for record in (after.get(table, {}).get(doc), old):
                if isinstance(record, dict):
                    found.update(_link_values(table, record))
    for relation in after.get("relations", {}).values():
        found.update(_link_values("relations", relation))
    return {value.split("#")[0] for value in found if isinstance(value, str)}


def _link_values(table: str, record: Record) -> Iterator[object]:
    for field in _LINKS:
        value = record.get(field)
        yield from value if isinstance(value, list) else [value]
    for (owner, field), target in REFERENCES.items():
        if owner == table and target == ANY_RECORD:
            value = record.get(field)
            yield from value if isinstance(value, list) else [value]


def _related(record: Record, named: set[str], folded_ids: set[str]) -> bool:
    """Whether a link of `record` (a text, or a text in a list) is named, or its id folded."""
    try:
        # At C speed, for the common record, whose links are texts or null; a list's hash
        # raises TypeError, and such a record is looked at value by value.
        linked = not named.isdisjoint(map(record.get, _LINKS))
    except TypeError:
        linked = any(_named_in(value, named) for value in map(record.get, _LINKS))
    if linked:
        return True
    record_id = record.get("id")
    return isinstance(record_id, str) and fold(record_id) in folded_ids


def _named_in(value: object, named: set[str]) -> bool:
    if isinstance(value, list):
        return any(item in named for item in value if isinstance(item, str))
    return isinstance(value, str) and value in named


def _refuse_new(old_and_new: tuple[list[str], list[str]]) -> None:
    old, new = old_and_new
    left = Counter(old)
    for line in new:
        if left[line] > 0:
            left[line] -= 1
            continue
        raise WriteRefused(f"the store would fail `dz check`: {line}")


def _record_errors(after: Tables, changes: Changes) -> tuple[list[str], list[str]]:
    """The per-record errors of each changed record, as it was and as it is now."""
    old: list[str] = []
    new: list[str] = []
    for table, changed in changes.items():
        kind = BY_TABLE.get(table)
        if kind is None:
            continue
        for doc, was in changed.items():
            if was is not None:
                old.extend(_lines(table, record_problems(kind, was)))
            now = after.get(table, {}).get(doc)
            if now is not None:
                new.extend(_lines(table, record_problems(kind, now)))
    return old, new


def _lines(table: str, misfits: Iterable[Any]) -> Iterator[str]:
    for misfit in misfits:
        field = f" (field {misfit.field})" if misfit.field else ""
        yield f"{table} {misfit.record_id}: error: schema: {misfit.message}{field}"


def _scope_errors(data: Tables, sources_dir: Path | None) -> list[str]:
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
