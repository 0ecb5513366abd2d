"""A store's records as the rows of the export's tables (`tabular.schema`), in batches.

Each record becomes its row and its parts' rows and is let go, and the rows reach the writer
in batches of one table: an export takes little more memory than reading the store. A
reference that names nothing would break a foreign key: the export is refused instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from operator import itemgetter
from typing import Any

from dzcli.export import ExportError
from dzcli.export.tabular import ANCHORS, Row, Table, family, respelled
from dzcli.model.fieldtypes import FieldType
from dzcli.model.kinds import ANY_RECORD, REFERENCES
from dzcli.read import Store

BATCH = 5000  # rows of a record table a writer receives at a time (with its parts' rows)


class Layout:
    """The fields a record or part may have, and its nested objects and lists (a list of texts
    has no layout): worked out once per export."""

    def __init__(self, fields: Mapping[str, FieldType]) -> None:
        self.names = tuple(fields)
        self.known = frozenset(fields)
        self.objects: list[tuple[str, Layout]] = []
        self.lists: list[tuple[str, Layout | None]] = []
        for name, kind in fields.items():
            if kind.fields is not None:
                self.objects.append((name, Layout(kind.fields)))
            elif kind.items is not None:
                inner = kind.items.fields
                self.lists.append((name, None if inner is None else Layout(inner)))


def gaps(
    value: Mapping[str, Any], layout: Layout, path: str, absent: list[str], blank: list[str]
) -> None:
    """Add the paths of `value`'s missing fields to `absent` and of its empty texts to `blank`;
    refuse a field dz does not know. A record with every field and no empty text (the common
    case) costs two checks in C at each level."""
    keys = value.keys()
    if len(keys) != len(layout.names) or not keys <= layout.known:
        for name in value:
            if name not in layout.known:
                raise ExportError(
                    f"field {path + name!r} is not one dz knows (`dz check` reports it): "
                    "an export would lose it"
                )
        absent.extend(path + name for name in layout.names if name not in value)
    if "" in value.values():
        blank.extend(path + name for name in layout.names if value.get(name) == "")
    for name, inner in layout.objects:
        part = value.get(name)
        if isinstance(part, dict):
            gaps(part, inner, f"{path}{name}/", absent, blank)
    for name, items in layout.lists:
        found = value.get(name)
        if not isinstance(found, list) or not found:
            continue
        if items is None:
            if "" in found:
                blank.extend(f"{path}{name}/{i}" for i, item in enumerate(found) if item == "")
            continue
        for i, item in enumerate(found):
            if isinstance(item, dict):
                gaps(item, items, f"{path}{name}/{i}/", absent, blank)


def _cells(value: Mapping[str, Any], table: Table) -> Row:
    """The scalar cells of `table` for a record or part: null for a field it lacks."""
    cells = tuple(map(value.get, table.scalar_names))
    return respelled(cells, table.json_at, _json_text) if table.json_at else cells


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _emit(table: Table, keys: Row, value: Mapping[str, Any], out: dict[str, list[Row]]) -> None:
    """Add to `out` the rows of `table`'s children for the part `value` (keyed by `keys`)."""
    for child in table.children:
        rows = out[child.name]
        if child.shape == "quotes":
            source = value.get("source")
            if isinstance(source, dict):
                rows.append((*keys, 0, *_cells(source, child)))
            for i, quote in enumerate(value.get("quotes") or (), start=1):
                rows.append((*keys, i, *_cells(quote, child)))
            continue
        part = value.get(child.field)
        if child.shape == "texts":
            rows.extend((*keys, position, item) for position, item in enumerate(part or ()))
        elif child.shape == "objects":
            for position, item in enumerate(part or ()):
                rows.append((*keys, position, *_cells(item, child)))
                if child.children:
                    _emit(child, (*keys, position), item, out)
        elif isinstance(part, dict):
            rows.append((*keys, *_cells(part, child)))
            if child.children:
                _emit(child, keys, part, out)


def _listed(value: Any) -> list[Any]:
    """A reference field's values: a list as it is, one value as a list of it, null as none."""
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


class References:
    """Every reference the records make, noted as they pass and checked once all are read.
    The references to any record or figure come from a few small tables, read first: then only
    the records they name are remembered for `anchors`, not the id of every statistic."""

    def __init__(self, store: Store) -> None:
        targets = {t for t in REFERENCES.values() if t != ANY_RECORD} | {"sources"}
        self.ids: dict[str, set[str]] = {table: set() for table in targets}
        self.made: dict[tuple[str, str], set[Any]] = {}  # (table, field) → values named
        self.docs: set[Any] = set()  # every quote's `doc`
        self.wanted: dict[str, str] = {}  # a reference to any record → where it is made
        for (table, field), target in REFERENCES.items():
            if target == ANY_RECORD:
                for record in store.records(table):
                    for value in _listed(record.get(field)):
                        self.wanted.setdefault(value, f"{table}.{field}")
        self.named = {part for ref in self.wanted for part in (ref, ref.rpartition("#")[0])}
        self.first_table: dict[str, str] = {}  # a named record's id → the first table holding it
        self.figure_keys: dict[tuple[str, str], set[str]] = {}  # (table, id) → its figures' keys

    def noter(self, table: str) -> Callable[[Mapping[str, Any]], None]:
        """What to note of each record of `table`."""
        fields = [
            (field, self.made.setdefault((table, field), set()))
            for (owner, field), target in REFERENCES.items()
            if owner == table and target != ANY_RECORD
        ]
        ids = self.ids.get(table)
        named, first_table, figure_keys = self.named, self.first_table, self.figure_keys

        def note(record: Mapping[str, Any]) -> None:
            for field, values in fields:
                values.update(_listed(record.get(field)))
            record_id = record["id"]
            if ids is not None:
                ids.add(record_id)
            if record_id in named:
                first_table.setdefault(record_id, table)
                keys = {f.get("key") for f in record.get("figures") or () if isinstance(f, dict)}
                figure_keys[(table, record_id)] = {k for k in keys if isinstance(k, str)}

        return note

    def anchor_rows(self) -> list[Row]:
        """The rows of `anchors`; refuses a reference that names nothing (its foreign key would
        break, and `PRAGMA foreign_key_check` or `frictionless validate` reject the export)."""
        found = [(("*", "doc"), "sources", self.docs)] + [
            (key, REFERENCES[key], values) for key, values in self.made.items()
        ]
        for (table, field), target, values in found:
            for value in sorted(v for v in values if isinstance(v, str)):
                if value not in self.ids[target]:
                    where = "a quote" if table == "*" else f"{table}.{field}"
                    raise ExportError(
                        f"{where} names {value!r}, which is not an id in {target} (run `dz check`)"
                    )
        return [self._anchor(ref, where) for ref, where in sorted(self.wanted.items())]

    def _anchor(self, ref: str, where: str) -> Row:
        if ref in self.first_table:
            return (ref, self.first_table[ref], ref, None)
        record_id, _, key = ref.rpartition("#")
        table = self.first_table.get(record_id)
        if table is not None and key in self.figure_keys.get((table, record_id), ()):
            return (ref, table, record_id, key)
        raise ExportError(
            f"{where} names {ref!r}, which is not in the store: its foreign key would break"
        )


def batches(store: Store, tables: list[Table]) -> Iterator[tuple[Table, list[Row]]]:
    """Every row of every table but tabular.ABOUT, in batches of one table, none empty: records
    in document order, a record table's batch before its parts'."""
    references = References(store)
    pending: dict[str, list[Row]] = {table.name: [] for table in tables}

    def flush(members: list[Table], docs_at: list[tuple[str, int]]) -> Iterator[Any]:
        for name, at in docs_at:
            references.docs.update(map(itemgetter(at), pending[name]))
        for member in members:
            if pending[member.name]:
                yield member, pending[member.name]
                pending[member.name] = []

    for table in tables:
        if table.shape != "record" or table.kind is None:
            continue
        members = list(family(table))
        docs_at = [(t.name, t.column_names.index("doc")) for t in members if t.shape == "quotes"]
        layout = Layout(table.kind.fields)
        note = references.noter(table.kind.table)
        own = pending[table.name]
        for doc_id, record in store.documents(table.kind.table):
            absent: list[str] = []
            blank: list[str] = []
            gaps(record, layout, "", absent, blank)
            own.append(
                (doc_id, *_cells(record, table), " ".join(absent) or None, " ".join(blank) or None)
            )
            _emit(table, (record["id"],), record, pending)
            note(record)
            if len(own) >= BATCH:
                yield from flush(members, docs_at)
                own = pending[table.name]
        yield from flush(members, docs_at)
    found = references.anchor_rows()
    if found:
        yield next(table for table in tables if table.name == ANCHORS), found
