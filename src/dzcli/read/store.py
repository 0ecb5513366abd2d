"""A store as queries read it: its index (`dzcli.read.index`), asked in SQL, rows out as dicts.

Every read asks the index, whatever the store's size: the same SQL answers for the shipped
store (indexed in memory) and for a store of a million statistics (indexed once per change, in
the cache folder), so a question has one answer.
"""

from __future__ import annotations

import difflib
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from dzcli.model.errors import LookupFailed
from dzcli.model.kinds import TABLES
from dzcli.read.decoding import CLAIM_FIELDS, LISTED
from dzcli.read.index import IN_ORDER

if TYPE_CHECKING:
    from dzcli.read.cache import Fill, Indexed

Row = dict[str, Any]
decode = msgspec.json.Decoder().decode
"""A row of the index (JSON) as a dict."""
encode = msgspec.json.Encoder().encode


class Store:
    """A validated, read-only dz store. Open it with `dzcli.read.open_store`."""

    def __init__(self, path: Path, indexed: Indexed) -> None:
        self.path = path
        self.db = indexed.db
        self.size = indexed.size
        self._indexed = indexed

    @property
    def sha256(self) -> str:
        """The sha256 of the bytes of the store file the index is of."""
        return self._indexed.sha256

    def part(self, name: str, fill: Fill) -> None:
        """Attach the part `name` of the index, made by `fill` if it is not yet (`Indexed.part`)."""
        self._indexed.part(name, fill)

    def query(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.db.execute(sql, params)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """The rows the query selects: its first column, a row of the index, decoded."""
        return [decode(found[0]) for found in self.db.execute(sql, params)]

    def records(self, table: str) -> list[Row]:
        """Every record of `table` as listings print it, in the store's (document) order."""
        return self.rows(f"SELECT row FROM {_table(table)} ORDER BY {IN_ORDER}")

    def count(self, table: str) -> int:
        return int(self.db.execute(f"SELECT count(*) FROM {_table(table)}").fetchone()[0])

    def by_id(self, table: str) -> dict[str, Row]:
        """The records of `table` keyed by their `id` field (unique within a table)."""
        return {record["id"]: record for record in self.records(table)}

    def documents(self, table: str) -> Iterator[tuple[str, Row]]:
        """(document id, record as stored) of `table` in document order, one at a time: an
        export walks a big store without holding every record at once."""
        listed = LISTED.get(table, ())
        for doc_id, row in self.db.execute(
            f"SELECT doc_id, row FROM {_table(table)} ORDER BY {IN_ORDER}"
        ):
            record = decode(row)
            if listed:  # as stored: without what a listing adds (`index.listed`)
                record = {k: v for k, v in record.items() if k not in listed}
                if record.get("metric") is None:
                    del record["metric"]  # a stored metric is text; a listing shows none as null
            yield str(doc_id), record

    def find(self, record_id: str) -> tuple[str, Row]:
        """The (table, record) whose `id` is `record_id`; the first table in TABLES order wins."""
        for table in TABLES:
            found = self.db.execute(f"SELECT row FROM {_table(table)} WHERE id = ?", (record_id,))
            row = found.fetchone()
            if row is not None:  # as `dz show` shows it: beside its metric's names
                record = decode(row[0])
                return table, {k: v for k, v in record.items() if k not in CLAIM_FIELDS}
        every = [
            i for table in TABLES for (i,) in self.db.execute(f"SELECT id FROM {_table(table)}")
        ]
        # An id may repeat across tables; offer each candidate once.
        candidates = difflib.get_close_matches(record_id, list(dict.fromkeys(every)), n=5)
        hint = f"; did you mean {' or '.join(candidates)}?" if candidates else ""
        raise LookupFailed(f"no record with id {record_id!r}{hint}", candidates=candidates)


def _table(name: str) -> str:
    if name not in TABLES:
        raise ValueError(f"unknown table {name!r}")
    return f'"{name}"'
