"""The shape of a dz store: which fields each kind of record has and what each may hold.

The store refuses to open a file whose records break these rules, so no command ever meets a
value of the wrong type (`open_store` reports the first misfit); `dz check` lists them all.
Only types and syntax live here; units, references, provenance and arithmetic are `check`'s.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from typing import NamedTuple

from dzcli.model.fieldtypes import FieldType, obj
from dzcli.model.kinds import KINDS

# Deep enough for any real record (record → figures → figure → source → quote is 4 levels);
# the limit keeps every recursive walk over a record (search, the JSON writer) safe.
MAX_DEPTH = 32


RECORD_FIELDS: dict[str, Mapping[str, FieldType]] = {kind.table: kind.fields for kind in KINDS}
"""Each table's fields, from the registry."""


class Misfit(NamedTuple):
    """One place where the store does not have the shape above."""

    table: str  # "" for the store as a whole
    record_id: str  # the record's id; "#<document number>" when it has none; "" for a table
    message: str
    field: str = ""  # where in the record, e.g. "figures[0].source.quote"; "" for all of it


def misfits(data: object, *, complete: bool = False) -> Iterator[Misfit]:
    """Every misfit in a parsed store, in file order.

    Always: wrong types and syntax, lone surrogates, non-finite numbers, nesting deeper than
    MAX_DEPTH. With `complete` (for `dz check`) also missing and unknown fields and tables, and
    blank text where text is required: no command trips over those, but they break the contract.
    """
    if not isinstance(data, dict):
        yield Misfit("", "", "the store is not a JSON object")
        return
    for table, fields in RECORD_FIELDS.items():
        if table not in data:
            yield Misfit(table, "", "table missing")
            continue
        records = data[table]
        if not isinstance(records, dict):
            yield Misfit(table, "", "table is not an object of records")
            continue
        for doc_id, record in records.items():
            yield from _record_misfits(table, doc_id, record, fields, complete)
    if complete:
        for table in data:
            if table not in RECORD_FIELDS:
                yield Misfit(_shown(table), "", "unknown table")


def record_label(record: object, doc_id: str) -> str:
    """How messages name a record: its id, or its document number when it has no usable id."""
    record_id = record.get("id") if isinstance(record, dict) else None
    if isinstance(record_id, str) and record_id.strip() and is_text(record_id):
        return record_id
    return f"#{_shown(doc_id)}"


def is_text(value: str) -> bool:
    """Whether `value` can be written as UTF-8 (JSON's \\ud800 escapes can make it not)."""
    return value.isascii() or _SURROGATE.search(value) is None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _shown(text: str) -> str:
    return text if is_text(text) else repr(text)


def _record_misfits(
    table: str, doc_id: str, record: object, fields: Mapping[str, FieldType], complete: bool
) -> Iterator[Misfit]:
    label = record_label(record, doc_id)
    if not (doc_id.isascii() and doc_id.isdigit()):
        yield Misfit(table, label, f"document number {doc_id!r} is not a number")
    if not isinstance(record, dict):
        yield Misfit(table, label, "record is not an object")
        return
    for field, message in _value_misfits(record, obj(fields), "", complete, depth=0):
        yield Misfit(table, label, message, field)


def _value_misfits(
    value: object, kind: FieldType, path: str, complete: bool, depth: int
) -> Iterator[tuple[str, str]]:
    """(field, message) for each misfit in `value`, which should be of `kind`."""
    where = f"{path!r} " if path else ""
    if not kind.accepts(value):
        yield path, f"{where}is {_describe(value)}, expected {kind.expected}"
        yield from _hidden_misfits(value, path, depth)
    elif isinstance(value, str):
        if not is_text(value):
            yield path, f"{where}is not valid Unicode text (it holds a lone surrogate)"
        elif complete and not kind.optional and not value.strip():
            yield path, f"{where}is empty"
    elif isinstance(value, float) and not math.isfinite(value):
        yield path, f"{where}is {value}, not a finite number"
    elif isinstance(value, dict) and kind.fields is not None:
        for key, item in value.items():
            inner = f"{path}.{key}" if path else key
            field = kind.fields.get(key)
            if field is None:
                if complete:
                    yield inner, f"unknown field {inner!r}"
                yield from _hidden_misfits(item, inner, depth + 1)
            else:
                yield from _value_misfits(item, field, inner, complete, depth + 1)
            if not is_text(key):
                yield inner, f"field name {inner!r} is not valid Unicode text (a lone surrogate)"
        if complete:
            for key in kind.fields:
                if key not in value:
                    inner = f"{path}.{key}" if path else key
                    yield inner, f"missing field {inner!r}"
    elif isinstance(value, list) and kind.items is not None:
        for index, item in enumerate(value):
            yield from _value_misfits(item, kind.items, f"{path}[{index}]", complete, depth + 1)


def _hidden_misfits(value: object, path: str, depth: int) -> Iterator[tuple[str, str]]:
    """Lone surrogates, non-finite numbers and deep nesting anywhere under an unchecked value.

    Iterative on purpose: the value may be nested as deeply as the JSON parser allows.
    """
    stack: list[tuple[object, str, int]] = [(value, path, depth)]
    while stack:
        item, where, level = stack.pop()
        if level > MAX_DEPTH:
            yield where, f"{where!r} is nested more than {MAX_DEPTH} levels deep"
        elif isinstance(item, str) and not is_text(item):
            yield where, f"{where!r} is not valid Unicode text (it holds a lone surrogate)"
        elif isinstance(item, float) and not math.isfinite(item):
            yield where, f"{where!r} is {item}, not a finite number"
        elif isinstance(item, dict):
            if not all(is_text(key) for key in item):
                yield where, f"{where!r} has a field name that is not valid Unicode text"
            children = [(v, f"{where}.{k}", level + 1) for k, v in item.items()]
            stack.extend(reversed(children))
        elif isinstance(item, list):
            children = [(v, f"{where}[{i}]", level + 1) for i, v in enumerate(item)]
            stack.extend(reversed(children))


_JSON_TYPES: dict[type, str] = {
    dict: "an object",
    list: "a list",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}


def _describe(value: object) -> str:
    if isinstance(value, str):
        return f"the text {_clip(value)}"
    kind = _JSON_TYPES.get(type(value), type(value).__name__)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{kind} {_clip(value)}"
    return kind


def _clip(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:39] + "…"
