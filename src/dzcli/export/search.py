"""The SQLite export's full-text index, `search`, and how to ask it for a word of any length.

FTS5's trigram tokenizer finds any substring of 3 characters or more, Chinese included, and
`MATCH` ignores case. A word of 1 or 2 characters, which Chinese has plenty of (威讯, 园区), is
below a trigram's reach: `MATCH` finds nothing. `LIKE '%威讯%'` on the index finds nothing
either on SQLite 3.40 (Debian 12's, and many a Python's), though 3.42 and later answer it
(so Datasette's "contains" filter, a LIKE, depends on the SQLite it runs on).
`instr(text, '威讯') > 0` reads every text and finds it on every version.
"""

from __future__ import annotations

import sqlite3

from dzcli.export.sql import quoted, record_id_column, record_table
from dzcli.export.tabular import STRING, Table

SEARCH = "search"

# Which texts the full-text index holds: names, aliases, notes and roles in both languages,
# statements' texts and items, named members, and every quote.
_SEARCHED = ("name_", "note", "role", "text_", "quote", "aliases", "items_", "members_")

DESCRIPTION = (
    "Full-text index (FTS5, trigram) of names, aliases, notes, roles and quotes. The Search "
    "box and `text MATCH '联合半'` find 3 characters or more. For 1 or 2 (威讯), use the "
    "find_text query or `instr(text, '威讯') > 0`: on SQLite 3.40, `text LIKE '%威讯%'` (and "
    "the contains filter) finds nothing."
)

FIND_TEXT = "find_text"
# A phrase for MATCH where the text has 3 characters or more (the index answers), else a
# scan with instr; the phrase is quoted so that the text's own quotes and operators (AND, *,
# -) are only words to find.
FIND_TEXT_SQL = f"""select kind_table, record_id, field, text from {SEARCH}
where length(:text) >= 3 and text match '"' || replace(:text, '"', '""') || '"'
union all
select kind_table, record_id, field, text from {SEARCH}
where length(:text) between 1 and 2 and instr(text, :text) > 0
order by kind_table, record_id, field"""
FIND_TEXT_TITLE = "Find a text of any length"
FIND_TEXT_DESCRIPTION = (
    "Every name, alias, note, role and quote that holds the text, in either language: "
    "威讯, 联合半导体, wafers (English in any case from 3 letters on)."
)
COLUMNS = {
    "kind_table": "the table of the record the text belongs to",
    "record_id": "the record's id",
    "field": "the table and column the text comes from",
    "text": "the text",
}


def _searched(table: Table) -> list[str]:
    if table.shape == "texts":
        return ["value"] if table.field.startswith(_SEARCHED) else []
    return [c.name for c in table.columns if c.type == STRING and c.name.startswith(_SEARCHED)]


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
        for name in _searched(table):
            column = quoted(name)
            db.execute(
                f"INSERT INTO {SEARCH} (kind_table, record_id, field, text) "
                f"SELECT ?, {quoted(record_id_column(table))}, ?, {column} "
                f"FROM {quoted(table.name)} WHERE {column} IS NOT NULL AND {column} != ''",
                (record_table(table), f"{table.name}.{name}"),
            )
