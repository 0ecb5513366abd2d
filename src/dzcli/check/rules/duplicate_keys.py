"""A key written twice in one JSON object: every JSON reader keeps one of the two values
silently (Python's and msgspec the last), so `dz check` reads the raw text to find them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from dzcli.check.view import Finding, StoreView
from dzcli.model.validate import record_label

DuplicateKey = tuple[tuple[str, ...], str, int]
"""(where the object is: keys and list indexes from the top, the key, how many times)."""


class KeyCounter:
    """An `object_pairs_hook` for `json.loads` that builds dicts as json does and remembers
    which objects repeat a key; `found(data)` then says where each one is."""

    def __init__(self) -> None:
        self._repeats: dict[int, tuple[dict[str, Any], list[tuple[str, int]]]] = {}

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        built = dict(pairs)
        if len(built) != len(pairs):
            counts = Counter(key for key, _value in pairs)
            repeated = [(key, n) for key, n in counts.items() if n > 1]
            self._repeats[id(built)] = (built, repeated)  # the dict itself keeps its id valid
        return built

    def found(self, data: object) -> list[DuplicateKey]:
        """Each repeated key with its place, in document order."""
        if not self._repeats:
            return []
        found: list[DuplicateKey] = []
        stack: list[tuple[object, tuple[str, ...]]] = [(data, ())]
        while stack:  # iterative: the JSON may be nested as deeply as the parser allows
            value, path = stack.pop()
            if isinstance(value, dict):
                if id(value) in self._repeats and self._repeats[id(value)][0] is value:
                    found += [(path, key, n) for key, n in self._repeats[id(value)][1]]
                stack += reversed([(item, (*path, key)) for key, item in value.items()])
            elif isinstance(value, list):
                stack += reversed([(item, (*path, f"[{i}]")) for i, item in enumerate(value)])
        return found


def no_duplicate_keys(view: StoreView) -> Iterator[Finding]:
    """No key appears twice in one JSON object (of the store, a table or a record)."""
    data = view.data if isinstance(view.data, dict) else {}
    for path, key, count in view.duplicate_keys:
        times = "twice" if count == 2 else f"{count} times"
        if len(path) < 2:  # the store itself, or a table (a document id written twice)
            table = path[0] if path else ""
            what = "document id" if path else "table"
            message = f"{what} {key!r} appears {times}; JSON readers keep only the last"
            yield Finding(table, None, message)
            continue
        table, doc_id, *inside = path
        records = data.get(table)
        record = records.get(doc_id) if isinstance(records, dict) else None
        where = _joined(inside)
        place = f"in {where!r}" if where else "in the record"
        message = f"key {key!r} appears {times} {place}; JSON readers keep only the last"
        if isinstance(record, dict):
            yield Finding(table, record, message)
        else:
            yield Finding(table, None, f"{record_label(record, doc_id)}: {message}")


def _joined(path: list[str]) -> str:
    """A path inside a record as messages spell it: figures[0].source."""
    joined = ""
    for part in path:
        joined += part if part.startswith("[") or not joined else f".{part}"
    return joined
