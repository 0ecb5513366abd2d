"""A store's records decoded and checked in C, as msgspec structs made from the registry.

Checking 250,000 statistics field by field in Python takes seconds; a msgspec struct made from
the registry's field types (`dzcli.model.kinds`) checks them while it decodes, in C. A record
that decodes into its kind's struct has every field of the type the validator
(`dzcli.model.validate`) asks for, none unknown, and an `id`: the validator would refuse nothing
in it but what only the whole store can tell (ids repeated, document ids), which the index
builder checks itself. Whatever a struct cannot vouch for is left to the validator: the builder
then reads the whole store the standard way (`dzcli.read.index`).

A stat's and a target's struct also has the fields a listing adds beside the record's own (its
metric's names and category; a stat's claims that agree with it or dispute it): decoded, a
record leaves them unset, and the builder fills them in, so that one encoding of the struct is
the row every listing prints.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterator, Mapping
from typing import Any, Literal

import msgspec

from dzcli.model import fieldtypes
from dzcli.model.fieldtypes import FieldType
from dzcli.model.kinds import KINDS, RecordKind
from dzcli.model.limits import numbered

METRIC_FIELDS = ("name_zh", "name_en", "category")
"""What a listing of stats or targets adds after a record's `metric`: the metric's names."""
CLAIM_FIELDS = ("corroborated_by", "disputed_by", "yoy_from")
"""What a listing of stats adds after a record's own fields: the ids of the claims for its metric
and period that agree with it, and of those that dispute it, and the claim whose rate it shows
if not its own (`dzcli.model.claims.annotate`)."""
NAMED_BY_METRIC = ("stats", "targets")
LISTED: dict[str, tuple[str, ...]] = {
    "stats": METRIC_FIELDS + CLAIM_FIELDS,
    "targets": METRIC_FIELDS,
}
"""The fields a listing adds to the records of a table."""

Path = tuple[str, ...]
"""Where a value sits in a record: field names, "[]" for each item of a list."""

# A type's `expected` wording → the msgspec type of its values, and whether that type is the
# whole rule. A period, a year or a date is only text to msgspec: its syntax is checked in
# Python, once per distinct value (a store has few).
_SCALARS: dict[str, tuple[Any, bool]] = {
    fieldtypes.TEXT.expected: (str, True),
    fieldtypes.NUMBER.expected: (int | float, True),
    fieldtypes.WHOLE.expected: (int, True),
    fieldtypes.FLAG.expected: (bool, True),
    fieldtypes.PERIOD.expected: (str, False),
    fieldtypes.YEAR.expected: (str, False),
    fieldtypes.DATE.expected: (str, False),
}
UNSET = msgspec.UNSET


class NotVouched(Exception):
    """A record, or a rule, that a struct cannot vouch for: the validator decides."""


class Kind:
    """How one kind's records are decoded: its struct, and the rules left to Python."""

    def __init__(self, kind: RecordKind) -> None:
        self.kind = kind
        self.partial: list[tuple[Path, FieldType]] = []
        self._verdicts: dict[tuple[Path, object], bool] = {}
        self.listed = LISTED.get(kind.table, ())
        self.struct = self._struct(kind.table, kind.fields, (), top=True)
        self.fields: tuple[str, ...] = self.struct.__struct_fields__
        self.decode = msgspec.json.Decoder(self.struct).decode

    def _struct(self, name: str, fields: Mapping[str, FieldType], path: Path, top: bool) -> Any:
        """A struct whose known fields follow their rules; any may be missing (only `dz check`
        asks for all of them) but a record's `id`."""
        members: list[tuple[str, Any] | tuple[str, Any, Any]] = []
        for field, kind in fields.items():
            if top and field == "id":
                members.append((field, str))
                continue
            members.append((field, self._type(kind, f"{name}_{field}", (*path, field)), UNSET))
            if top and self.listed and field == "metric":
                members += [(extra, Any, UNSET) for extra in METRIC_FIELDS]
        if top:
            members += [(extra, Any, UNSET) for extra in self.listed if extra in CLAIM_FIELDS]
        return msgspec.defstruct(name, members, forbid_unknown_fields=True, gc=False)

    def _type(self, kind: FieldType, name: str, path: Path) -> Any:
        found: Any
        if kind.fields is not None:
            found = self._struct(name, kind.fields, path, top=False)
        elif kind.items is not None:
            found = list[self._type(kind.items, name, (*path, "[]"))]  # type: ignore[misc]
        else:
            expected = kind.expected.removesuffix(" or null")
            if kind.choices:  # a vocabulary: msgspec checks its words in C
                found, whole = Literal[kind.choices], True
            elif expected in _SCALARS:
                found, whole = _SCALARS[expected]
            else:
                raise NotVouched(kind.expected)
            if not whole:
                self.partial.append((path, kind))
        return found | None | msgspec.UnsetType if kind.optional else found | msgspec.UnsetType

    def read_table(self, records: dict[str, msgspec.Raw]) -> Iterator[list[tuple[str, Any]]]:
        """The table's records as (document id, record), in TinyDB's order and in chunks (a
        million records decoded at once would take gigabytes), each record checked; NotVouched
        if a struct cannot vouch for one (the fields a listing adds are its own, unknown fields
        of its kind), or a period, year or date is not well formed (each distinct one is checked
        once), or a document id is not one TinyDB reads as a number."""
        if not numbered(records):
            raise NotVouched
        ordered = _by_number(records)
        for start in range(0, len(ordered), CHUNK):
            doc_ids, raws = zip(*ordered[start : start + CHUNK], strict=True)
            try:
                structs = list(map(self.decode, raws))
            except (msgspec.DecodeError, msgspec.ValidationError):
                raise NotVouched from None
            self._check(structs)
            yield list(zip(doc_ids, structs, strict=True))

    def _check(self, structs: list[Any]) -> None:
        if self.listed:
            unset, listed = (UNSET,) * len(self.listed), operator.attrgetter(*self.listed)
            if any(listed(record) != unset for record in structs):
                raise NotVouched
        for path, kind in self.partial:
            if len(path) == 1:
                found = set(map(operator.attrgetter(path[0]), structs))
            else:
                found = {value for record in structs for value in _values(record, path)}
            if not all(value is UNSET or kind.accepts(value) for value in found):
                raise NotVouched


CHUNK = 1 << 16
"""Records decoded at once."""


def _by_number(records: dict[str, Any]) -> list[tuple[str, Any]]:
    """(document id, record) in TinyDB's order: by number, ties as they are in the file (at
    most MAX_DOCUMENT_ID_DIGITS digits each, so Python converts them quickly)."""
    numbers = list(map(int, records))
    items = list(records.items())
    if all(map(operator.lt, numbers, numbers[1:])):
        return items  # as TinyDB writes them
    order = sorted(range(len(items)), key=numbers.__getitem__)
    return [items[at] for at in order]


def _values(value: Any, path: Path) -> Iterator[Any]:
    """The values at `path` under `value` (a decoded struct); none under a missing or null one."""
    if not path:
        yield value
    elif value is None or value is UNSET:
        return
    elif path[0] == "[]":
        for item in value:
            yield from _values(item, path[1:])
    else:
        yield from _values(getattr(value, path[0]), path[1:])


@functools.cache
def kinds() -> dict[str, Kind] | None:
    """Each table's decoding, made once; None if some rule of the registry has no struct (then
    every store is read the standard way)."""
    try:
        return {kind.table: Kind(kind) for kind in KINDS}
    except (NotVouched, TypeError, ValueError):
        return None


STORE = msgspec.json.Decoder(dict[str, dict[str, msgspec.Raw]])
"""A store's tables, each record left as its bytes until its kind decodes it."""
