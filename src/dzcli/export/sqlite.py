"""`dz export sqlite`: the store as one SQLite database, with a Datasette metadata file.

Tables and keys come from `tabular`; this adds what SQLite offers on top: foreign keys,
a full-text index that finds Chinese substrings (FTS5's trigram tokenizer), views for the
common questions, and `OUT.metadata.json` for `datasette OUT.db -m OUT.metadata.json`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dzcli.export import ExportError, tabular
from dzcli.export.files import Source, replacing, stream
from dzcli.export.tabular import BOOLEAN, INTEGER, JSON, NUMBER, STRING, Row, Table

MINIMUM_SQLITE = (3, 34, 0)  # the first with FTS5's trigram tokenizer
SEARCH = "search"
_TYPES = {STRING: "TEXT", NUMBER: "REAL", INTEGER: "INTEGER", BOOLEAN: "INTEGER", JSON: "TEXT"}
_INT64 = range(-(2**63), 2**63)

# Which texts the full-text index holds: names, aliases, notes and roles in both languages,
# statements' texts and items, named members, and every quote.
_SEARCHED = ("name_", "note", "role", "text_", "quote", "aliases", "items_", "members_")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_table(table: Table) -> str:
    lines = [f"  {_q(c.name)} {_TYPES[c.type]}" for c in table.columns]
    lines.append(f"  PRIMARY KEY ({', '.join(map(_q, table.primary_key))})")
    for key in table.foreign_keys:
        lines.append(
            f"  FOREIGN KEY ({', '.join(map(_q, key.columns))}) "
            f"REFERENCES {_q(key.table)} ({', '.join(map(_q, key.target))})"
        )
    return f"CREATE TABLE {_q(table.name)} (\n" + ",\n".join(lines) + "\n)"


def _number(value: Any) -> Any:
    """A stored integer beyond SQLite's 64 bits as a REAL (as a REAL column stores it anyway)."""
    if isinstance(value, int) and not isinstance(value, bool) and value not in _INT64:
        try:
            return float(value)
        except OverflowError:
            return str(value)
    return value


def _wide_numbers(table: Table, rows: list[Row]) -> list[Row]:
    """`rows` with each integer beyond SQLite's 64 bits as a REAL: rare, so only done for a
    batch that SQLite refused."""
    wide = [i for i, c in enumerate(table.columns) if c.type in (NUMBER, INTEGER)]
    converted = []
    for row in rows:
        cells = list(row)
        for i in wide:
            cells[i] = _number(cells[i])
        converted.append(tuple(cells))
    return converted


def _record_id_column(table: Table) -> str:
    return "id" if table.shape == "record" else table.column_names[0]


def _searched(table: Table) -> list[str]:
    if table.shape == "texts":
        return ["value"] if table.field.startswith(_SEARCHED) else []
    return [c.name for c in table.columns if c.type == STRING and c.name.startswith(_SEARCHED)]


def _record_table(table: Table) -> str:
    while table.parent is not None:
        table = table.parent
    return table.name


def full_text_index(db: sqlite3.Connection, tables: list[Table]) -> None:
    """`search`: one row per text, with the table, record id and column it comes from."""
    db.execute(
        f"CREATE VIRTUAL TABLE {SEARCH} USING fts5("
        "kind_table UNINDEXED, record_id UNINDEXED, field UNINDEXED, text, tokenize='trigram')"
    )
    # One bulk load: merging the index's segments as they are written would redo work that a
    # query does not need (it reads the few segments left as fast).
    db.execute(f"INSERT INTO {SEARCH} ({SEARCH}, rank) VALUES ('automerge', 0)")
    for table in tables:
        for column in _searched(table):
            db.execute(
                f"INSERT INTO {SEARCH} (kind_table, record_id, field, text) "
                f"SELECT ?, {_q(_record_id_column(table))}, ?, {_q(column)} "
                f"FROM {_q(table.name)} WHERE {_q(column)} IS NOT NULL AND {_q(column)} != ''",
                (_record_table(table), f"{table.name}.{column}"),
            )


def _quotes_view(tables: list[Table]) -> str:
    parts = []
    for table in tables:
        if table.shape != "quotes":
            continue
        keys = table.column_names[: len(table.primary_key) - 1]
        figure = _q(keys[1]) if len(keys) > 1 else "NULL"
        parts.append(
            f"SELECT '{_record_table(table)}' AS kind_table, {_q(keys[0])} AS record_id, "
            f"{figure} AS figure_position, position, doc, quote, supports FROM {_q(table.name)}"
        )
    return "CREATE VIEW quotes AS\n" + "\nUNION ALL\n".join(parts)


# The claim that answers for each metric and period, as `dzcli.model.claims.answer` chooses
# it: the first preferred claim, else the first normal one, in store (document) order; never a
# deprecated claim (a rank other than preferred or deprecated counts as normal).
_ANSWERS = """
  SELECT id FROM (
    SELECT id, row_number() OVER (
      PARTITION BY metric, period
      ORDER BY coalesce(claim_rank = 'preferred', 0) DESC,
        length(ltrim(doc_id, '0')), ltrim(doc_id, '0')
    ) AS n
    FROM stats WHERE coalesce(claim_rank, 'normal') != 'deprecated')
  WHERE n = 1"""
VIEWS = {
    "preferred_claims": f"""
CREATE VIEW preferred_claims AS
SELECT s.*, m.name_zh AS metric_name_zh, m.name_en AS metric_name_en, m.category
FROM stats s LEFT JOIN metrics m ON m.id = s.metric
WHERE s.id IN ({_ANSWERS})""",
    "projects_with_parks": """
CREATE VIEW projects_with_parks AS
SELECT pr.*, pa.name_zh AS park_name_zh, pa.name_en AS park_name_en
FROM projects pr LEFT JOIN parks pa ON pa.id = pr.park""",
    # As `dz targets`: the latest answer of the target's metric for a whole year before the
    # target's, among those whose base value is a number.
    "targets_with_actuals": f"""
CREATE VIEW targets_with_actuals AS
WITH candidates AS (
  SELECT t.id AS target_id, s.id, s.period, s.value, s.unit, s.base_value, s.base_unit,
    row_number() OVER (PARTITION BY t.id ORDER BY s.period DESC) AS n
  FROM targets t JOIN stats s ON s.metric = t.metric
  WHERE s.id IN ({_ANSWERS})
    AND typeof(s.base_value) IN ('integer', 'real')
    AND length(s.period) = 4
    AND (t.period IS NULL OR s.period < t.period))
SELECT t.*, m.name_zh AS metric_name_zh, m.name_en AS metric_name_en,
  c.id AS actual_id, c.period AS actual_period, c.value AS actual_value, c.unit AS actual_unit,
  c.base_value AS actual_base_value, c.base_unit AS actual_base_unit
FROM targets t LEFT JOIN metrics m ON m.id = t.metric
LEFT JOIN candidates c ON c.target_id = t.id AND c.n = 1""",
}
VIEW_DESCRIPTIONS = {
    "preferred_claims": "The answer for each metric and period, one row each, as `dz stats` "
    "shows it: the preferred claim, else the first normal claim in store order; never a "
    "deprecated claim. With the metric's names and category.",
    "projects_with_parks": "Projects with the names of their park, as `dz projects` shows them.",
    "targets_with_actuals": "Targets beside the latest earlier whole-year actual of their "
    "metric (actual_*), as `dz targets` shows them.",
    "quotes": "Every quote of every record and figure: position 0 is the `source`.",
    SEARCH: "Full-text index (FTS5, trigram tokenizer) over names, aliases, notes, roles and "
    "quotes in both languages: `text MATCH '德州经开'` for 3 characters or more, "
    "`text LIKE '%威讯%'` for fewer.",
}


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
    meta_path = out.with_name(out.name.removesuffix(".db") + ".metadata.json")
    if out.suffix != ".db":
        meta_path = out.with_name(out.name + ".metadata.json")
    with (
        replacing(out, force=force) as temporary,
        replacing(meta_path, force=force) as meta_temporary,
    ):
        _build(source, tables, temporary, progress)
        meta = metadata(source, tables, out.stem if out.suffix == ".db" else out.name)
        meta_temporary.write_text(
            json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return [out, meta_path]


def _build(
    source: Source, tables: list[Table], path: Path, progress: Callable[[str, int], None]
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
        for sql in VIEWS.values():
            db.execute(sql)
        db.execute(_quotes_view(tables))
        db.execute("COMMIT")
        broken = db.execute("PRAGMA foreign_key_check").fetchone()
        if broken is not None:  # tabular refuses dangling references first: this is a bug
            raise RuntimeError(f"foreign key broken in the export: {broken}")
        db.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as error:
        raise ExportError(f"cannot write {path}: {error}") from None
    finally:
        db.close()


def metadata(source: Source, tables: list[Table], database: str) -> dict[str, Any]:
    """Datasette's metadata: title, source, licence, and every table and column described."""
    sources = list(source.store.records("sources"))
    described: dict[str, Any] = {}
    for table in tables:
        entry: dict[str, Any] = {
            "description": table.description,
            "columns": {c.name: c.description for c in table.columns},
        }
        units = {c.name: c.unit for c in table.columns if c.unit}
        if units:
            entry["units"] = units
        described[table.name] = entry
    for name, text in VIEW_DESCRIPTIONS.items():
        described[name] = {"description": text}
    return {
        "title": "dz: facts of the Dezhou Economic and Technological Development Zone",
        "description": "Every statistic, target, park, project, enterprise and event that dz "
        "holds, each with the exact words of its source. Values are in the unit named in the "
        "row's `unit` column (base_value in `base_unit`).",
        "license": LICENCE_NOTE,
        "source": "; ".join(
            f"{s.get('name_zh') or s['id']} ({s.get('authors') or 'unknown authors'}, "
            f"{s.get('year') or 'undated'})"
            for s in sources
        ),
        "custom_units": ["percentage_point = 0.01 = pp"],
        "databases": {database: {"tables": described}},
    }


LICENCE_NOTE = (
    "No licence is stated by the source: the facts are short quotations from the report "
    "named as source, each attributed; check its publisher's terms before republishing."
)
