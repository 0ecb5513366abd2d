"""A dz store as flat tables with keys, the one shape every export writes; its rows; and back.

All of it comes from the registry of record kinds (`dzcli.model.kinds`), so a new kind or field
is a new table or column: a kind is a table of its scalar fields, each nested part a child table
keyed by its parent's key (and a `position` in a list); `source` and `quotes` share one quotes
table (position 0 is the `source`). Two columns let `dz import` give back the very record:
`dz_absent`, the fields it does not have at all (not the same as null), and `dz_blank`, its
empty texts (CSV cannot tell "" from null), as paths such as `figures/0/nature`.

`batches` makes each record its row and its parts' rows and lets it go, so an export takes
little more memory than reading the store; a reference that names nothing would break a
foreign key, so the export is refused instead. `assemble` turns the rows back into records.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from operator import itemgetter
from typing import Any, NamedTuple

from dzcli.export import ExportError
from dzcli.model import fieldtypes as types
from dzcli.model.fieldtypes import FieldType
from dzcli.model.kinds import ANY_RECORD, KINDS, QUOTE, QUOTES, REFERENCES, SOURCE, RecordKind
from dzcli.read import Store

# Column types, named as Table Schema names them (the data package uses them as they are).
STRING, NUMBER, INTEGER, BOOLEAN, JSON = "string", "number", "integer", "boolean", "json"
_SCALARS = {
    **{kind.expected: STRING for kind in (types.TEXT, types.PERIOD, types.YEAR, types.DATE)},
    types.NUMBER.expected: NUMBER,
    types.WHOLE.expected: INTEGER,
    types.FLAG.expected: BOOLEAN,
}

ANCHORS = "anchors"  # where every record or figure is that an ANY_RECORD reference names
ABSENT, BLANK, DOC_ID = "dz_absent", "dz_blank", "doc_id"

Row = tuple[Any, ...]

# Columns whose unit is the same on every row (Datasette's and the data package's `units`).
FIXED_UNITS = {"yoy_pct": "percent", "share_pct": "percent", "vs_city_avg_pp": "percentage_point"}
# Value columns whose unit is named, row by row, by another column of the same table.
UNIT_COLUMNS = {"value": "unit", "base_value": "base_unit"}


class Column(NamedTuple):
    name: str
    type: str  # STRING, NUMBER, INTEGER, BOOLEAN or JSON (a JSON text)
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    unit: str | None = None  # the unit of every value of the column
    unit_column: str | None = None  # the column naming each row's unit

    def unit_properties(self) -> dict[str, str]:
        """The custom properties a data package or Parquet field gives its unit, where known."""
        named = {"dz:unit": self.unit, "dz:unitField": self.unit_column}
        return {key: value for key, value in named.items() if value}


class ForeignKey(NamedTuple):
    columns: tuple[str, ...]
    table: str
    target: tuple[str, ...]


@dataclasses.dataclass(eq=False, repr=False)
class Table:
    """One table of the export: its columns and keys, and where its rows come from."""

    name: str
    description: str
    columns: list[Column]
    primary_key: tuple[str, ...]
    foreign_keys: list[ForeignKey]
    _: dataclasses.KW_ONLY
    kind: RecordKind | None = None
    field: str = ""  # the field of the parent part this table holds ("" for a record)
    shape: str = "record"  # record, object, objects, texts, quotes, anchors or about
    fields: Mapping[str, FieldType] = dataclasses.field(default_factory=dict)  # the part's
    children: list[Table] = dataclasses.field(default_factory=list)
    parent: Table | None = None

    def __post_init__(self) -> None:
        self.scalars = {f: t for f, t in self.fields.items() if not _is_part(t)}
        # Worked out once here, since an export asks them for every record:
        self.scalar_names = tuple(self.scalars)  # the scalar columns' fields, in column order
        self.json_at = tuple(  # where among them a value is written whole as JSON text
            i for i, kind in enumerate(self.scalars.values()) if column_type(kind) == JSON
        )

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


def respelled(row: Row, at: Iterable[int], spell: Callable[[Any], Any]) -> Row:
    """`row` with each cell at `at` that is not null passed through `spell`."""
    cells = list(row)
    for i in at:
        if cells[i] is not None:
            cells[i] = spell(cells[i])
    return tuple(cells)


def column_type(kind: FieldType) -> str:
    """The column type of a scalar field; JSON for one the registry describes no further."""
    if kind.choices:
        return STRING
    return _SCALARS.get(kind.expected.removesuffix(" or null"), JSON)


def _is_part(kind: FieldType) -> bool:
    """Whether a field is a nested part (a child table), not a column."""
    return kind.fields is not None or kind.items is not None


def _describe(field: str, kind: FieldType) -> str:
    text = f"`{field}`: {kind.expected}"
    if field in UNIT_COLUMNS:
        text += f", in the unit named by `{UNIT_COLUMNS[field]}`"
    elif field in FIXED_UNITS:
        text += f", in {FIXED_UNITS[field].replace('_', ' ')}s"
    return text


def _columns(fields: Mapping[str, FieldType]) -> list[Column]:
    return [
        Column(
            field,
            column_type(kind),
            _describe(field, kind),
            required=not kind.optional and field != "id",
            choices=kind.choices,
            unit=FIXED_UNITS.get(field),
            unit_column=UNIT_COLUMNS[field] if UNIT_COLUMNS.get(field) in fields else None,
        )
        for field, kind in fields.items()
        if not _is_part(kind)
    ]


def _references(table: str, field: str, columns: tuple[str, ...]) -> tuple[ForeignKey, ...]:
    target = REFERENCES.get((table, field))
    if target is None:
        return ()
    if target == ANY_RECORD:
        return (ForeignKey(columns, ANCHORS, ("ref",)),)
    return (ForeignKey(columns, target, ("id",)),)


def _singular(name: str) -> str:
    return name[:-1] if name.endswith("s") else name


_POSITION = Column("position", INTEGER, "place in the list, from 0", required=True)


def _parts(parent: Table, kind: RecordKind, owner: str, fields: Mapping[str, FieldType]) -> None:
    """Add a child table to `parent` for each nested part among `fields`, and theirs below."""
    # The parent's key, renamed for a child: `id` → `park_id`, `position` → `figure_position`.
    renamed = {"id": f"{owner}_id", "position": f"{_singular(parent.field)}_position"}
    keys = [
        column._replace(
            name=renamed.get(column.name, column.name), description=f"key of `{parent.name}`"
        )
        for name in parent.primary_key
        for column in parent.columns
        if column.name == name
    ]
    key_names = tuple(c.name for c in keys)
    up = ForeignKey(key_names, parent.name, parent.primary_key)
    prefix = f"{kind.name}_" if parent.shape == "record" else f"{_singular(parent.name)}_"

    def child(
        field: str,
        shape: str,
        description: str,
        columns: list[Column],
        inner: Mapping[str, FieldType],
        references: tuple[ForeignKey, ...] = (),
    ) -> None:
        position = [] if shape == "object" else [_POSITION]  # a list's rows: by their place
        table = Table(
            prefix + field,
            description,
            [*keys, *position, *columns],
            (*key_names, *(c.name for c in position)),
            [up, *references],
            kind=kind,
            field=field,
            shape=shape,
            fields=inner,
        )
        table.parent = parent
        parent.children.append(table)
        _parts(table, kind, owner, inner)

    if "source" in fields or "quotes" in fields:
        quote = QUOTE.fields or {}
        description = (
            f"The quotes {parent.name} rest on: position 0 is the record's `source`, "
            "1 on its further `quotes`; each is words of a source text."
        )
        sources = ForeignKey(("doc",), "sources", ("id",))
        child("quotes", "quotes", description, _columns(quote), quote, (sources,))
    for field, part in fields.items():
        if not _is_part(part) or part is SOURCE or part is QUOTES or field in ("source", "quotes"):
            continue
        each_item = f"`{field}` of {parent.name}, one row per item."
        items = part.items
        if items is not None and items.fields is None:  # a list of texts
            value = Column("value", column_type(items), field, True)
            refs = _references(kind.table, field, ("value",)) if parent.shape == "record" else ()
            child(field, "texts", each_item, [value], {}, refs)
        elif items is not None:  # a list of objects
            inner = items.fields or {}
            child(field, "objects", each_item, _columns(inner), inner)
        else:  # one object, or none
            inner = part.fields or {}
            one = f"`{field}` of {parent.name}, where it has one."
            child(field, "object", one, _columns(inner), inner)


def _record_table(kind: RecordKind) -> Table:
    columns = [
        Column(DOC_ID, STRING, "the store's document number (TinyDB), kept for import", True),
        *_columns(kind.fields),
        Column(ABSENT, STRING, "fields the stored record does not have at all (paths)"),
        Column(BLANK, STRING, "texts that are empty, which CSV cannot tell from null (paths)"),
    ]
    keys = [
        ref
        for field, part in kind.fields.items()
        if not _is_part(part)
        for ref in _references(kind.table, field, (field,))
    ]
    table = Table(
        kind.table,
        f"{kind.label_en.capitalize()} ({kind.label_zh}) records: one row each "
        f"(listed by `{kind.command}`).",
        columns,
        ("id",),
        keys,
        kind=kind,
        fields=kind.fields,
    )
    _parts(table, kind, kind.name, kind.fields)
    return table


ABOUT = "dz_export"


def family(table: Table) -> Iterator[Table]:
    """A table and every table below it, parents first."""
    yield table
    for child in table.children:
        yield from family(child)


def schema() -> list[Table]:
    """Every table of an export, parents before children, from the registry."""
    anchors = Table(
        ANCHORS,
        "Every record or figure that a reference to any kind of record names (an event's "
        "refs; a relation's part, whole and members): where it is.",
        [
            Column("ref", STRING, "the reference as stored: a record id, or record_id#figure_key"),
            Column("kind_table", STRING, "the table of the record", True),
            Column("record_id", STRING, "the record's id", True),
            Column("figure_key", STRING, "the figure's key, for a reference to a figure"),
        ],
        ("ref",),
        [],
        shape="anchors",
    )
    about = Table(
        ABOUT,
        "The export itself: the dz that made it, the sha256 of the store it read, the store's "
        "last change. No time of its own: the same store gives the same rows.",
        [
            Column("key", STRING, "what is recorded", True),
            Column("value", STRING, "its value (JSON for the last log entry)"),
        ],
        ("key",),
        [],
        shape="about",
    )
    return [*(each for kind in KINDS for each in family(_record_table(kind))), anchors, about]


# --- records to rows ------------------------------------------------------------------------

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
        made = [(f"{t}.{f}", REFERENCES[(t, f)], values) for (t, f), values in self.made.items()]
        for where, target, values in [("a quote", "sources", self.docs), *made]:
            missing = sorted(v for v in values if isinstance(v, str) and v not in self.ids[target])
            if missing:
                raise ExportError(
                    f"{where} names {missing[0]!r}, which is not an id in {target} (run `dz check`)"
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
    """Every row of every table but ABOUT, in batches of one table, none empty: records
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


# --- back to records ------------------------------------------------------------------------

Reader = Callable[[Table], Iterable[Mapping[str, Any]]]
"""The rows of a table, each a mapping of column to typed value (JSON columns still text)."""


def assemble(tables: list[Table], read: Reader) -> dict[str, dict[str, Any]]:
    """The store whose export gave these tables: the inverse of `batches`."""
    groups: dict[str, dict[Row, list[Mapping[str, Any]]]] = {}
    for table in tables:
        if table.parent is None:
            continue
        width = len(table.parent.primary_key)
        grouped = groups.setdefault(table.name, {})
        for row in read(table):
            key = tuple(row[name] for name in table.column_names[:width])
            grouped.setdefault(key, []).append(row)
        for each in grouped.values():
            each.sort(key=lambda row: row.get("position", 0))
    store: dict[str, dict[str, Any]] = {}
    for table in tables:
        if table.shape != "record":
            continue
        records = store[table.name] = {}
        for row in read(table):
            record = _part(table, row, (row["id"],), groups)
            for path in (row.get(BLANK) or "").split():
                container, step = _walk(record, path)
                container[step] = ""
            for path in reversed((row.get(ABSENT) or "").split()):
                container, step = _walk(record, path)
                del container[step]
            records[row[DOC_ID]] = record
    return store


def _part(
    table: Table, row: Mapping[str, Any], key: Row, groups: dict[str, dict[Row, list[Any]]]
) -> dict[str, Any]:
    children = {child.field: child for child in table.children}
    value: dict[str, Any] = {}
    for field, kind in table.fields.items():
        if field in table.scalars:
            cell = row.get(field)
            if column_type(kind) == JSON and isinstance(cell, str):
                cell = json.loads(cell)
            value[field] = cell
        elif field == "source":
            first = [q for q in groups[children["quotes"].name].get(key, []) if q["position"] == 0]
            value[field] = {f: q[f] for q in first for f in (kind.fields or {})} or None
        elif field == "quotes":
            quotes = groups[children["quotes"].name].get(key, [])
            names = (kind.items.fields if kind.items else None) or {}
            value[field] = [{f: q[f] for f in names} for q in quotes if q["position"] > 0]
        else:
            child = children[field]
            found = groups[child.name].get(key, [])
            if child.shape == "texts":
                value[field] = [item["value"] for item in found]
            elif child.shape == "objects":
                value[field] = [
                    _part(child, item, (*key, item["position"]), groups) for item in found
                ]
            else:
                value[field] = _part(child, found[0], key, groups) if found else None
    return value


def _walk(record: dict[str, Any], path: str) -> tuple[Any, str | int]:
    """The container holding the last step of `path`, and that step."""
    *steps, last = path.split("/")
    here: Any = record
    for step in steps:
        here = here[int(step)] if isinstance(here, list) else here[step]
    return here, int(last) if isinstance(here, list) else last
