"""The one door every write passes: a change is refused if it would bring a `dz check` error
into the store (so a store that passes `dz check` still does after any write).

The lead may swap in the incremental validator of issue 8 here; nothing else calls `dz check`
on the write path. A small store is checked whole, before and after. A big one is checked on
the neighbourhood of the change: the records changed, every record of a small table, and
every record of a big table whose text names a changed record's id, metric or park (what the
cross-record rules can join it to). That keeps `dz add stat` on 250,000 statistics to about a
second (benchmarks/bench.py).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from dzcli.model.errors import WriteRefused
from dzcli.writes.layout import RawRecord, Tables
from dzcli.writes.storage import LockedAtomicStorage

SMALL_TABLE = 2_000
"""A table of at most this many records is always checked whole."""
_LINKS = ("id", "metric", "share_of", "park", "parent", "enterprise")


def refuse_unless_valid(
    storage: LockedAtomicStorage, changed: Mapping[str, Iterable[str]], sources_dir: Path | None
) -> None:
    """Raise WriteRefused, naming the rule and the record, if the change brings in an error.

    `changed`: table → document ids added or changed.
    """
    from dzcli import check  # the write path only

    if storage.lazy:
        before, after = _neighbourhood(storage, changed)
    else:
        before, after = _plain(storage.original), _plain(storage.read())
    old = Counter(_errors(check.report(before, sources_dir).problems))
    for line in _errors(check.report(after, sources_dir).problems):
        if old[line] > 0:
            old[line] -= 1
            continue
        raise WriteRefused(f"the store would fail `dz check`: {line}")


def _errors(problems: Iterable[Any]) -> list[str]:
    return [problem.line() for problem in problems if problem.severity == "error"]


def _plain(tables: Tables) -> dict[str, dict[str, Any]]:
    return {
        table: {
            doc: record.parse() if isinstance(record, RawRecord) else record
            for doc, record in records.items()
        }
        for table, records in tables.items()
    }


def _neighbourhood(
    storage: LockedAtomicStorage, changed: Mapping[str, Iterable[str]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    now = storage.read()
    tokens: set[bytes] = set()
    for table, doc_ids in changed.items():
        for doc_id in doc_ids:
            values = (storage.record(table, doc_id).get(field) for field in _LINKS)
            tokens.update(json.dumps(v, ensure_ascii=False).encode() for v in values if v)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for table in now.keys() | storage.original.keys():
        old, new = storage.original.get(table, {}), now.get(table, {})
        touched = set(changed.get(table, ()))
        keep = [
            doc
            for doc in dict.fromkeys([*old, *new])
            if len(new) <= SMALL_TABLE or doc in touched or _mentions(new.get(doc), tokens)
        ]
        before[table] = {d: _parsed(old[d]) for d in keep if d in old}
        after[table] = {d: _parsed(new[d]) for d in keep if d in new}
    return before, after


def _mentions(record: Any, tokens: set[bytes]) -> bool:
    if not isinstance(record, RawRecord):
        return True
    return any(token in record.text for token in tokens)


def _parsed(record: Any) -> Any:
    return record.parse() if isinstance(record, RawRecord) else record
