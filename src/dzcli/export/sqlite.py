"""`dz export sqlite`: the store as one SQLite database, with a Datasette metadata file.

Tables and keys come from `tabular`; this adds what SQLite offers on top: foreign keys,
a full-text index that finds Chinese substrings (`search`), views that read as the commands
do (`views`), and `OUT.metadata.json` for `datasette OUT.db -m OUT.metadata.json`
(`datasette`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dzcli.export import ExportError, datasette, tabular
from dzcli.export.files import Source, replacing, respelled, stream
from dzcli.export.tabular import BOOLEAN, INTEGER, JSON, NUMBER, STRING, Row, Table
from dzcli.export.views import SEARCH, View, full_text_index, views
from dzcli.export.views import quoted as _q

MINIMUM_SQLITE = (3, 34, 0)  # the first with FTS5's trigram tokenizer
_TYPES = {STRING: "TEXT", NUMBER: "REAL", INTEGER: "INTEGER", BOOLEAN: "INTEGER", JSON: "TEXT"}
_INT64 = range(-(2**63), 2**63)


def create_table(table: Table) -> str:
    lines = [f"  {_q(c.name)} {_TYPES[c.type]}" for c in table.columns]
    lines.append(f"  PRIMARY KEY ({', '.join(map(_q, table.primary_key))})")
    for key in table.foreign_keys:
        lines.append(
            f"  FOREIGN KEY ({', '.join(map(_q, key.columns))}) "
            f"REFERENCES {_q(key.table)} ({', '.join(map(_q, key.target))})"
        )
    return f"CREATE TABLE {_q(table.name)} (\n" + ",\n".join(lines) + "\n)"


def _wide_numbers(table: Table, rows: list[Row]) -> list[Row]:
    """`rows` with each integer beyond SQLite's 64 bits as a REAL, as a REAL column stores it
    anyway (rare: done only for a batch SQLite refused)."""
    wide = [i for i, c in enumerate(table.columns) if c.type in (NUMBER, INTEGER)]
    return [respelled(row, wide, _number) for row in rows]


def _number(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value not in _INT64:
        try:
            return float(value)
        except OverflowError:
            return str(value)
    return value


def check_sqlite() -> None:
    if sqlite3.sqlite_version_info < MINIMUM_SQLITE:
        wanted = ".".join(map(str, MINIMUM_SQLITE))
        raise ExportError(
            f"SQLite {sqlite3.sqlite_version} has no trigram tokenizer for the full-text "
            f"index; dz needs SQLite {wanted} or later (Python's sqlite3 module)"
        )


def write(
    source: Source, out: Path, *, force: bool, progress: Callable[[str, int], None]
) -> list[Path]:
    """Write `out` and `out.metadata.json`; the paths written."""
    check_sqlite()
    tables = tabular.schema()
    made = views(tables)
    database = out.stem if out.suffix == ".db" else out.name
    meta_path = out.with_name(database + ".metadata.json")
    with (
        replacing(out, force=force) as temporary,
        replacing(meta_path, force=force) as meta_temporary,
    ):
        _build(source, tables, made, temporary, progress)
        meta = datasette.metadata(source, tables, made, database)
        meta_temporary.write_text(
            json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return [out, meta_path]


def _build(
    source: Source,
    tables: list[Table],
    made: list[View],
    path: Path,
    progress: Callable[[str, int], None],
) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = OFF")  # a temporary file: nothing to roll back to
        db.execute("PRAGMA synchronous = OFF")
        db.execute("BEGIN")
        for table in tables:
            db.execute(create_table(table))
        places = {table.name: ", ".join("?" * len(table.columns)) for table in tables}

        def insert(table: Table, rows: list[Row]) -> None:
            try:
                db.executemany(f"INSERT INTO {_q(table.name)} VALUES ({places[table.name]})", rows)
            except OverflowError:  # an integer beyond 64 bits: the batch again, as REALs
                db.executemany(
                    f"INSERT OR REPLACE INTO {_q(table.name)} VALUES ({places[table.name]})",
                    _wide_numbers(table, rows),
                )

        stream(source, tables, insert, progress)
        progress(SEARCH, 0)
        full_text_index(db, tables)
        for view in made:
            db.execute(view.sql)
        db.execute("COMMIT")
        broken = db.execute("PRAGMA foreign_key_check").fetchone()
        if broken is not None:  # tabular refuses dangling references first: this is a bug
            raise RuntimeError(f"foreign key broken in the export: {broken}")
        db.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as error:
        raise ExportError(f"cannot write {path}: {error}") from None
    finally:
        db.close()
