"""`dz export sqlite`: the store as one SQLite database, with a Datasette metadata file.

The tables and keys are `tabular`'s; SQLite adds foreign keys, the full-text index and the
views (`views`), and `OUT.metadata.json` is for `datasette OUT.db -m OUT.metadata.json`.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from dzcli.export import ExportError, datasette, tabular
from dzcli.export.files import ProgressReport, Source, replacing, respelled, stream
from dzcli.export.tabular import BOOLEAN, INTEGER, JSON, NUMBER, STRING, Row, Table
from dzcli.export.views import SEARCH, full_text_index, views
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


def _real(value: Any) -> Any:
    """An integer beyond SQLite's 64 bits as a REAL (as a REAL column stores it anyway)."""
    if isinstance(value, int) and not isinstance(value, bool) and value not in _INT64:
        try:
            return float(value)
        except OverflowError:
            return str(value)
    return value


def write(source: Source, out: Path, *, force: bool, progress: ProgressReport) -> list[Path]:
    """Write `out` and `out.metadata.json`; the paths written."""
    if sqlite3.sqlite_version_info < MINIMUM_SQLITE:
        raise ExportError(
            f"SQLite {sqlite3.sqlite_version} has no trigram tokenizer for the full-text "
            f"index; dz needs SQLite {'.'.join(map(str, MINIMUM_SQLITE))} or later (Python's "
            "sqlite3 module)"
        )
    tables = tabular.schema()
    made = views(tables)
    database = out.stem if out.suffix == ".db" else out.name
    meta_path = out.with_name(database + ".metadata.json")
    with replacing(out, force=force) as path, replacing(meta_path, force=force) as meta:
        db = sqlite3.connect(path, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode = OFF")  # a temporary file: nothing to roll back to
            db.execute("PRAGMA synchronous = OFF")
            db.execute("BEGIN")
            for table in tables:
                db.execute(create_table(table))

            def insert(table: Table, rows: list[Row]) -> None:
                places = ", ".join("?" * len(table.columns))
                try:
                    db.executemany(f"INSERT INTO {_q(table.name)} VALUES ({places})", rows)
                except OverflowError:  # an integer beyond 64 bits: the batch again, as REALs
                    wide = [i for i, c in enumerate(table.columns) if c.type in (NUMBER, INTEGER)]
                    db.executemany(
                        f"INSERT OR REPLACE INTO {_q(table.name)} VALUES ({places})",
                        [respelled(row, wide, _real) for row in rows],
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
        text = json.dumps(
            datasette.metadata(source, tables, made, database), ensure_ascii=False, indent=2
        )
        meta.write_text(text + "\n", encoding="utf-8")
    return [out, meta_path]
