"""The SQLite index of a store: what every read asks of, built from the store file.

The store file (TinyDB JSON) is the truth; the index is derived from it, and holds for each
record its row as listings print it (for a stat or a target, the record with its metric's names
beside its id) as JSON, and the few fields queries filter or join on as columns. What only some
commands ask for is a part of the index, made at the first command that asks
(`dzcli.read.cache.Indexed.part`): the text a search looks in (`dzcli.read.search_text`), the
derived growth rows (`dzcli.queries.growth`). A stat also holds what ranking its claims says
(`dzcli.model.claims`): whether it answers for its metric and period, and the claims that
corroborate or dispute it.

Building it is checking the store: every record is decoded and checked in C where its struct
can vouch for it (`dzcli.read.decoding`), else the whole store is read the standard way and
checked by the one validator (`dzcli.model.validate`), which words any refusal.
"""

from __future__ import annotations

import functools
import operator
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec

from dzcli.model import claims, periods
from dzcli.model.errors import StoreError
from dzcli.model.kinds import BY_TABLE, KINDS, TABLES, RecordKind
from dzcli.model.limits import MAX_DOCUMENT_ID_DIGITS
from dzcli.model.validate import Misfit, first_refusal
from dzcli.read import decoding, file
from dzcli.read.decoding import CLAIM_FIELDS, METRIC_FIELDS, NAMED_BY_METRIC, UNSET, NotVouched

FORMAT = 1
"""The index's own layout: a change to it makes every index be built again."""

VOUCHED_FROM_BYTES = 1 << 20
"""From this size on, a store's records are checked in C (`decoding`): making the structs takes
longer than the validator takes to check a smaller store (the shipped one in 2 ms)."""

COLUMNS: dict[str, tuple[str, ...]] = {
    "stats": (
        "metric",
        "period",
        "area",
        "claim_rank",
        "value",
        "unit",
        "base_value",
        "base_unit",
        "yoy_pct",
        "basis",
        "source",
    ),
    "targets": ("metric", "period", "area"),
}
"""The fields of a kind that queries filter or join on, or derive from, as columns beside its
row (an object as its JSON)."""
IN_ORDER = "rowid"
"""SQL: records in the store's order, as TinyDB numbers them: they are put in the index by
document number (and, for "01" and "1", which TinyDB takes for one number, as they are in the
file), so that a listing in that order reads the table as it lies."""
CLAIMS = ("answer", "answered_by", "yoy_from", "rate_shown")
"""What ranking its claims says of a stat (`dzcli.model.claims`): whether it answers (null: it
has no metric or period to be ranked by), the claim that answers, and where it states no rate,
the claim whose rate a listing shows and that rate (RATE_FIELDS, as JSON); its row names the
claims that agree with it and dispute it, and keeps its own rate (it is as stored)."""

Record = dict[str, Any]
_ENCODE = msgspec.json.Encoder().encode


def create(db: sqlite3.Connection) -> None:
    """The index's tables, empty."""
    for kind in KINDS:
        columns = [f'"{name}"' for name in COLUMNS.get(kind.table, ())]
        if kind.table == "stats":
            columns += list(CLAIMS)
        db.execute(
            f'CREATE TABLE "{kind.table}" (doc_id TEXT NOT NULL, '
            f"id TEXT NOT NULL, {''.join(c + ', ' for c in columns)}"
            "row TEXT NOT NULL)"
        )
    db.execute("CREATE TABLE periods (period TEXT PRIMARY KEY, position INTEGER, previous TEXT)")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value)")


def build(db: sqlite3.Connection, path: Path, raw: bytes) -> None:
    """Fill the empty index `db` (`create`) with the store whose file `path` holds `raw`;
    StoreError, naming what is wrong, if commands cannot use it."""
    db.execute("BEGIN")
    try:
        if len(raw) < VOUCHED_FROM_BYTES:
            raise NotVouched  # checked faster by the validator than structs are made
        _fill(db, _vouched(raw))
        _unique_ids(db)
    except (NotVouched, sqlite3.IntegrityError, OverflowError):
        db.execute("ROLLBACK")  # the validator decides, with its own words
        db.execute("BEGIN")
        _fill(db, _standard(path, raw), wide=True)
        _unique_ids(db)
    _rank_claims(db)
    _periods(db)
    db.execute('CREATE INDEX stats_by_key ON "stats" (metric, area, period)')
    db.execute('CREATE INDEX stats_by_period ON "stats" (period)')
    db.execute("COMMIT")


Tables = Iterator[tuple[RecordKind, Iterator[tuple[str, Any]]]]
"""Each kind in the registry's order, with its records: (document id, record), a record being
its kind's struct (`decoding`) or a plain dict."""


def _unique_ids(db: sqlite3.Connection) -> None:
    """Each table's ids, indexed once its rows are in (one sort, not a tree grown row by row);
    IntegrityError if one is repeated in a table (the validator refuses the store)."""
    for kind in KINDS:
        db.execute(f'CREATE UNIQUE INDEX "{kind.table}_by_id" ON "{kind.table}" (id)')


def _vouched(raw: bytes) -> Tables:
    """The store's records as structs; NotVouched, at any point, for what they cannot vouch."""
    kinds = decoding.kinds()
    try:
        tables = decoding.STORE.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError):
        raise NotVouched from None
    if kinds is None or not tables.keys() >= set(TABLES):
        raise NotVouched
    for kind in KINDS:
        yield kind, _structs(kinds[kind.table], tables[kind.table])


def _structs(kind: decoding.Kind, records: dict[str, msgspec.Raw]) -> Iterator[tuple[str, Any]]:
    for doc_id, raw in in_order(records):
        if not (doc_id.isdigit() and doc_id.isascii() and len(doc_id) <= MAX_DOCUMENT_ID_DIGITS):
            raise NotVouched  # TinyDB turns document ids into numbers
        yield doc_id, kind.read(raw)


def _standard(path: Path, raw: bytes) -> Tables:
    """The store's records as the json module reads them, checked by the validator."""
    data = file.parse(path, raw)
    misfit = first_refusal(data)
    if misfit is not None:
        raise refusal(path, misfit)
    assert isinstance(data, dict)  # the validator refuses anything else
    for kind in KINDS:
        yield kind, iter(in_order(data[kind.table]))


def refusal(path: Path, misfit: Misfit) -> StoreError:
    """The error of a store the validator refuses, for its first misfit."""
    if not misfit.table:
        return file.unreadable(path, f"not a dz store ({misfit.message})")
    where = f"record {misfit.record_id!r}: " if misfit.record_id else ""
    return file.unreadable(path, f"table {misfit.table!r} is malformed ({where}{misfit.message})")


def in_order(records: dict[str, Any]) -> list[tuple[str, Any]]:
    """A table's (document id, record) in TinyDB's order: by number (without converting a
    document id of thousands of digits, which Python will not), ties as they are in the file."""
    return sorted(records.items(), key=lambda item: (len(item[0].lstrip("0")), item[0].lstrip("0")))


def _fill(db: sqlite3.Connection, tables: Tables, wide: bool = False) -> None:
    """`wide`: a number beyond SQLite's 64-bit integers may be among the columns (the row keeps
    it exactly; its column holds the nearest float, or null)."""
    names: dict[object, tuple[Any, ...]] = {}  # a metric's id → its names and category
    for kind, records in tables:
        columns = COLUMNS.get(kind.table, ())
        ranked = kind.table == "stats"
        width = 3 + len(columns) + (len(CLAIMS) if ranked else 0)
        rows = (
            _row(kind, doc_id, record, columns, ranked, names, wide) for doc_id, record in records
        )
        db.executemany(f'INSERT INTO "{kind.table}" VALUES ({", ".join("?" * width)})', rows)
        if kind.table == "metrics":
            for record_id, row in db.execute('SELECT id, row FROM "metrics"'):
                metric = msgspec.json.decode(row)
                names[record_id] = tuple(metric.get(field) for field in METRIC_FIELDS)


_NO_NAMES = (None,) * len(METRIC_FIELDS)


def _row(
    kind: RecordKind,
    doc_id: str,
    record: Any,
    columns: tuple[str, ...],
    ranked: bool,
    names: dict[object, tuple[Any, ...]],
    wide: bool,
) -> tuple[Any, ...]:
    """The index row of one record, a struct or a dict."""
    plain = isinstance(record, dict)
    if plain:
        values = [record.get(column) for column in columns]
    else:  # the common case, quickly: a big store has hundreds of thousands
        values = [None if value is UNSET else value for value in _getter(columns)(record)]
    for at in _OBJECTS.get(kind.table, ()):
        if values[at] is not None:
            values[at] = _ENCODE(values[at])
    if wide:
        values = [_narrow(value) for value in values]
    keyed = ranked and isinstance(values[0], str) and isinstance(values[1], str)
    if kind.table in NAMED_BY_METRIC:
        metric = names.get(record.get("metric") if plain else record.metric, _NO_NAMES)
        if plain:
            record = listed(record, metric)
        else:
            if record.metric is UNSET:
                record.metric = None  # a listing names the metric, null if there is none
            record.name_zh, record.name_en, record.category = metric
        if keyed:  # a lone claim, until `_rank_claims` says otherwise
            for field, lone in zip(CLAIM_FIELDS, _LONE, strict=True):
                if plain:
                    record[field] = lone
                else:
                    setattr(record, field, lone)
    row = _ENCODE(record)
    record_id = record["id"] if plain else record.id
    if ranked:
        answers = keyed and claims.rank_of({"claim_rank": values[3]}) != claims.DEPRECATED
        values += [answers if keyed else None, record_id if answers else None, None, None]
    return (doc_id, record_id, *values, row)


_LONE: tuple[Any, ...] = ([], [], None)  # what CLAIM_FIELDS say of a lone claim

_OBJECTS = {
    table: tuple(i for i, field in enumerate(columns) if BY_TABLE[table].fields[field].fields)
    for table, columns in COLUMNS.items()
}
"""Where among a table's columns an object is: held as its JSON."""


@functools.cache
def _getter(columns: tuple[str, ...]) -> Any:
    """The values of `columns` of a struct, in one call (a tuple, whatever their number)."""
    if len(columns) > 1:
        return operator.attrgetter(*columns)
    return lambda record: tuple(getattr(record, column) for column in columns)


def _narrow(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
        try:
            return float(value)
        except OverflowError:
            return None
    return value


def listed(record: Record, names: tuple[Any, ...]) -> Record:
    """A stat or a target as listings print it: its metric's names and category beside its id
    and metric (`names`, in METRIC_FIELDS order), then its own fields."""
    row: Record = {"id": record.get("id"), "metric": record.get("metric")}
    row.update(zip(METRIC_FIELDS, names, strict=True))
    row.update((key, value) for key, value in record.items() if key not in row)
    return row


def _rank_claims(db: sqlite3.Connection) -> None:
    """Rank the claims of each metric and period that has several (`claims.answer`): which one
    answers, and which agree with each; a lone claim answers unless it is deprecated."""
    contested = db.execute(
        "SELECT metric, area, period FROM stats WHERE answer IS NOT NULL "
        "GROUP BY metric, area, period HAVING count(*) > 1"
    ).fetchall()
    for key in contested:
        found = db.execute(
            "SELECT rowid, row FROM stats WHERE metric = ? AND area IS ? AND period = ? "
            f"ORDER BY {IN_ORDER}",
            key,
        ).fetchall()
        group = [msgspec.json.decode(row) for _, row in found]
        chosen = claims.answer(group)
        answer = None if chosen is None else chosen["id"]
        db.executemany(
            "UPDATE stats SET answer = ?, answered_by = ?, yoy_from = ?, rate_shown = ?, row = ? "
            "WHERE rowid = ?",
            [
                (claim is chosen, answer, *_ranked(group, claim), rowid)
                for (rowid, _), claim in zip(found, group, strict=True)
            ],
        )


def _ranked(group: list[Record], claim: Record) -> tuple[Any, ...]:
    """A claim's yoy_from, the rate a listing shows of it if not its own, and its row: as
    stored, with what the claims say of it (`claims.annotate`)."""
    said = claims.annotate(group, claim)
    borrowed = said["yoy_from"] and {field: said[field] for field in claims.RATE_FIELDS}
    own = {field: claim[field] for field in claims.RATE_FIELDS if field in claim}
    return said["yoy_from"], borrowed and _ENCODE(borrowed), _ENCODE({**said, **own})


def _periods(db: sqlite3.Connection) -> None:
    """Every period of the stats, its place in time, and the period a year before it."""
    found = [p for (p,) in db.execute('SELECT DISTINCT period FROM "stats"') if isinstance(p, str)]
    ordered = sorted(found, key=periods.sort_key)
    db.executemany(
        "INSERT INTO periods VALUES (?, ?, ?)",
        [(period, n, periods.previous_year(period)) for n, period in enumerate(ordered)],
    )
