"""What the SQLite export's parts (tables, index, views) share: how a name is written in SQL,
and which record a row of any table belongs to."""

from __future__ import annotations

from dzcli.export.tabular import Table


def quoted(name: str) -> str:
    """A table or column name as SQL writes it, whatever it holds."""
    return '"' + name.replace('"', '""') + '"'


def record_table(table: Table) -> str:
    """The record table that `table` holds a part of (itself for a record table)."""
    while table.parent is not None:
        table = table.parent
    return table.name


def record_id_column(table: Table) -> str:
    """The column of `table` holding the id of the record its row belongs to."""
    return "id" if table.shape == "record" else table.column_names[0]
