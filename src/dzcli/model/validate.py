"""The one validator: whether the records of a dz store are well formed.

Well formed means: each record's fields have the types of the registry (`dzcli.model.kinds`),
vocabularies hold one of their words (a project's status, `kind`, a unit with its base unit),
ids follow their kind's form and are unique, document ids are numbers TinyDB can use.

Three callers, one set of rules:
- the store reader refuses the first misfit marked `refused`: one that would make a command
  crash or print something false (a wrong type, a missing or repeated record id, a document id
  that is not a usable number, a missing table);
- `dz check` reports every misfit (`complete=True`): also missing and unknown fields, empty
  text, unknown units, ids not in their kind's form, an id shared by two tables;
- a writer checks one record with `record_problems` before it stores it (and `store_problems`
  for what only the whole store can tell: unique ids).

Rules across records (references, provenance, arithmetic, plausibility) are `dz check`'s
(`dzcli.check.rules`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from dzcli.model.fieldtypes import FieldType, obj
from dzcli.model.kinds import KINDS, RecordKind
from dzcli.model.limits import MAX_DEPTH, MAX_DOCUMENT_ID_DIGITS
from dzcli.model.units import UNITS

__all__ = [
    "RECORD_FIELDS",
    "Misfit",
    "first_refusal",
    "is_text",
    "misfits",
    "record_label",
    "record_problems",
    "store_problems",
]

RECORD_FIELDS: dict[str, Mapping[str, FieldType]] = {kind.table: kind.fields for kind in KINDS}
"""Each table's fields, from the registry."""


class Misfit(NamedTuple):
    """One place where a store or a record is not well formed."""

    table: str  # "" for the store as a whole
    record_id: str  # the record's id; "#<document number>" when it has none; "" for a table
    message: str
    field: str = ""  # where in the record, e.g. "figures[0].source.quote"; "" for all of it
    refused: bool = True  # whether the store reader refuses a store that has it


def misfits(
    data: object,
    *,
    complete: bool = False,
    well_typed: Callable[[RecordKind, object], bool] | None = None,
) -> Iterator[Misfit]:
    """The misfits of a parsed store, record by record in file order, then the store's own.

    Without `complete`, only those the reader refuses; with it (for `dz check`), all of them.
    `well_typed(kind, record)`: a quicker proof that a record has all its fields and no other,
    each of its type (`dzcli.check.proof`); where it holds, the type rules are not run again.
    """
    if not isinstance(data, dict):
        yield Misfit("", "", f"the JSON is {_describe(data)}, not an object")
        return
    missing = [table for table in RECORD_FIELDS if table not in data]
    if missing:
        yield Misfit("", "", f"missing tables: {', '.join(missing)}")
    for kind in KINDS:
        records = data.get(kind.table)
        if records is None and kind.table in missing:
            continue
        if not isinstance(records, dict):
            yield Misfit(kind.table, "", "expected an object of records")
            continue
        for doc_id, record in records.items():
            label = record_label(record, doc_id)
            if not (doc_id.isdigit() and doc_id.isascii() and len(doc_id) <= _ID_DIGITS):
                yield from _document_id_problems(kind.table, label, doc_id)
            if complete and well_typed is not None and well_typed(kind, record):
                assert isinstance(record, dict)  # a proof holds only for an object
                for field, message in _meaning_misfits(kind, record):
                    yield Misfit(kind.table, label, message, field, refused=False)
                continue
            for misfit in record_problems(kind, record, label=label, complete=complete):
                if complete or misfit.refused:
                    yield misfit
    yield from store_problems(data, complete=complete)


def first_refusal(data: object) -> Misfit | None:
    """The first misfit that makes the reader refuse the store, if any."""
    return next(misfits(data), None)


def record_problems(
    kind: RecordKind, record: object, *, label: str = "", complete: bool = True
) -> Iterator[Misfit]:
    """The misfits of one record of `kind`, on its own (a writer asks this before it writes).

    `label` names the record in messages (default: its id). Uniqueness and document ids are the
    store's to tell (`store_problems`, `misfits`).
    """
    label = label or record_label(record, "?")
    table = kind.table
    if not isinstance(record, dict):
        yield Misfit(table, label, "the record is not an object")
        return
    for field, message, refused in _value_misfits(record, obj(kind.fields), "", complete, 0):
        yield Misfit(table, label, message, field, refused)
    if complete:
        for field, message in _meaning_misfits(kind, record):
            yield Misfit(table, label, message, field, refused=False)


def store_problems(data: Mapping[str, Any], *, complete: bool = True) -> Iterator[Misfit]:
    """What only the whole store can tell: ids unique in their table (the reader refuses a
    repeat) and across the store, one stat or target per metric and period, unknown tables."""
    first: dict[str, str] = {}  # id → the table that has it first
    for kind in KINDS:
        records = data.get(kind.table)
        if not isinstance(records, dict):
            continue
        in_table: set[str] = set()
        for doc_id, record in records.items():
            record_id = record.get("id") if isinstance(record, dict) else None
            if not isinstance(record_id, str):
                continue
            repeated = record_id in in_table
            if (repeated or complete) and record_id in first:
                label = record_label(record, doc_id)
                other = kind.table if repeated else first[record_id]
                message = f"id {record_id!r} is also the id of a record in {other}"
                yield Misfit(kind.table, label, message, "id", refused=repeated)
            first.setdefault(record_id, kind.table)
            in_table.add(record_id)
    if complete:
        yield from _one_per_period(data)
        for table in data:
            if table not in RECORD_FIELDS:
                yield Misfit(_shown(table), "", "unknown table", refused=False)


def record_label(record: object, doc_id: str) -> str:
    """How messages name a record: its id, or its document number when it has no usable id."""
    record_id = record.get("id") if isinstance(record, dict) else None
    if isinstance(record_id, str) and record_id.strip() and is_text(record_id):
        return record_id
    return f"#{_clip_text(_shown(doc_id))}"


def is_text(value: str) -> bool:
    """Whether `value` can be written as UTF-8 (JSON's \\ud800 escapes can make it not)."""
    return value.isascii() or _SURROGATE.search(value) is None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _shown(text: str) -> str:
    return text if is_text(text) else repr(text)


_ID_DIGITS = MAX_DOCUMENT_ID_DIGITS  # what _document_id_problems accepts, checked inline


def _document_id_problems(table: str, label: str, doc_id: str) -> Iterator[Misfit]:
    # TinyDB turns document ids into ints; anything else would crash it later.
    if not (doc_id.isascii() and doc_id.isdigit()):
        yield Misfit(table, label, f"document id {_clip(doc_id)} is not a number")
    elif len(doc_id) > MAX_DOCUMENT_ID_DIGITS:
        yield Misfit(
            table,
            label,
            f"document id {_clip(doc_id)} has {len(doc_id)} digits, more than "
            f"{MAX_DOCUMENT_ID_DIGITS}",
        )


# -- types --------------------------------------------------------------------------------------


def _value_misfits(
    value: object, kind: FieldType, path: str, complete: bool, depth: int
) -> Iterator[tuple[str, str, bool]]:
    """(field, message, refused) for each misfit in `value`, which should be of `kind`."""
    where = f"{path!r} " if path else ""
    if not kind.accepts(value):
        yield path, f"{where}is {_describe(value)}, expected {kind.expected}", True
        yield from _hidden_misfits(value, path, depth)
    elif isinstance(value, str):
        if not is_text(value):
            yield path, f"{where}is not valid Unicode text (it holds a lone surrogate)", True
        elif complete and not kind.optional and not value.strip():
            yield path, f"{where}is empty", False
    elif isinstance(value, float) and not math.isfinite(value):
        yield path, f"{where}is {value}, not a finite number", True
    elif isinstance(value, dict) and kind.fields is not None:
        yield from _object_misfits(value, kind.fields, path, complete, depth)
    elif isinstance(value, list) and kind.items is not None:
        for index, item in enumerate(value):
            yield from _value_misfits(item, kind.items, f"{path}[{index}]", complete, depth + 1)


def _object_misfits(
    value: dict[str, object],
    fields: Mapping[str, FieldType],
    path: str,
    complete: bool,
    depth: int,
) -> Iterator[tuple[str, str, bool]]:
    for key, item in value.items():
        inner = f"{path}.{key}" if path else key
        field = fields.get(key)
        if field is None:
            if complete:
                yield inner, f"unknown field {inner!r}", False
            yield from _hidden_misfits(item, inner, depth + 1)
        else:
            yield from _value_misfits(item, field, inner, complete, depth + 1)
        if not is_text(key):
            yield inner, f"field name {inner!r} is not valid Unicode text (a lone surrogate)", True
    for key in fields:
        # Every command looks a record up by its id: only that field must be there.
        must = not path and key == "id"
        if key not in value and (complete or must):
            inner = f"{path}.{key}" if path else key
            yield inner, f"missing field {inner!r}", must


def _hidden_misfits(value: object, path: str, depth: int) -> Iterator[tuple[str, str, bool]]:
    """Lone surrogates, non-finite numbers and deep nesting anywhere under an unchecked value.

    Iterative on purpose: the value may be nested as deeply as the JSON parser allows.
    """
    stack: list[tuple[object, str, int]] = [(value, path, depth)]
    while stack:
        item, where, level = stack.pop()
        if level > MAX_DEPTH:
            yield where, f"{where!r} is nested more than {MAX_DEPTH} levels deep", True
        elif isinstance(item, str) and not is_text(item):
            yield where, f"{where!r} is not valid Unicode text (it holds a lone surrogate)", True
        elif isinstance(item, float) and not math.isfinite(item):
            yield where, f"{where!r} is {item}, not a finite number", True
        elif isinstance(item, dict):
            if not all(is_text(key) for key in item):
                yield where, f"{where!r} has a field name that is not valid Unicode text", True
            children = [(v, f"{where}.{k}", level + 1) for k, v in item.items()]
            stack.extend(reversed(children))
        elif isinstance(item, list):
            children = [(v, f"{where}[{i}]", level + 1) for i, v in enumerate(item)]
            stack.extend(reversed(children))


# -- meaning: vocabularies and forms no command depends on ------------------------------------


def _meaning_misfits(kind: RecordKind, record: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field, message) for what breaks the contract but no command: id form, units, ranks."""
    record_id = record.get("id")
    if isinstance(record_id, str) and (stripped := record_id.strip()) and is_text(record_id):
        if record_id != stripped or not record_id.isprintable():
            yield "id", f"id {record_id!r} has spaces at an end or unprintable characters"
        expected = kind.expected_id(record) if kind.expected_id else None
        if expected is not None and record_id != expected:
            yield "id", f"id should be {expected!r} ({kind.id_form})"
    if record.get("figures") or isinstance(record.get("equivalent"), dict):
        amounts: Iterable[tuple[str, dict[str, Any]]] = _amounts(kind, record)
    else:  # the record itself at most, the common case, without a generator
        amounts = (("", record),) if "unit" in kind.fields else ()
    for path, amount in amounts:
        unit = amount.get("unit")
        if unit.__class__ is str and _BASE_UNITS.get(unit) == amount.get("base_unit"):
            continue  # a known unit with its base unit, the common case
        yield from _unit_misfits(path, amount)
    figures = record.get("figures")
    if isinstance(figures, list):
        keys = [f.get("key") for f in figures if isinstance(f, dict)]
        for key in sorted({k for k in keys if isinstance(k, str) and keys.count(k) > 1}):
            yield "figures", f"two figures have the key {key!r}"
    rank = record.get("rank")
    if isinstance(rank, int) and not isinstance(rank, bool) and rank < 1:
        yield "rank", f"rank is {rank}; ranks start at 1"
    if "share_pct" in kind.fields and (
        (record.get("share_pct") is None) != (record.get("share_of") is None)
    ):
        yield "share_pct", "share_pct and share_of go together"


def _amounts(kind: RecordKind, record: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every part of a record with a unit: itself (if its kind has one), its figures, and their
    equivalents, with the path of each."""
    parts: list[tuple[str, object]] = []
    if "unit" in kind.fields:
        parts.append(("", record))
    figures = record.get("figures")
    if isinstance(figures, list):
        parts += [(f"figures[{i}]", figure) for i, figure in enumerate(figures)]
    for path, part in parts:
        if not isinstance(part, dict):
            continue
        yield path, part
        equivalent = part.get("equivalent")
        if isinstance(equivalent, dict):
            yield (f"{path}.equivalent" if path else "equivalent"), equivalent


_BASE_UNITS = {unit: base for unit, (base, _power) in UNITS.items()}


def _unit_misfits(path: str, amount: dict[str, Any]) -> Iterator[tuple[str, str]]:
    unit, base_unit = amount.get("unit"), amount.get("base_unit")
    if not isinstance(unit, str) or not isinstance(base_unit, str):
        return
    at = f"{path}." if path else ""
    if unit not in UNITS:
        yield f"{at}unit", f"{at}unit {unit!r} is not known (known: {' '.join(UNITS)})"
    elif UNITS[unit][0] != base_unit:
        yield (
            f"{at}base_unit",
            f"{at}base_unit is {base_unit!r}, but {unit} is counted in {UNITS[unit][0]}",
        )


def _one_per_period(data: Mapping[str, Any]) -> Iterator[Misfit]:
    """One target per metric, area and period, and one claim per metric, area, period and
    source (several sources may each claim a stat: the claim model ranks them); the id form
    says so too, but a store whose ids are off would otherwise hide a repeat."""
    for table in ("stats", "targets"):
        records = data.get(table)
        if not isinstance(records, dict):
            continue
        seen: dict[tuple[object, ...], str] = {}
        for doc_id, record in records.items():
            if not isinstance(record, dict):
                continue
            metric, period = record.get("metric"), record.get("period")
            if not isinstance(metric, str) or not (period is None or isinstance(period, str)):
                continue
            source = record.get("source")
            doc = source.get("doc") if table == "stats" and isinstance(source, dict) else None
            area = record.get("area") if isinstance(record.get("area"), str) else None
            key = (metric, area, period, doc if isinstance(doc, str) else None)
            if key in seen:
                by = f" from {doc}" if table == "stats" and isinstance(doc, str) else ""
                message = (
                    f"{metric} already has a record for {period or 'no period'}{by}: {seen[key]}"
                )
                yield Misfit(table, record_label(record, doc_id), message, refused=False)
            else:
                seen[key] = str(record.get("id"))


# -- describing values --------------------------------------------------------------------------

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
    return _clip_text(repr(value))


def _clip_text(shown: str) -> str:
    return shown if len(shown) <= 40 else shown[:39] + "…"
