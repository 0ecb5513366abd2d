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
        self._storage.write(self._storage.read())
        self.clear_cache()

    def _get_next_id(self) -> int:
        if self._next_id is None:
            table = self._spliced()
            if table is not None:
                self._next_id = table.next_doc_id()
        return super()._get_next_id()  # type: ignore[no-any-return]

    def _spliced(self) -> SplicedTable | None:
        tables = self._storage.read()
        if tables is None:
            return None
        table = tables.get(self.name)
        if table is None:
            table = tables[self.name] = SplicedTable()
        return table if isinstance(table, SplicedTable) else None


class SplicingTinyDB(TinyDB):
    table_class = SplicingTable
