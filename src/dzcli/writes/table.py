"""dz's TinyDB table and database classes (TinyDB's documented `table_class` extension point):
TinyDB's own table rebuilds the whole table as a new dict on every insert or update (twice,
converting its document ids), which for 250,000 statistics costs more than the rest of a write.
This one hands TinyDB's own insert and update code the storage's table itself
(`dzcli.writes.spliced.SplicedTable`, a mapping that parses only what is asked of it), so
TinyDB still numbers, inserts and updates every document, without reading the others."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table

from dzcli.writes.spliced import SplicedTable


class SplicingTable(Table):
    def _update_table(self, updater: Callable[[dict[int, Any]], None]) -> None:
        table = self._spliced()
        if table is None:
            super()._update_table(updater)
            return
        # TinyDB's updaters index with its int document ids; the table takes them as strings.
        updater(table)  # type: ignore[arg-type]
        self._storage.write(self._tables())
        self.clear_cache()

    def _get_next_id(self) -> int:
        table = self._spliced()
        if table is None:
            return super()._get_next_id()  # type: ignore[no-any-return,no-untyped-call]
        return table.next_doc_id()  # asked each time: it checks the file holds no such id

    def _spliced(self) -> SplicedTable | None:
        """The storage's table, created if the store has none; None from another storage."""
        tables = self._tables()
        if tables is None:
            return None
        table = tables.get(self.name)
        if table is None:
            table = tables[self.name] = SplicedTable()
        return table if isinstance(table, SplicedTable) else None

    def _tables(self) -> Any:
        return self._storage.read()


class SplicingTinyDB(TinyDB):
    table_class = SplicingTable
