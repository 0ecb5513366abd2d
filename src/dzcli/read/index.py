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

import operator
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import msgspec

from dzcli.model import claims, periods
from dzcli.model.errors import StoreError
from dzcli.model.kinds import KINDS, TABLES, RecordKind
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
    ),
    "targets": ("metric", "period", "area"),
}
"""The fields of a kind that queries filter or join on, or derive from, as columns beside its
row (each a scalar: a derivation finds the rest in the row)."""
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
        _fill(db, _standard(path, raw), standard=True)
        _unique_ids(db)
    _rank_claims(db)
    _periods(db)
    db.execute('CREATE INDEX stats_by_key ON "stats" (metric, area, period)')
    db.execute('CREATE INDEX stats_by_period ON "stats" (period)')
    db.execute("COMMIT")


Tables = Iterator[tuple[RecordKind, Iterable[list[tuple[str, Any]]]]]
"""Each kind in the registry's order, with its records in chunks: (document id, record), a
record being its kind's struct (`decoding`) or a plain dict."""


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
        yield kind, kinds[kind.table].read_table(tables[kind.table])


def _standard(path: Path, raw: bytes) -> Tables:
    """The store's records as the json module reads them, checked by the validator."""
    data = file.parse(path, raw)
    misfit = first_refusal(data)
    if misfit is not None:
        raise refusal(path, misfit)
    assert isinstance(data, dict)  # the validator refuses anything else
    for kind in KINDS:
        yield kind, [in_order(data[kind.table])]


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


def _fill(db: sqlite3.Connection, tables: Tables, standard: bool = False) -> None:
    """`standard`: the records are dicts, read by the json module, among whose columns a number
    beyond SQLite's 64-bit integers may be (the row keeps it exactly; its column holds the
    nearest float, or null); else they are structs."""
    names: dict[object, tuple[Any, ...]] = {}  # a metric's id → its names and category
    for kind, chunks in tables:
        columns = COLUMNS.get(kind.table, ())
        width = 3 + len(columns) + (len(CLAIMS) if kind.table == "stats" else 0)
        for records in chunks:
            rows: Iterable[tuple[Any, ...]] = (
                (_row(kind, doc_id, record, columns, names) for doc_id, record in records)
                if standard
                else _struct_rows(kind, records, columns, names)
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
    record: Record,
    columns: tuple[str, ...],
    names: dict[object, tuple[Any, ...]],
) -> tuple[Any, ...]:
    """The index row of one record, a dict."""
    values = [record.get(column) for column in columns]
    values = [_narrow(value) for value in values]
    if kind.table in NAMED_BY_METRIC:
        record = listed(record, names.get(record.get("metric"), _NO_NAMES))
    if kind.table != "stats":
        return (doc_id, record["id"], *values, _ENCODE(record))
    keyed = isinstance(values[0], str) and isinstance(values[1], str)
    if keyed:  # a lone claim, until `_rank_claims` says otherwise
        record.update(zip(CLAIM_FIELDS, _LONE, strict=True))
    answers = keyed and values[3] != claims.DEPRECATED
    claimed = (answers if keyed else None, record["id"] if answers else None, None, None)
    return (doc_id, record["id"], *values, *claimed, _ENCODE(record))


def _struct_rows(
    kind: RecordKind,
    records: list[tuple[str, Any]],
    columns: tuple[str, ...],
    names: dict[object, tuple[Any, ...]],
) -> Iterable[tuple[Any, ...]]:
    """The index rows of a table's records, structs, as `_row` makes them of dicts: made column
    by column, each in one pass in C where it can be (a big store has hundreds of thousands)."""
    doc_ids = [doc_id for doc_id, _ in records]
    structs = [record for _, record in records]
    values = [list(map(operator.attrgetter(column), structs)) for column in columns]
    for column in values:
        if UNSET in column:
            column[:] = [None if value is UNSET else value for value in column]
    if kind.table in NAMED_BY_METRIC:
        for record in structs:
            if record.metric is UNSET:
                record.metric = None  # a listing names the metric, null if there is none
            record.name_zh, record.name_en, record.category = names.get(record.metric, _NO_NAMES)
    ids = list(map(operator.attrgetter("id"), structs))
    if kind.table == "stats":  # a lone claim, until `_rank_claims` says otherwise
        metric, period, rank = values[0], values[1], values[3]
        keyed = [
            isinstance(m, str) and isinstance(p, str) for m, p in zip(metric, period, strict=True)
        ]
        for record, lone in zip(structs, keyed, strict=True):
            if lone:
                record.corroborated_by, record.disputed_by, record.yoy_from = _LONE
        answers = [k and r != claims.DEPRECATED for k, r in zip(keyed, rank, strict=True)]
        values.append([a if k else None for a, k in zip(answers, keyed, strict=True)])
        values.append([i if a else None for i, a in zip(ids, answers, strict=True)])
        values += [[None] * len(structs)] * 2
    return zip(doc_ids, ids, *values, map(_ENCODE, structs), strict=True)


_LONE: tuple[Any, ...] = ([], [], None)  # what CLAIM_FIELDS say of a lone claim


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
