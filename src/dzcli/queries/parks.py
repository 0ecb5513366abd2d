"""`dz parks`, `dz projects` and `dz enterprises`: the parks as a tree, and what is in each."""

from __future__ import annotations

from dzcli.model.matching import fold, resolve, unknown
from dzcli.queries.common import Row
from dzcli.queries.trees import resolve_named, tree, within
from dzcli.read.store import Store


def parks(store: Store, park: str | None = None) -> list[Row]:
    """Every park, each parent before its sub-parks, with `depth` and `children` added; with
    `park`, that park and its sub-parks (depth counted from it)."""
    rows = tree(store.records("parks"))
    return rows if park is None else within(rows, resolve_park(store, park))


def resolve_park(store: Store, term: str) -> str:
    return resolve_named(store, "parks", term, "park")


def _park_and_descendants(store: Store, park_id: str) -> list[str]:
    return [row["id"] for row in within(tree(store.records("parks")), park_id)]


def projects(
    store: Store, park: str | None = None, status: str | None = None, industry: str | None = None
) -> list[Row]:
    """Projects in park order (parks first, then those whose park is not stated)."""
    records = every = store.records("projects")
    if park is not None:
        wanted = _park_and_descendants(store, resolve_park(store, park))
        records = [r for r in records if r.get("park") in wanted]
    if status is not None:
        records = _filter_choice(records, every, status, "status", "status_zh")
    if industry is not None:
        records = _filter_choice(records, every, industry, "industry", "industry_zh")
    ordered = tree(store.records("parks"))
    park_order = {row["id"]: i for i, row in enumerate(ordered)}
    park_names = {row["id"]: row for row in ordered}
    unplaced = len(park_order)
    rows = []
    for record in sorted(records, key=lambda r: park_order.get(r.get("park") or "", unplaced)):
        home = park_names.get(record.get("park") or "", {})
        rows.append(
            {**record, "park_name_zh": home.get("name_zh"), "park_name_en": home.get("name_en")}
        )
    return rows


def _filter_choice(
    records: list[Row], every: list[Row], term: str, field: str, field_zh: str
) -> list[Row]:
    """Keep records whose `field` is the one value `term` resolves to among `every` record's
    values (or their Chinese twins): a value no record left has is an empty result, not an error."""
    names: dict[str, list[str]] = {}
    for r in every:
        if isinstance(r.get(field), str):
            # As tables print it too: "electronic information" for electronic_information.
            spelled = [r.get(field_zh) or "", r[field].replace("_", " ")]
            names.setdefault(r[field], []).extend(spelled)
    chosen = resolve(term, names, field)
    return [r for r in records if r.get(field) == chosen]


def enterprises(store: Store, name: str | None = None, park: str | None = None) -> list[Row]:
    """The companies and organisations the report names, each with its park's names; with
    `name`, those it names (see `matching_records`); with `park`, those in it or its sub-parks."""
    records = store.records("enterprises")
    if name is not None:
        records = matching_records(records, name, "enterprise")
    if park is not None:
        wanted = _park_and_descendants(store, resolve_park(store, park))
        records = [r for r in records if r.get("park") in wanted]
    homes = store.by_id("parks")
    return [
        {
            **record,
            "park_name_zh": homes.get(record.get("park") or "", {}).get("name_zh"),
            "park_name_en": homes.get(record.get("park") or "", {}).get("name_en"),
        }
        for record in records
    ]


def spellings(record: Row) -> list[str]:
    names = [record.get("name_zh"), record.get("name_en"), *(record.get("aliases") or [])]
    return [n for n in names if isinstance(n, str) and n]


def matching_records(records: list[Row], term: str, what: str) -> list[Row]:
    """The records `term` names: the one whose id, name or alias it is, else every one with it
    in an id, name or alias; none is an error with a "did you mean"."""
    names = {str(r.get("id")): spellings(r) for r in records}
    wanted = fold(term.strip())
    for exact in (True, False):
        found = [
            r
            for r in records
            if wanted
            and any(
                wanted == fold(s) if exact else wanted in fold(s)
                for s in [str(r.get("id")), *names[str(r.get("id"))]]
            )
        ]
        if found:
            return found
    raise unknown(term, names, what)
