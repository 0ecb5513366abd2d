"""What the SQLite export adds to its tables: views that read as the commands do, and `search`.

A view opens on what a reader looks at first (a stat's id, metric, period, value, the words of
its source), then the rest in its table's order, with the names of what a field refers to
beside it, and leaves out the columns kept only for `dz import`. Its columns come from the
schema (`tabular`), so a new field of a kind shows up in its view.

`search` is an FTS5 trigram index: `MATCH` finds any substring of 3 characters or more, in any
case. A word of 1 or 2 characters, which Chinese has plenty of (威讯, 园区), is below a
trigram's reach, and `LIKE '%威讯%'` on the index finds nothing on SQLite 3.40 (Debian 12's)
though 3.42 answers it; `instr(text, '威讯') > 0` reads every text and finds it anywhere.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import NamedTuple

from dzcli.export.tabular import ABSENT, BLANK, DOC_ID, STRING, Table

INTERNAL = (DOC_ID, ABSENT, BLANK)
"""Columns a record table keeps for `dz import` alone: no view shows them."""
NOTES = ("note", "note_zh")
NAMES = ("name_zh", "name_en")
SOURCE_DOC, SOURCE_QUOTE = "source_doc", "source_quote"


def quoted(name: str) -> str:
    """A table or column name as SQL writes it, whatever it holds."""
    return '"' + name.replace('"', '""') + '"'


def record_table(table: Table) -> str:
    """The record table that `table` holds a part of (itself for a record table)."""
    while table.parent is not None:
        table = table.parent
    return table.name


class View(NamedTuple):
    name: str
    description: str
    sql: str  # the CREATE VIEW statement
    columns: dict[str, str]  # each column, in order, and what it holds
    units: dict[str, str]  # the unit of every value of a column, where it has one
    shows: str  # the table whose records it shows, one row each ("" for none)


class _Cell(NamedTuple):
    expression: str
    name: str
    description: str
    unit: str | None = None

    def sql(self) -> str:
        if self.expression.endswith("." + quoted(self.name)):
            return self.expression
        return f"{self.expression} AS {quoted(self.name)}"


class _Face:
    """A record table as a view shows it, in groups of cells: each field; after a field that
    names a record, that record's names (the group `FIELD_names`); the cells `added`; the
    source's id and words. The groups in `first` come first, then the others, the notes last."""

    def __init__(
        self,
        table: Table,
        tables: Mapping[str, Table],
        first: tuple[str, ...],
        added: tuple[_Cell, ...] = (),
    ) -> None:
        self.table = table
        self.alias = alias = quoted(table.name)
        self.joins: list[str] = []
        groups: dict[str, list[_Cell]] = {}
        named = {
            key.columns[0]: tables[key.table]
            for key in table.foreign_keys
            if len(key.columns) == 1
            and all(name in tables[key.table].column_names for name in NAMES)
        }
        for column in table.columns:
            if column.name in INTERNAL:
                continue
            name = column.name
            groups[name] = [_Cell(f"{alias}.{quoted(name)}", name, column.description, column.unit)]
            target = named.get(name)
            if target is not None:
                ref = quoted(f"{name}_ref")
                self.joins.append(
                    f"LEFT JOIN {quoted(target.name)} {ref} ON {ref}.id = {alias}.{quoted(name)}"
                )
                groups[f"{name}_names"] = [
                    _Cell(
                        f"{ref}.{each}",
                        f"{name}_{each}",
                        f"`{each}` of the `{name}` ({target.name})",
                    )
                    for each in NAMES
                ]
        groups.update((cell.name, [cell]) for cell in added)
        quotes = next(child for child in table.children if child.shape == "quotes")
        self.joins.append(
            f"LEFT JOIN {quoted(quotes.name)} source_ref "
            f"ON source_ref.{quoted(quotes.column_names[0])} = {alias}.id "
            "AND source_ref.position = 0"
        )
        groups[SOURCE_DOC] = [_Cell("source_ref.doc", SOURCE_DOC, "the source the record rests on")]
        groups[SOURCE_QUOTE] = [_Cell("source_ref.quote", SOURCE_QUOTE, "the words of that source")]
        rest = [name for name in groups if name not in first and name not in NOTES]
        self.cells = [cell for name in (*first, *rest, *NOTES) for cell in groups[name]]

    def select(self) -> str:
        cells = ",\n  ".join(cell.sql() for cell in self.cells)
        joins = "\n".join(self.joins)
        return f"SELECT\n  {cells}\nFROM {self.alias}\n{joins}\nORDER BY {self.alias}.id"

    def view(self, name: str, description: str, body: str = "") -> View:
        """The view `name` of these cells: `body` (`select()` by default) as its query."""
        return View(
            name,
            description,
            f"CREATE VIEW {name} AS\n{body or self.select()}",
            {cell.name: cell.description for cell in self.cells},
            {cell.name: cell.unit for cell in self.cells if cell.unit},
            self.table.name,
        )


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

# As `dz targets`: the latest answer of the target's metric for a whole year before the
# target's, among those whose base value is a number.
_ACTUALS = f"""WITH candidates AS (
  SELECT t.id AS target_id, s.id, s.period, s.value, s.unit, s.base_value, s.base_unit,
    row_number() OVER (PARTITION BY t.id ORDER BY s.period DESC) AS n
  FROM targets t JOIN stats s ON s.metric = t.metric
  WHERE s.id IN ({_ANSWERS})
    AND typeof(s.base_value) IN ('integer', 'real')
    AND length(s.period) = 4
    AND (t.period IS NULL OR s.period < t.period))"""
_ACTUAL = {
    "id": "the stat that is the latest earlier whole-year actual of the metric",
    "period": "its period",
    "value": "its value, in `actual_unit`",
    "unit": "its unit",
    "base_value": "its value in `actual_base_unit`",
    "base_unit": "its base unit",
}


def _quotes(tables: list[Table]) -> View:
    parts = []
    for table in tables:
        if table.shape != "quotes":
            continue
        keys = table.column_names[: len(table.primary_key) - 1]
        figure = quoted(keys[1]) if len(keys) > 1 else "NULL"
        parts.append(
            f"SELECT '{record_table(table)}' AS kind_table, {quoted(keys[0])} AS record_id, "
            f"{figure} AS figure_position, position, doc, quote, supports "
            f"FROM {quoted(table.name)}"
        )
    return View(
        "quotes",
        "Every quote of every record and figure: position 0 is the `source`.",
        "CREATE VIEW quotes AS\n" + "\nUNION ALL\n".join(parts),
        {
            "kind_table": "the table of the record",
            "record_id": "the record's id",
            "figure_position": "the figure's place among the record's figures, for a figure's",
            "position": "0 for the `source`, 1 on for the further `quotes`",
            "doc": "the source (sources.id)",
            "quote": "the words of the source",
            "supports": "the field a further quote supports (note, role, …)",
        },
        {},
        "",
    )


def views(tables: list[Table]) -> list[View]:
    """Every view of the export, in the order they are made (a view may read an earlier one)."""
    by_name = {table.name: table for table in tables}
    first = ("id", "metric_names", "period", "value", "unit")
    category = _Cell('"metric_ref".category', "category", "the metric's category")
    stats = _Face(by_name["stats"], by_name, (*first, "yoy_pct", SOURCE_QUOTE), (category,))
    projects = _Face(
        by_name["projects"],
        by_name,
        ("id", *NAMES, "park_names", "status", "status_zh", SOURCE_QUOTE),
    )
    actual = tuple(_Cell(f"actual.{f}", f"actual_{f}", text) for f, text in _ACTUAL.items())
    targets = _Face(by_name["targets"], by_name, (*first, SOURCE_QUOTE), actual)
    targets.joins.append(
        "LEFT JOIN candidates actual ON actual.target_id = targets.id AND actual.n = 1"
    )
    return [
        stats.view(
            "stats_with_quotes",
            "Every claim of every statistic with its metric's names and category and the words "
            "of its source; notes last.",
        ),
        stats.view(
            "preferred_claims",
            "The answer for each metric and period, as `dz stats` gives it: the preferred "
            "claim, else the first normal one in store order, never a deprecated one.",
            f"SELECT * FROM stats_with_quotes WHERE id IN ({_ANSWERS})\nORDER BY id",
        ),
        projects.view(
            "projects_with_parks",
            "Projects with the names of their park and enterprise and the words of their "
            "source, as `dz projects` shows them.",
        ),
        targets.view(
            "targets_with_actuals",
            "Targets beside the latest earlier whole-year actual of their metric (actual_*), "
            "as `dz targets` shows them.",
            f"{_ACTUALS}\n{targets.select()}",
        ),
        _quotes(tables),
    ]


# --- the full-text index --------------------------------------------------------------------

SEARCH = "search"
# Which texts the index holds: names, aliases, notes and roles in both languages, statements'
# texts and items, named members, and every quote.
_SEARCHED = ("name_", "note", "role", "text_", "quote", "aliases", "items_", "members_")


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
        if table.shape == "texts":
            searched = ["value"] if table.field.startswith(_SEARCHED) else []
        else:
            searched = [
                c.name for c in table.columns if c.type == STRING and c.name.startswith(_SEARCHED)
            ]
        record_id = "id" if table.shape == "record" else table.column_names[0]
        for name in searched:
            column = quoted(name)
            db.execute(
                f"INSERT INTO {SEARCH} (kind_table, record_id, field, text) "
                f"SELECT ?, {quoted(record_id)}, ?, {column} "
                f"FROM {quoted(table.name)} WHERE {column} IS NOT NULL AND {column} != ''",
                (record_table(table), f"{table.name}.{name}"),
            )
