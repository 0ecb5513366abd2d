"""The store as `dz check`'s rules see it: its records by table, walked part by part.

Rules read a store the validator may have found faults in, so every walk here skips what is
not an object and every rule checks the type of each value it uses.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from dzcli.model import claims
from dzcli.model.kinds import TABLES
from dzcli.model.numbers import is_number
from dzcli.model.units import UNITS
from dzcli.model.validate import record_label

Record = dict[str, Any]


class Finding(NamedTuple):
    """What a rule found: where (the table, and the record or None for a whole table), and what."""

    table: str
    record: Record | None
    message: str


class Part(NamedTuple):
    """A record, or a figure or equivalent inside one: what carries a value, unit or source."""

    table: str
    record: Record
    path: str  # where in the record: "" for the record itself, "figures[0]", "equivalent"
    body: Record

    @property
    def at(self) -> str:
        """The path as a prefix of a field name in messages ("figures[0]." or "")."""
        return f"{self.path}." if self.path else ""

    def finding(self, message: str) -> Finding:
        return Finding(self.table, self.record, message)


class StoreView:
    """A parsed store, indexed for the rules; `sources_dir` for the provenance rules. What it
    walks or indexes is made once, when first asked for (a big store has a quarter million
    records); callers must not change it."""

    def __init__(
        self,
        data: object,
        sources_dir: Path | None = None,
        duplicate_keys: list[tuple[tuple[str, ...], str, int]] | None = None,
    ) -> None:
        self.data = data
        self.sources_dir = sources_dir
        # (path of the object, key, how many times) for each key repeated in one JSON object.
        self.duplicate_keys = duplicate_keys or []
        self.source_texts: dict[str, str] = {}  # of `--sources`, read: id → text, no whitespace
        self.quotes_found = 0
        self.tables: dict[str, list[Record]] = {}
        self._by_id: dict[str, dict[str, Record]] = {}
        tables = data if isinstance(data, dict) else {}
        for table in TABLES:
            records = tables.get(table)
            if isinstance(records, dict):
                self.tables[table] = [r for r in records.values() if isinstance(r, dict)]
        self.record_count = sum(len(records) for records in self.tables.values())
        self.figure_count = sum(
            len(figures(r)) for records in self.tables.values() for r in records
        )

    def label(self, record: Record | None) -> str:
        """How problems name `record`."""
        if record is None:
            return ""
        doc_id = self._doc_ids.get(id(record))
        return "#?" if doc_id is None else record_label(record, doc_id)

    @cached_property
    def _doc_ids(self) -> dict[int, str]:
        # Only once a problem is found: a clean store never asks.
        tables = self.data if isinstance(self.data, dict) else {}
        return {
            id(record): doc_id for table in self.tables for doc_id, record in tables[table].items()
        }

    def records(self, table: str) -> list[Record]:
        return self.tables.get(table, [])

    def by_id(self, table: str) -> dict[str, Record]:
        """The records of `table` whose id is text (the validator reports the others)."""
        if table not in self._by_id:
            records = self.records(table)
            self._by_id[table] = {r["id"]: r for r in records if isinstance(r.get("id"), str)}
        return self._by_id[table]

    @cached_property
    def every_id(self) -> set[str]:
        """The id of every record of every table."""
        return {record_id for table in self.tables for record_id in self.by_id(table)}

    @cached_property
    def parts(self) -> list[Part]:
        """Every record and every figure in it."""
        found = []
        for table, records in self.tables.items():
            for record in records:
                found.append(Part(table, record, "", record))
                for index, figure in enumerate(figures(record)):
                    if isinstance(figure, dict):
                        found.append(Part(table, record, f"figures[{index}]", figure))
        return found

    @cached_property
    def amounts(self) -> list[Part]:
        """Everything with a value and a unit: stats, targets, figures and their equivalents."""
        found = []
        for part in self.parts:
            if part.table in ("stats", "targets") or part.path:
                found.append(part)
                equivalent = part.body.get("equivalent")
                if isinstance(equivalent, dict):
                    path = f"{part.path}.equivalent" if part.path else "equivalent"
                    found.append(Part(part.table, part.record, path, equivalent))
        return found

    @cached_property
    def anchors(self) -> dict[str, Record]:
        """Every record by its id, and every figure by `record_id#key`, that a relation names
        as its part, whole or a member (a big store has a quarter million others)."""
        named: set[str] = set()
        for relation in self.records("relations"):
            named |= {str(relation.get("part")), str(relation.get("whole"))}
            named.update(texts(relation.get("members")))
        found: dict[str, Record] = {}
        for table in self.tables:
            for record_id, record in self.by_id(table).items():
                if record_id in named:
                    found.setdefault(record_id, record)
                for figure in figures(record):
                    if isinstance(figure, dict) and isinstance(figure.get("key"), str):
                        anchor = f"{record_id}#{figure['key']}"
                        if anchor in named:
                            found.setdefault(anchor, figure)
        return found

    @property
    def contested(self) -> dict[claims.Key, list[Record]]:
        """The stats of each (metric, area, period) that has more than one claim, in store order
        (`claims.groups`, without the lone claims a big store is made of)."""
        return self._claims[0]

    @property
    def stats_by_key(self) -> dict[claims.Key, Record]:
        """The claim that answers for each (metric, area, period), where its value is a number."""
        return self._claims[1]

    @cached_property
    def _claims(self) -> tuple[dict[claims.Key, list[Record]], dict[claims.Key, Record]]:
        # One walk, one dict for a quarter million stats: the first claim of each key, then
        # replaced by the answer (`claims.answer`) or dropped.
        first: dict[claims.Key, Record] = {}
        more: dict[claims.Key, list[Record]] = {}
        for record in self.records("stats"):
            key = claims.key_of(record)
            if key is None:
                continue
            if key not in first:
                first[key] = record
            else:
                more.setdefault(key, [first[key]]).append(record)
        contested = {key: more[key] for key in first if key in more} if more else {}
        dropped = []
        for key, record in first.items():
            if key in more:
                chosen = claims.answer(more[key])
            else:
                chosen = None if claims.rank_of(record) == claims.DEPRECATED else record
            if chosen is None or not is_number(chosen.get("value")):
                dropped.append(key)
            elif chosen is not record:
                first[key] = chosen
        for key in dropped:
            del first[key]
        return contested, first


def figures(record: Record) -> list[Any]:
    found = record.get("figures")
    return found if isinstance(found, list) else []


def source_doc(body: Record) -> str | None:
    """The id of the source a record or figure cites, if it is text."""
    source = body.get("source")
    doc = source.get("doc") if isinstance(source, dict) else None
    return doc if isinstance(doc, str) else None


def texts(value: Any) -> list[str]:
    """The texts of a list (none if it is not one)."""
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def scale(amount: Record) -> int | None:
    """How many base units one of the amount's unit is (10**8 for 亿元); None if unknown."""
    unit = amount.get("unit")
    return _SCALES.get(unit) if isinstance(unit, str) else None


_SCALES = {unit: 10**power for unit, (_base, power) in UNITS.items()}


def base_unit_of(amount: Record) -> str | None:
    unit = amount.get("unit")
    return UNITS[unit][0] if isinstance(unit, str) and unit in UNITS else None


def flat(text: str) -> str:
    """`text` without whitespace (str.split's, the regular expression \\s), as quotes are sought."""
    return "".join(text.split())


def shown(value: object) -> str:
    """A stored value as JSON would write it (text quoted, so hostile text stays inert)."""
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    return repr(value)


def clip(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"
