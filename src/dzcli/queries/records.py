"""`dz events`, `dz people`, `dz statements`, `dz relations`, `dz show`, and the names tables
give the ids they print."""

from __future__ import annotations

from dzcli.model.errors import LookupFailed
from dzcli.model.kinds import BY_TABLE, TABLES
from dzcli.model.matching import fold, resolve, unknown
from dzcli.queries.common import Row, resolve_metric
from dzcli.queries.growth import as_dict, each_growth_row
from dzcli.queries.parks import spellings
from dzcli.read.store import Store


def events(store: Store) -> list[Row]:
    """Dated milestones in date order; undated ones last."""
    return sorted(
        store.records("events"), key=lambda r: (r.get("date") is None, r.get("date") or "")
    )


def show(store: Store, terms: list[str]) -> list[Row]:
    """The records `terms` name, whole, each once; `type` says which table each is from.

    A term is an id (a derived one, `derived:gdp@2020`, is computed as `dz growth` computes
    it), else a name or alias, or part of one: an ambiguous part shows every record it names,
    best matches first.
    """
    rows: list[Row] = []
    for term in terms:
        for row in _shown(store, term):
            if all(row.get("id") != seen.get("id") for seen in rows):
                rows.append(row)
    return rows


def _shown(store: Store, term: str) -> list[Row]:
    if term.startswith(DERIVED_PREFIX):
        return [_derived_record(store, term)]
    try:
        return [_typed(*store.find(term))]
    except LookupFailed as missing:
        by_name = _named(store, term)
        if not by_name:
            raise missing from None
        return [_typed(table, record) for table, record in by_name]


DERIVED_PREFIX = "derived:"


def _derived_record(store: Store, record_id: str) -> Row:
    metric = record_id.removeprefix(DERIVED_PREFIX).rpartition("@")[0]
    try:  # the derived rows of its metric, if it names one, else of every metric
        rows = each_growth_row(store, resolve_metric(store, metric) if metric else None)
    except LookupFailed:
        rows = each_growth_row(store)
    ids: list[str] = []
    for row in map(as_dict, rows):
        if row.get("kind") != "derived":
            continue
        if row.get("id") == record_id:
            return {"type": "stat", **row}
        ids.append(str(row.get("id")))
    raise unknown(record_id, {i: [] for i in ids}, "derived figure")


def _named(store: Store, term: str) -> list[tuple[str, Row]]:
    """The records whose name or alias is `term`, else those with `term` in one, best first:
    a name that starts with it before one that only contains it."""
    wanted = fold(term.strip())
    if not wanted:
        return []
    ranked: list[tuple[int, int, str, Row]] = []
    for order, table in enumerate(_SHOW_ORDER):
        if not _NAME_FIELDS & set(BY_TABLE[table].fields):
            continue  # a kind without names (stats): named by its id alone
        for record in store.records(table):
            spelled = [fold(s) for s in spellings(record)]
            if any(wanted == s for s in spelled):
                rank = 0
            elif any(s.startswith(wanted) for s in spelled):
                rank = 1
            elif any(wanted in s for s in spelled):
                rank = 2
            else:
                continue
            ranked.append((rank, order, table, record))
    if not ranked:
        return []
    best = min(rank for rank, *_ in ranked)
    chosen = [item for item in ranked if best > 0 or item[0] == 0]
    chosen.sort(key=lambda item: (item[0], item[1]))
    return [(table, record) for _, _, table, record in chosen]


# Which records come first when a name part names several: the things a name stands for.
_NAMED_FIRST = ("enterprises", "parks", "projects")
_NAME_FIELDS = frozenset({"name_zh", "name_en", "aliases"})
_SHOW_ORDER = (*_NAMED_FIRST, *(t for t in TABLES if t not in _NAMED_FIRST))


def _typed(table: str, record: Row) -> Row:
    # `type` is dz's word for the table; a stored field of that name (which `dz check` calls
    # unknown) must not pass the record off as another kind.
    row: Row = {"type": BY_TABLE[table].name}
    row.update((key, value) for key, value in record.items() if key != "type")
    return row


def people(store: Store) -> list[Row]:
    """The people the report names or quotes, with their roles."""
    return store.records("people")


def statements(store: Store, topic: str | None = None) -> list[Row]:
    """What the report says in words: aims, models, methods, measures, plans, captions; those
    about the zone itself first, then by subject."""
    records = store.records("statements")
    if topic is not None:
        names: dict[str, list[str]] = {
            t: [] for t in sorted({str(r.get("topic")) for r in records})
        }
        chosen = resolve(topic, names, "topic")
        records = [r for r in records if r.get("topic") == chosen]
    return sorted(records, key=lambda r: r.get("subject") is not None)


def relations(store: Store) -> list[Row]:
    """Parts of wholes, and named members of counted wholes."""
    return store.records("relations")


# The kinds whose records tables name by id (a share's whole, a person's organisation, the
# part and whole of a relation): small tables, read whole even in a big store.
_NAMED_KINDS = ("areas", "metrics", "parks", "projects", "enterprises", "events", "people")


def names(store: Store) -> dict[str, tuple[str, str]]:
    """(Chinese, English) names by id, for tables: records of the named kinds, and their
    figures as `record_id#key`."""
    found: dict[str, tuple[str, str]] = {}
    for table in _NAMED_KINDS:
        for key, record in store.by_id(table).items():
            own = (str(record.get("name_zh") or key), str(record.get("name_en") or key))
            found[key] = own
            for figure in record.get("figures") or []:
                if isinstance(figure, dict) and isinstance(figure.get("key"), str):
                    found[f"{key}#{figure['key']}"] = (
                        f"{own[0]}·{figure.get('name_zh') or figure['key']}",
                        f"{own[1]}: {str(figure.get('name_en') or figure['key']).lower()}",
                    )
    return found
