"""Open a big store quickly: check every record in C, build a record only when it is read.

Turning a store of a few hundred thousand statistics into Python dicts, and checking them
field by field in Python, takes seconds. This reader has msgspec do both in C instead: it
checks the JSON syntax and each record's types against the rules of `dzcli.model.validate`,
keeps each record as its raw bytes, and `Store` builds a record into a dict only when a query
reads it.
The file stays the same TinyDB JSON store.

It only ever accepts what the standard reader (json, then the validator's refusals,
`dzcli.model.validate.first_refusal`) accepts, and reads
it to the same values. Whatever it cannot vouch for (an unknown table or field, a number or a
string that json and msgspec might read differently, any misfit) makes `read` return None, and
the standard reader decides, with its exact messages.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Literal

import msgspec

from dzcli.model import fieldtypes
from dzcli.model.fieldtypes import FieldType
from dzcli.model.kinds import KINDS
from dzcli.model.limits import MAX_DOCUMENT_ID_DIGITS

Path = tuple[str, ...]
"""Where a value sits in a record: field names, "[]" for each item of a list."""

# A rule's `expected` wording → the msgspec type of its values, and whether that type is the
# whole rule. A period, a year or a date is only text to msgspec; its syntax is checked in
# Python, once per distinct value: a store has few distinct periods, and a regular expression
# run from C for each of 250,000 records would cost a third of the check.
_SCALARS: dict[str, tuple[Any, bool]] = {
    fieldtypes.TEXT.expected: (str, True),
    fieldtypes.NUMBER.expected: (int | float, True),
    fieldtypes.WHOLE.expected: (int, True),
    fieldtypes.FLAG.expected: (bool, True),
    fieldtypes.PERIOD.expected: (str, False),
    fieldtypes.YEAR.expected: (str, False),
    fieldtypes.DATE.expected: (str, False),
}


class Unsupported(Exception):
    """The shape has a rule this reader cannot check in C; every store takes the standard path."""


class _Table:
    """How to check one table's records: a struct for msgspec, and what is left for Python."""

    def __init__(self, name: str, fields: Mapping[str, FieldType]) -> None:
        self.partial: list[tuple[Path, FieldType]] = []
        self.decoder = msgspec.json.Decoder(self._struct(name, fields, (), top=True))

    def _struct(self, name: str, fields: Mapping[str, FieldType], path: Path, top: bool) -> Any:
        """A struct for an object whose known fields follow their rules, and that has no others.

        Any field may be missing (only `dz check` asks for all of them) except a record's `id`,
        which must be text; an unknown field is refused, as the standard reader looks inside it.
        """
        members: list[tuple[str, Any] | tuple[str, Any, Any]] = []
        for field, kind in fields.items():
            kind_type = self._type(kind, f"{name}_{field}", (*path, field))
            if top and field == "id":
                members.append((field, str))
            else:
                members.append((field, kind_type | msgspec.UnsetType, msgspec.UNSET))
        return msgspec.defstruct(name, members, forbid_unknown_fields=True, gc=False)

    def _type(self, kind: FieldType, name: str, path: Path) -> Any:
        found: Any
        if kind.fields is not None:
            found = self._struct(name, kind.fields, path, top=False)
        elif kind.items is not None:
            found = list[self._type(kind.items, name, (*path, "[]"))]  # type: ignore[misc]
        else:
            expected = kind.expected.removesuffix(" or null") if kind.optional else kind.expected
            if kind.choices:  # a vocabulary: msgspec checks its words in C
                found, whole = Literal[kind.choices], True
            elif expected in _SCALARS:
                found, whole = _SCALARS[expected]
            else:
                raise Unsupported(kind.expected)
            if not whole:
                self.partial.append((path, kind))
        return found | None if kind.optional else found


def _values(value: Any, path: Path) -> Iterator[Any]:
    """The values at `path` under `value` (a decoded struct); none under a missing or null one."""
    if not path:
        yield value
    elif value is None or value is msgspec.UNSET:
        return
    elif path[0] == "[]":
        for item in value:
            yield from _values(item, path[1:])
    else:
        yield from _values(getattr(value, path[0]), path[1:])


@functools.cache
def _tables() -> dict[str, _Table] | None:
    """Each table's checks, made when a store is first checked here (a store read from its
    read note only builds records, and needs none)."""
    try:
        return {kind.table: _Table(kind.table, kind.fields) for kind in KINDS}
    except (Unsupported, TypeError, ValueError):
        return None


_STORE = msgspec.json.Decoder(dict[str, dict[str, msgspec.Raw]])
_RECORD = msgspec.json.Decoder()
_NOT_OURS = (msgspec.MsgspecError, UnicodeDecodeError, ValueError, RecursionError)

Entries = list[tuple[str, str, Any, msgspec.Raw, Any]]
"""A table, in file order: (document id, record id, period or "" if none, the record's bytes,
metric or None)."""


def supported() -> bool:
    """Whether every rule of `dzcli.model.validate` can be checked here (else no store is
    read here)."""
    return _tables() is not None


def read(raw: bytes) -> dict[str, Entries] | None:
    """Every table of the store in `raw`, checked; None where the standard reader must decide."""
    tables = _tables()
    if tables is None:
        return None
    try:
        store = _STORE.decode(raw)
        if store.keys() != tables.keys():
            return None  # a missing table is an error; an unknown one, the standard reader's call
        return {name: _entries(tables[name], records) for name, records in store.items()}
    except (_Refused, *_NOT_OURS):
        return None


class _Refused(Exception):
    """A record the standard reader would refuse, or might read otherwise."""


def _entries(table: _Table, records: dict[str, msgspec.Raw]) -> Entries:
    # Whole-table operations where possible: a table may hold hundreds of thousands of records.
    digits = "".join(records)
    if records and not (digits.isascii() and digits.isdigit() and "" not in records):
        raise _Refused  # TinyDB turns document ids into numbers
    if records and max(map(len, records)) > MAX_DOCUMENT_ID_DIGITS:
        raise _Refused
    decode = table.decoder.decode
    nested = [(path, kind) for path, kind in table.partial if path != ("period",)]
    if not nested:
        # The common case (statistics): what Python still checks is the period, kept anyway,
        # so each record's struct can go as soon as it is read.
        rows = [
            (
                doc_id,
                (record := decode(body)).id,
                getattr(record, "period", ""),
                body,
                getattr(record, "metric", None),
            )
            for doc_id, body in records.items()
        ]
    else:
        structs = [decode(body) for body in records.values()]
        rows = [
            (doc_id, s.id, getattr(s, "period", ""), body, getattr(s, "metric", None))
            for s, (doc_id, body) in zip(structs, records.items(), strict=True)
        ]
        for path, kind in nested:
            _check({value for s in structs for value in _values(s, path)}, kind)
        del structs
    if len({row[1] for row in rows}) != len(rows):
        raise _Refused  # a duplicate id
    periods = {row[2] for row in rows}
    for path, kind in table.partial:
        if path == ("period",):
            _check(periods, kind)
    if msgspec.UNSET in periods:  # a record without a period: as record.get("period", "")
        rows = [(d, i, "" if p is msgspec.UNSET else p, b, m) for d, i, p, b, m in rows]
    if any(row[4] is msgspec.UNSET for row in rows):  # as record.get("metric")
        rows = [(d, i, p, b, None if m is msgspec.UNSET else m) for d, i, p, b, m in rows]
    return rows


def _check(values: set[Any], kind: FieldType) -> None:
    """The Python half of a partial rule, for every distinct value (UNSET: a missing field)."""
    if not all(kind.accepts(value) for value in values if value is not msgspec.UNSET):
        raise _Refused


@functools.lru_cache(maxsize=8)
def projection(fields: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """Reads just `fields` of a record's bytes, as `build(body).get(field)` reads each: a
    query that needs a few fields of every record decodes those alone, several times faster
    than building each record."""
    picked = msgspec.defstruct("Projection", [(field, Any, None) for field in fields], gc=False)
    decode, as_tuple = msgspec.json.Decoder(picked).decode, msgspec.structs.astuple

    def project(body: Any) -> tuple[Any, ...]:
        try:
            found = decode(body)
        except _NOT_OURS:  # not expected after `read`: the record as `build` reads it
            record = build(body)
            return tuple(record.get(field) for field in fields)
        return as_tuple(found)  # the fields in `fields`' order

    return project


def build(body: msgspec.Raw) -> dict[str, Any]:
    """The record whose bytes are `body`, as the json module reads it."""
    try:
        record: dict[str, Any] = _RECORD.decode(body)
    except _NOT_OURS:  # not expected after `read`, but json has the last word
        record = json.loads(bytes(body))
    return record
