"""`OUT.metadata.json`: how Datasette shows the SQLite export.

A table page opens on its rows, with the names of the records a row refers to (each named
kind's `label_column`) and a few facets that sort it (period, category, park, status, …); the
database page says where to start, with links; a canned query finds a text of any length.

Two things Datasette's metadata has no setting for (no hidden columns, datasette#1989; the
list of column descriptions always comes before the rows) are done by a stylesheet that the
metadata carries. On table and row pages it hides the columns kept only for `dz import`
(doc_id, dz_absent, dz_blank) and that list; each column's menu (⚙) still shows its
description. A custom SQL query, the JSON and the CSV show every column.
"""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import quote

from dzcli.export import search
from dzcli.export.files import LICENCE_NOTE, Source
from dzcli.export.tabular import Table
from dzcli.export.views import INTERNAL, NOTES, View

LABEL = "name_en"
"""The column a reference to a named record shows (Datasette's interface is English)."""

# The columns that sort a table's rows into a few groups, in the order they are offered; a
# table gets the first few it has.
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
WIDE = (*NOTES, "quote", "source_quote", "doc")
"""Long texts (and a quote's source, shown by its title), given room so that a row is a few
lines high, not a column of words."""
# FTS5's own hidden columns, which Datasette lists on the index's page (always empty or 2).
FTS_COLUMNS = (search.SEARCH, "rank")

START_WITH = ("preferred_claims", "stats_with_quotes", "metrics", "parks", "projects")


def stylesheet() -> str:
    """The CSS that keeps the data on the first screen (see the module's docstring)."""
    hidden = [f"body.{page} .col-{column}" for page in PAGES for column in INTERNAL]
    hidden += [f"body.{page} dl.column-descriptions" for page in PAGES]
    hidden += [f"body.table-{search.SEARCH} .col-{column}" for column in FTS_COLUMNS]
    wide = [f"body.{page} td.col-{column}" for page in PAGES for column in WIDE]
    return (
        ",\n".join(hidden) + " { display: none; }\n" + ",\n".join(wide) + " { min-width: 20em; }\n"
    )


def data_url(css: str) -> str:
    return "data:text/css," + quote(css)


def facets(columns: list[str]) -> list[str]:
    """The facets a table or view with these columns opens with."""
    return [column for column in FACETED if column in columns][:FACETS_PER_TABLE]


def route(database: str) -> str:
    """The database's part of a Datasette address: its name, tilde-encoded as Datasette does
    (a character other than a letter, digit, _ or - becomes ~ and two hex digits)."""
    safe = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
    return "".join(
        chr(b) if b in safe else "+" if b == ord(" ") else f"~{b:02X}"
        for b in database.encode("utf-8")
    )


def _entry(description: str, columns: dict[str, str], *, labelled: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {"description": description, "columns": columns}
    if labelled:
        entry["label_column"] = LABEL
    chosen = facets(list(columns))
    if chosen:
        entry["facets"] = chosen
        entry["facet_size"] = FACET_SIZE
    return entry


def _tables(tables: list[Table], views: list[View]) -> dict[str, Any]:
    """Every table's and view's entry: description, columns, units, label, facets."""
    read_in: dict[str, str] = {}
    for view in views:
        read_in.setdefault(view.shows, view.name)
    described: dict[str, Any] = {}
    for table in tables:
        description = table.description
        if table.name in read_in:
            description += f" With names and quotes: the {read_in[table.name]} view."
        entry = _entry(
            description,
            {c.name: c.description for c in table.columns},
            labelled=table.shape == "record" and LABEL in table.column_names,
        )
        units = {c.name: c.unit for c in table.columns if c.unit}
        if units:
            entry["units"] = units
        described[table.name] = entry
    for view in views:
        entry = described[view.name] = _entry(view.description, view.columns, labelled=False)
        if view.units:
            entry["units"] = view.units
    described[search.SEARCH] = _entry(search.DESCRIPTION, search.COLUMNS, labelled=False)
    return described


def _guide(database: str) -> tuple[str, str]:
    """What the database page says first, as text and as HTML with links."""
    text = (
        "Start with {0} (the answer for each metric and period, with names and quotes), "
        "{1} (every claim), {2}, {3} and {4}; find any text, even 2 characters (威讯), with "
        "the {5} query. A column's ⚙ menu says what it holds."
    )
    names = (*START_WITH, search.FIND_TEXT)
    links = [f'<a href="{escape(route(database))}/{name}">{name}</a>' for name in names]
    return text.format(*names), "<p>" + text.format(*links) + "</p>"


def metadata(
    source: Source, tables: list[Table], views: list[View], database: str
) -> dict[str, Any]:
    """Datasette's metadata: title, source, licence, every table, view and column described,
    labels, facets, the stylesheet, a guide and the find_text query."""
    sources = list(source.store.records("sources"))
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
            for s in sources
        ),
        "custom_units": ["percentage_point = 0.01 = pp"],
        "extra_css_urls": [data_url(stylesheet())],
        "databases": {
            database: {
                "description": guide,
                "description_html": guide_html,
                "tables": _tables(tables, views),
                "queries": {
                    search.FIND_TEXT: {
                        "title": search.FIND_TEXT_TITLE,
                        "description": search.FIND_TEXT_DESCRIPTION,
                        "sql": search.FIND_TEXT_SQL,
                        "hide_sql": True,
                    }
                },
            }
        },
    }
