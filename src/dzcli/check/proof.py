"""A quick proof, in C, that a record's fields are all there and of their types.

msgspec checks a record a hundred times faster than the validator (`dzcli.model.validate`) in
Python, against a struct built from the same registry (`dzcli.model.kinds`): every field there,
none unknown, each of its type, no lone surrogate in any text. Where that holds, only the
validator's other rules (ids, units, ranks) run; what the proof cannot hold or express goes to
the validator whole, so every problem is worded by the validator (tests/test_check.py).
"""

from __future__ import annotations

import operator
import sys
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

import msgspec

from dzcli.model import fieldtypes
from dzcli.model.fieldtypes import FieldType
from dzcli.model.kinds import BY_TABLE as KINDS_BY_TABLE
from dzcli.model.kinds import KINDS, RecordKind

WellTyped = Callable[[RecordKind, object], bool]
Blank = Callable[[Any], bool] | None
"""Whether a value holds all-whitespace text where the registry asks for text (None: never)."""

_FINITE = msgspec.Meta(ge=-sys.float_info.max, le=sys.float_info.max)
# All whitespace is told in Python (`Blank`): as a pattern, msgspec would call Python's `re`
# for each of a big store's million texts.
_NOT_EMPTY = msgspec.Meta(min_length=1)
_SCALARS: dict[str, Any] = {
    fieldtypes.TEXT.expected: str,
    fieldtypes.NUMBER.expected: int | Annotated[float, _FINITE],
    fieldtypes.WHOLE.expected: int,
    fieldtypes.FLAG.expected: bool,
}
# Checked in Python, once per distinct value: text to msgspec.
_PARTIAL = (fieldtypes.PERIOD.expected, fieldtypes.YEAR.expected, fieldtypes.DATE.expected)


class _Inexpressible(Exception):
    """A rule the proof cannot state: that kind's records all go to the validator."""


def _unless_null(blank: Callable[[Any], bool]) -> Blank:
    return lambda value: value is not None and blank(value)


def _in_any_item(blank: Callable[[Any], bool]) -> Blank:
    return lambda items: any(map(blank, items))


class _Proof:
    """The struct of one kind, and what Python checks beside it: no required text all
    whitespace, and the syntax of the top-level fields msgspec sees as mere text."""

    def __init__(self, kind: RecordKind) -> None:
        self.partial: dict[str, FieldType] = {}
        self.verdicts: dict[tuple[str, object], bool] = {}
        self.type, self.blank = self._struct(kind.table, kind.fields, top=True)

    def _struct(self, name: str, fields: Mapping[str, FieldType], top: bool) -> tuple[Any, Blank]:
        members, texts, nested = [], [], []
        for field, kind in fields.items():
            member, blank = self._type(kind, f"{name}_{field}", top, field)
            members.append((field, member))
            if blank is str.isspace:
                texts.append(field)
            elif blank is not None:
                nested.append((field, blank))
        struct = msgspec.defstruct(name, members, forbid_unknown_fields=True, gc=False)
        if not texts and not nested:
            return struct, None
        # A tuple of the texts, for one field as for several.
        pick = (
            operator.itemgetter(*texts)
            if len(texts) > 1
            else lambda value: tuple(value[field] for field in texts)
        )

        def blank_object(value: Any) -> bool:
            if any(map(str.isspace, pick(value))):
                return True
            return any(inner(value[field]) for field, inner in nested)

        return struct, blank_object

    def _type(self, kind: FieldType, name: str, top: bool, field: str) -> tuple[Any, Blank]:
        found: Any
        blank: Blank = None
        if kind.fields is not None:
            found, blank = self._struct(name, kind.fields, top=False)
        elif kind.items is not None:
            item, item_blank = self._type(kind.items, name, False, field)
            found = list[item]  # type: ignore[valid-type]
            blank = None if item_blank is None else _in_any_item(item_blank)
        else:
            expected = kind.expected.removesuffix(" or null") if kind.optional else kind.expected
            if kind.choices:
                found = Literal[kind.choices]
            elif expected == fieldtypes.TEXT.expected and not kind.optional:
                found, blank = Annotated[str, _NOT_EMPTY], str.isspace
            elif expected in _SCALARS:
                found = _SCALARS[expected]
            elif expected in _PARTIAL and top:
                self.partial[field] = kind
                found = str
            else:
                raise _Inexpressible(kind.expected)
        if kind.optional:
            return found | None, None if blank is None else _unless_null(blank)
        return found, blank

    def holds(self, record: object) -> bool:
        try:
            msgspec.convert(record, self.type)
            msgspec.json.encode(record)  # refuses a lone surrogate, in any text or name
        except (msgspec.ValidationError, UnicodeEncodeError, TypeError, ValueError):
            return False
        assert isinstance(record, dict)  # a struct was made of it
        return self.syntax_holds(record)

    def syntax_holds(self, record: dict[str, Any]) -> bool:
        """No required text is all whitespace, and periods, years and dates are well written."""
        if self.blank is not None and self.blank(record):
            return False
        for field, kind in self.partial.items():
            value = record[field]
            verdict = self.verdicts.get((field, value))
            if verdict is None:
                verdict = self.verdicts[(field, value)] = kind.accepts(value)
            if not verdict:
                return False
        return True


def _proofs() -> dict[str, _Proof]:
    proofs = {}
    for kind in KINDS:
        try:
            proofs[kind.table] = _Proof(kind)
        except (_Inexpressible, TypeError, ValueError):
            continue  # its records all go to the validator
    return proofs


_PROOFS = _proofs()


def well_typed(kind: RecordKind, record: object) -> bool:
    """Whether `record` certainly has every field of `kind`, no other, each of its type."""
    proof = _PROOFS.get(kind.table)
    return proof is not None and proof.holds(record)


class Parsed:
    """Records proven well typed as they were parsed (`dzcli.check.reading`): msgspec builds
    each into its kind's struct straight from the JSON text, checking every type in C, then
    into the plain record the rules read."""

    def __init__(self) -> None:
        self._decoders = {
            table: msgspec.json.Decoder(proof.type) for table, proof in _PROOFS.items()
        }
        self._proven: set[int] = set()  # id() of each record proven, while it is alive
        self._templates = {table: _shared_keys(KINDS_BY_TABLE[table]) for table in _PROOFS}

    def record(self, table: str, text: bytes) -> dict[str, Any] | None:
        """The record in `text` (no key repeated) if it is of its table's kind, else None."""
        decoder = self._decoders.get(table)
        if decoder is None:
            return None
        try:
            built: dict[str, Any] = msgspec.to_builtins(decoder.decode(text))
        except msgspec.ValidationError:
            return None
        record = self._templates[table].copy()
        record.update(built)
        self._proven.add(id(record))
        return record

    def forget(self, record: object) -> None:
        """`record` was not kept: its id may be another's."""
        self._proven.discard(id(record))

    def well_typed(self, kind: RecordKind, record: object) -> bool:
        """`well_typed`, for the records parsed here: all but the syntax proven already."""
        if id(record) not in self._proven:
            return well_typed(kind, record)
        assert isinstance(record, dict)
        return _PROOFS[kind.table].syntax_holds(record)


def _shared_keys(kind: RecordKind) -> dict[str, Any]:
    """An empty record of `kind` whose copies share one table of keys, as the attributes of a
    class's instances do: a record of 27 fields in a third of a plain dict's memory (a copy
    shares its keys, and setting a field it has keeps it so)."""

    class Record:
        pass

    instance = Record()
    for field in kind.fields:
        setattr(instance, field, None)
    return instance.__dict__
