"""The SQLite export's views: records as people read them, beside the tables `dz import` reads.

A view opens on what a reader looks at first (a stat's id, metric, period, value and the words
of its source), puts the names of what a field refers to beside that field (a stat's metric, a
project's park and enterprise), then lists the record's other fields in its table's order, and
ends on its notes. It leaves out the columns that are there only to give the store back
(doc_id, dz_absent, dz_blank). Its columns come from the schema (`tabular`), so a new field of
a kind shows up in its view.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from dzcli.export.sql import quoted, record_table
from dzcli.export.tabular import ABSENT, BLANK, DOC_ID, Table

INTERNAL = (DOC_ID, ABSENT, BLANK)
"""Columns a record table keeps for `dz import` alone: no view shows them."""
NOTES = ("note", "note_zh")
NAMES = ("name_zh", "name_en")
SOURCE_DOC, SOURCE_QUOTE = "source_doc", "source_quote"


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


def _has_names(table: Table) -> bool:
    return all(name in table.column_names for name in NAMES)


class _Face:
    """A record table as a view shows it, in groups of cells: each field; after a field that
    names a record, the names of that record (the group `FIELD_names`); what the view adds
    (`add`); the source's id and words; the notes. The groups named in `first` come first,
    in that order, then the others in that order, and the notes last."""

    def __init__(self, table: Table, tables: Mapping[str, Table], first: tuple[str, ...]) -> None:
        self.table = table
        self.alias = quoted(table.name)
        self.first = first
        self.joins: list[str] = []
        self.groups: dict[str, list[_Cell]] = {}
        self.added: dict[str, list[_Cell]] = {}
        named = {
            key.columns[0]: tables[key.table]
            for key in table.foreign_keys
            if len(key.columns) == 1 and _has_names(tables[key.table])
        }
        for column in table.columns:
            if column.name in INTERNAL:
                continue
            self.groups[column.name] = [
                _Cell(
                    f"{self.alias}.{quoted(column.name)}",
                    column.name,
                    column.description,
                    column.unit,
                )
            ]
            target = named.get(column.name)
            if target is not None:
                self.groups[names_group(column.name)] = self._names(column.name, target)
        self.sources = self._source()

    def _names(self, column: str, target: Table) -> list[_Cell]:
        ref = ref_alias(column)
        self.joins.append(
            f"LEFT JOIN {quoted(target.name)} {ref} ON {ref}.id = {self.alias}.{quoted(column)}"
        )
        return [
            _Cell(
                f"{ref}.{name}", f"{column}_{name}", f"`{name}` of the `{column}` ({target.name})"
            )
            for name in NAMES
        ]

    def _source(self) -> dict[str, list[_Cell]]:
        quotes = next(child for child in self.table.children if child.shape == "quotes")
        key = quoted(quotes.column_names[0])
        self.joins.append(
            f"LEFT JOIN {quoted(quotes.name)} source_ref "
            f"ON source_ref.{key} = {self.alias}.id AND source_ref.position = 0"
        )
        return {
            SOURCE_DOC: [_Cell("source_ref.doc", SOURCE_DOC, "the source the record rests on")],
            SOURCE_QUOTE: [_Cell("source_ref.quote", SOURCE_QUOTE, "the words of that source")],
        }

    def add(self, cell: _Cell) -> None:
        self.added[cell.name] = [cell]

    def cells(self) -> list[_Cell]:
        groups = {**self.groups, **self.added, **self.sources}  # in the order they follow
        rest = [name for name in groups if name not in self.first and name not in NOTES]
        return [cell for name in (*self.first, *rest, *NOTES) for cell in groups[name]]

    def select(self) -> str:
        cells = ",\n  ".join(cell.sql() for cell in self.cells())
        joins = "\n".join(self.joins)
        return f"SELECT\n  {cells}\nFROM {self.alias}\n{joins}\nORDER BY {self.alias}.id"

    def view(self, name: str, description: str, sql: str) -> View:
        cells = self.cells()
        return View(
            name,
            description,
            sql,
            {cell.name: cell.description for cell in cells},
            {cell.name: cell.unit for cell in cells if cell.unit},
            self.table.name,
        )


def names_group(column: str) -> str:
    """The group of a view's cells holding the names of the record that `column` names."""
    return f"{column}_names"


def ref_alias(column: str) -> str:
    """The alias a view gives the record that `column` names."""
    return quoted(f"{column}_ref")


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


def _stats(tables: Mapping[str, Table]) -> list[View]:
    face = _Face(
        tables["stats"],
        tables,
        first=("id", names_group("metric"), "period", "value", "unit", "yoy_pct", SOURCE_QUOTE),
    )
    face.add(_Cell(f"{ref_alias('metric')}.category", "category", "the metric's category"))
    every = face.view(
        "stats_with_quotes",
        "Every claim of every statistic with its metric's names and category and the words of "
        "its source; notes last.",
        f"CREATE VIEW stats_with_quotes AS\n{face.select()}",
    )
    answers = face.view(
        "preferred_claims",
        "The answer for each metric and period, as `dz stats` gives it: the preferred claim, "
        "else the first normal one in store order, never a deprecated one.",
        "CREATE VIEW preferred_claims AS\n"
        f"SELECT * FROM stats_with_quotes WHERE id IN ({_ANSWERS})\nORDER BY id",
    )
    return [every, answers]


def _projects(tables: Mapping[str, Table]) -> View:
    face = _Face(
        tables["projects"],
        tables,
        first=(
            "id",
            "name_zh",
            "name_en",
            names_group("park"),
            "status",
            "status_zh",
            SOURCE_QUOTE,
        ),
    )
    return face.view(
        "projects_with_parks",
        "Projects with the names of their park and enterprise and the words of their source, "
        "as `dz projects` shows them.",
        f"CREATE VIEW projects_with_parks AS\n{face.select()}",
    )


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


def _targets(tables: Mapping[str, Table]) -> View:
    face = _Face(
        tables["targets"],
        tables,
        first=("id", names_group("metric"), "period", "value", "unit", SOURCE_QUOTE),
    )
    face.joins.append(
        "LEFT JOIN candidates actual ON actual.target_id = targets.id AND actual.n = 1"
    )
    for field, description in _ACTUAL.items():
        face.add(_Cell(f"actual.{field}", f"actual_{field}", description))
    return face.view(
        "targets_with_actuals",
        "Targets beside the latest earlier whole-year actual of their metric (actual_*), as "
        "`dz targets` shows them.",
        f"CREATE VIEW targets_with_actuals AS\n{_ACTUALS}\n{face.select()}",
    )


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
    return [*_stats(by_name), _projects(by_name), _targets(by_name), _quotes(tables)]
