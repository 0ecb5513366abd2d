"""`dz export sqlite`: the store as one SQLite database, and how Datasette shows it.

The tables and keys are `tabular`'s; SQLite adds foreign keys, the full-text index and the
views (`views`). `OUT.metadata.json`, for `datasette OUT.db -m OUT.metadata.json`, opens a
table page on its rows, with the names of the records a row refers to (each named kind's
`label_column`) and a few facets that sort it; the database page says where to start, with
links; a canned query finds a text of any length. Datasette's metadata can neither hide a
column (datasette#1989) nor put the list of column descriptions after the rows: a stylesheet
it carries does both on table and row pages, for the columns kept only for `dz import`; each
column's menu (⚙) still shows its description, and SQL, JSON and CSV show every column.
"""

from __future__ import annotations

import json
import sqlite3
import string
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from dzcli.export import ExportError, tabular
from dzcli.export.files import LICENCE_NOTE, ProgressReport, Source, replacing, stream
from dzcli.export.tabular import BOOLEAN, INTEGER, JSON, NUMBER, STRING, Row, Table, respelled
from dzcli.export.views import INTERNAL, NOTES, SEARCH, View, full_text_index, views
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
        text = json.dumps(metadata(source, tables, made, database), ensure_ascii=False, indent=2)
        meta.write_text(text + "\n", encoding="utf-8")
    return [out, meta_path]


# --- OUT.metadata.json, for Datasette -------------------------------------------------------

LABEL = "name_en"  # the column a reference to a named record shows (Datasette is English)
# The columns that sort a table's rows into a few groups, in the order they are offered; a
# table gets the first FACETS_PER_TABLE it has.
FACETED = (
    "period",
    "category",
    "park",
    "status",
    "industry",
    "claim_rank",
    "nature",
    "topic",
    "relation",
    "organisation",
    "parent",
    "kind_table",
    "field",
)
FACETS_PER_TABLE = 3
FACET_SIZE = 5  # values shown per facet; "…" shows the rest

PAGES = ("table", "row")  # Datasette's body classes of a table (or view) page and a row page
# Long texts (and a quote's source, shown by its title), given room: a row a few lines high.
WIDE = (*NOTES, "quote", "source_quote", "doc")
# FTS5's own hidden columns, which Datasette lists on the index's page (always empty or 2).
FTS_COLUMNS = (SEARCH, "rank")

START_WITH = ("preferred_claims", "stats_with_quotes", "metrics", "parks", "projects")
FIND_TEXT = "find_text"
# A phrase for MATCH where the text has 3 characters or more (the index answers), else a
# scan with instr (see `views`); the phrase is quoted so that the text's own quotes and
# operators (AND, *, -) are only words to find.
FIND_TEXT_SQL = f"""select kind_table, record_id, field, text from {SEARCH}
where length(:text) >= 3 and text match '"' || replace(:text, '"', '""') || '"'
union all
select kind_table, record_id, field, text from {SEARCH}
where length(:text) between 1 and 2 and instr(text, :text) > 0
order by kind_table, record_id, field"""
SEARCH_COLUMNS = {
    "kind_table": "the table of the record the text belongs to",
    "record_id": "the record's id",
    "field": "the table and column the text comes from",
    "text": "the text",
}


def stylesheet() -> str:
    """The CSS that keeps the data on the first screen (see the module's docstring)."""
    hidden = [f"body.{page} .col-{column}" for page in PAGES for column in INTERNAL]
    hidden += [f"body.{page} dl.column-descriptions" for page in PAGES]
    hidden += [f"body.table-{SEARCH} .col-{column}" for column in FTS_COLUMNS]
    wide = [f"body.{page} td.col-{column}" for page in PAGES for column in WIDE]
    return (
        ",\n".join(hidden) + " { display: none; }\n" + ",\n".join(wide) + " { min-width: 20em; }\n"
    )


def _entry(
    description: str, columns: dict[str, str], units: dict[str, str], labelled: bool = False
) -> dict[str, Any]:
    entry: dict[str, Any] = {"description": description, "columns": columns}
    if labelled:
        entry["label_column"] = LABEL
    chosen = [column for column in FACETED if column in columns][:FACETS_PER_TABLE]
    if chosen:
        entry["facets"] = chosen
        entry["facet_size"] = FACET_SIZE
    if units:
        entry["units"] = units
    return entry


def _tables(tables: list[Table], views: list[View]) -> dict[str, Any]:
    """Every table's and view's entry: description, columns, units, label, facets."""
    read_in = {view.shows: view.name for view in reversed(views)}  # each table's first view
    described: dict[str, Any] = {}
    for table in tables:
        description = table.description
        if table.name in read_in:
            description += f" With names and quotes: the {read_in[table.name]} view."
        described[table.name] = _entry(
            description,
            {c.name: c.description for c in table.columns},
            {c.name: c.unit for c in table.columns if c.unit},
            labelled=table.shape == "record" and LABEL in table.column_names,
        )
    for view in views:
        described[view.name] = _entry(view.description, view.columns, view.units)
    described[SEARCH] = _entry(
        "Full-text index (FTS5, trigram) of names, aliases, notes, roles and quotes. The Search "
        "box and `text MATCH '联合半'` find 3 characters or more. For 1 or 2 (威讯), use the "
        "find_text query or `instr(text, '威讯') > 0`: on SQLite 3.40, `text LIKE '%威讯%'` "
        "(and the contains filter) finds nothing.",
        SEARCH_COLUMNS,
        {},
    )
    return described


def _guide(database: str) -> tuple[str, str]:
    """What the database page says first, as text and as HTML with links."""
    text = (
        "Start with {0} (the answer for each metric and period, with names and quotes), "
        "{1} (every claim), {2}, {3} and {4}; find any text, even 2 characters (威讯), with "
        "the {5} query. A column's ⚙ menu says what it holds."
    )
    names = (*START_WITH, FIND_TEXT)
    # The database's part of an address, tilde-encoded as Datasette does: a character other
    # than a letter, digit, _ or - becomes ~ and two hex digits.
    safe = set((string.ascii_letters + string.digits + "_-").encode())
    route = "".join(
        chr(b) if b in safe else "+" if b == ord(" ") else f"~{b:02X}"
        for b in database.encode("utf-8")
    )
    links = [f'<a href="{escape(route)}/{name}">{name}</a>' for name in names]
    return text.format(*names), "<p>" + text.format(*links) + "</p>"


def metadata(
    source: Source, tables: list[Table], views: list[View], database: str
) -> dict[str, Any]:
    """Datasette's metadata: title, source, licence, every table, view and column described,
    labels, facets, the stylesheet, a guide and the find_text query."""
    guide, guide_html = _guide(database)
    return {
        "title": "dz: facts of the Dezhou Economic and Technological Development Zone",
        "description": "Every statistic, target, park, project, enterprise and event that dz "
        "holds, each with the exact words of its source. Values are in the unit named in the "
        "row's `unit` column (base_value in `base_unit`).",
        "license": LICENCE_NOTE,
        "source": "; ".join(
            f"{s.get('name_zh') or s['id']} ({s.get('authors') or 'unknown authors'}, "
            f"{s.get('year') or 'undated'})"
            for s in source.store.records("sources")
        ),
        "custom_units": ["percentage_point = 0.01 = pp"],
        "extra_css_urls": ["data:text/css," + quote(stylesheet())],
        "databases": {
            database: {
                "description": guide,
                "description_html": guide_html,
                "tables": _tables(tables, views),
                "queries": {
                    FIND_TEXT: {
                        "title": "Find a text of any length",
                        "description": "Every name, alias, note, role and quote that holds the "
                        "text, in either language: 威讯, 联合半导体, wafers (English in any case "
                        "from 3 letters on).",
                        "sql": FIND_TEXT_SQL,
                        "hide_sql": True,
                    }
                },
            }
        },
    }
