"""`dz search`: every record holding all the words, best first."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from dzcli.model.errors import BadUsage
from dzcli.model.kinds import BY_TABLE, TABLES
from dzcli.model.matching import fold
from dzcli.queries.common import Row
from dzcli.read import search_text
from dzcli.read.decoding import LISTED
from dzcli.read.index import VOUCHED_FROM_BYTES
from dzcli.read.store import Store, decode

SEARCH_IN = ("names", "notes", "quotes")


def search(store: Store, text: str, within: str | None = None) -> list[Row]:
    """Every record with all the words of `text` (any order, in any of its Chinese or English
    text, at any depth), best first: a match in names and aliases, then in notes and roles,
    then only in a quote, last only in a quote that other records share. `within` (names,
    notes or quotes) looks in those fields only."""
    words = fold(text).split()
    if not words:
        return []
    if within is not None and within not in SEARCH_IN:
        raise BadUsage(f"--in takes names, notes or quotes, not {within!r}")
    found: list[tuple[int, int, Row]] = []
    searched = [table for table in TABLES if table not in _NOT_SEARCHED]
    many = store.size >= VOUCHED_FROM_BYTES
    store.part("search", lambda db, schema: _fill(db, schema, searched, many))
    records = [
        (table, record, _fields(record, table))
        for table in searched
        for record in _holding(store, table, words)
    ]
    quoted: dict[str, int] = {}  # how many records rest on each quote
    for _, _, fields in records:
        for quote in {value for _, value, area in fields if area == "quotes"}:
            quoted[quote] = quoted.get(quote, 0) + 1
    hits = []
    for table, record, fields in records:
        texts = [field for field in fields if within in (None, field[2])]
        hit = _best_hit(texts, words, quoted)
        if hit is not None:
            hits.append((table, record, hit))
    for table, record, (rank, path, value, area) in hits:
        row = {
            "type": BY_TABLE[table].name,
            "id": record.get("id"),
            "name_zh": record.get("name_zh"),
            "name_en": record.get("name_en"),
            "field": path,
            "text": value,
            "matched_in": area,
            "source": record.get("source"),
        }
        found.append((rank, len(found), row))
    return [row for _, _, row in sorted(found, key=lambda item: item[:2])]


Field = tuple[str, str, str]
"""A text of a record: its path (figures[0].name_en), the text, and its area (`_area`)."""


_MOST_SOUGHT = 100


def _holding(store: Store, table: str, words: list[str]) -> list[Row]:
    """The records of `table` whose folded text may hold every word (`search_text`), in
    document order: those the search then looks at field by field."""
    # Each word once, and no more than SQLite's expression depth takes: the search then checks
    # every word of each record it finds.
    sought = list(dict.fromkeys(words))[:_MOST_SOUGHT]
    holds = " AND ".join(["instr(f.folded, ?)"] * len(sought)) or "1"
    return store.rows(
        f'SELECT t.row FROM search."{table}" f JOIN "{table}" t ON t.rowid = f.rowid '
        f"WHERE {holds} ORDER BY f.rowid",
        sought,
    )


def _fields(record: Row, table: str) -> list[Field]:
    return [(path, value, _area(path)) for path, value in _own_texts(record, table)]


def _own_texts(record: Row, table: str) -> list[tuple[str, str]]:
    # A stat's row carries its metric's names and other claims' ids: not texts of its own.
    listed = LISTED.get(table, ())
    own = {k: v for k, v in record.items() if k not in listed} if listed else record
    return _texts(own, "", [])


def _fill(db: Any, schema: str, tables: list[str], many: bool) -> None:
    """The search part of an index, in `schema`: for each record of `tables`, the texts a
    search looks in, folded (`search_text`), one after another with a separator no word holds
    (a word is split at it). `many`: the rows of a big store."""
    for table in tables:
        db.execute(f'CREATE TABLE {schema}."{table}" (folded TEXT NOT NULL)')
        rows = db.execute(f'SELECT rowid, row FROM main."{table}"')
        texts = (
            (rowid, _SEPARATOR.join(text for _, text in _own_texts(decode(row), table)))
            for rowid, row in rows
        )
        db.executemany(
            f'INSERT INTO {schema}."{table}" (rowid, folded) VALUES (?, ?)',
            ((rowid, search_text.folded(text, many)) for rowid, text in texts),
        )


_SEPARATOR = "\x1f"  # the unit separator: a control character, which str.split() splits at


def _best_hit(
    texts: list[Field], words: list[str], quoted: dict[str, int]
) -> tuple[int, str, str, str] | None:
    """How well the record's texts match every word: 0 all in names, 1 in names and notes,
    2 needing a quote, 3 needing a quote other records share; with the field to show and its
    area."""
    folded = [(path, value, area, fold(value)) for path, value, area in texts]
    for rank, areas in enumerate(((("names",)), ("names", "notes"), SEARCH_IN)):
        pool = [item for item in folded if item[2] in areas]
        if all(any(word in item[3] for item in pool) for word in words):
            path, value, area = _shown_field(pool, words)
            if rank == 2 and area == "quotes" and quoted.get(value, 0) > 1:
                return 3, path, value, area
            return rank, path, value, area
    return None


def _shown_field(pool: list[tuple[str, str, str, str]], words: list[str]) -> Field:
    """The field that holds most of the words (the first such), to show beside the record."""
    best = max(pool, key=lambda item: (sum(word in item[3] for word in words), item[0] != "id"))
    return best[0], best[1], best[2]


_NAME_FIELDS = frozenset({"id", "name_zh", "name_en", "aliases"})


@functools.lru_cache(maxsize=4096)
def _area(path: str) -> str:
    """Which part of a record a field path is in: names, notes (and roles, figures), quotes."""
    top = path.split(".")[0].split("[")[0]
    if top in _NAME_FIELDS:
        return "names"
    return "quotes" if path.rsplit(".", 1)[-1] == "quote" else "notes"


def _texts(value: object, path: str, found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Every string under `value` (a record, a list or an object in it), with its path
    (figures[0].name_en), added to `found` (a search walks thousands of records)."""
    if isinstance(value, dict):
        items: Iterable[tuple[object, object]] = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return found
    for key, item in items:
        if key in _NOT_TEXT or not isinstance(item, str | dict | list):
            continue
        where = f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}" if path else str(key)
        if isinstance(item, str):
            found.append((where, item))
        else:
            _texts(item, where, found)
    return found


# The change log holds commands and old records as text: a search would find every figure a
# write ever touched twice over. `dz log` reads it, `dz show log:N` shows one entry.
_NOT_SEARCHED = frozenset({"log"})

# Codes every record shares (the source's id, "reported", "CNY"): not text a person searches.
_NOT_TEXT = frozenset({"doc", "kind", "base_unit"})
