"""Names on writes as on reads: a reference typed as a name (`--metric 地区生产总值`,
`--metric "budget revenue"`, `--park 高新产业园`) is the id of the one record it names, through
the same matching as the listings (`dzcli.model.matching.resolve`, with its "did you mean")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dzcli.model.errors import LookupFailed
from dzcli.model.kinds import BY_TABLE, REFERENCES, RecordKind
from dzcli.model.matching import resolve

Record = dict[str, Any]
_NAMES = ("name_zh", "name_en")


def named_fields(kind: RecordKind) -> dict[str, str]:
    """The fields of `kind` that name a record of one table (field → table): a stat's metric
    and share_of, a project's park and enterprise, a park's parent, …"""
    return {
        field: target
        for (table, field), target in REFERENCES.items()
        if table == kind.table and target in BY_TABLE
    }


class Names:
    """The ids the references of a write name, each term looked up once (an import's rows
    name the same few metrics over and over)."""

    def __init__(self, write: Any) -> None:
        self._write = write  # a dzcli.writes.session.Write
        self._ids: dict[tuple[str, str], str] = {}

    def resolve(self, kind: RecordKind, record: Record, name: Callable[[str], str]) -> Record:
        """`record` with each reference that is a name, or part of one, made the id it names;
        LookupFailed (led by `name(field)`, e.g. "--metric: ") for one that names none or
        several. An id that is a record's id stays as it is."""
        resolved = dict(record)
        for field, table in named_fields(kind).items():
            term = record.get(field)
            if not isinstance(term, str) or not term.strip():
                continue
            found = self._ids.get((table, term))
            if found is None:
                try:
                    found = self._ids[(table, term)] = self._look_up(table, term)
                except LookupFailed as error:
                    raise LookupFailed(f"{name(field)}{error}", error.candidates) from None
            resolved[field] = found
        return resolved

    def _look_up(self, table: str, term: str) -> str:
        write = self._write
        if any(r.get("id") == term for _, r in write.records(table, term, field="id")):
            return term
        names = {
            str(r.get("id")): [*(str(r.get(n) or "") for n in _NAMES), *_aliases(r)]
            for _, r in write.records(table)
        }
        return resolve(term, names, BY_TABLE[table].name)


def resolve_names(
    kind: RecordKind, record: Record, write: Any, name: Callable[[str], str]
) -> Record:
    """`Names(write).resolve(kind, record, name)`, for a write of one record."""
    return Names(write).resolve(kind, record, name)


def _aliases(record: Record) -> list[str]:
    aliases = record.get("aliases")
    return [a for a in aliases if isinstance(a, str)] if isinstance(aliases, list) else []
