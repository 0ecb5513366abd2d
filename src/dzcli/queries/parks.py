"""`dz parks`, `dz projects` and `dz enterprises`: the parks as a tree, and what is in each."""

from __future__ import annotations

from dzcli.model.matching import fold, resolve, unknown
from dzcli.queries.common import Row
from dzcli.read.store import Store


def parks(store: Store, park: str | None = None) -> list[Row]:
    """Every park, each parent before its sub-parks, with `depth` and `children` added; with
    `park`, that park and its sub-parks (depth counted from it)."""
    rows = _park_tree(store)
    if park is None:
        return rows
    chosen = _park_and_descendants(store, resolve_park(store, park))
    top = next(row["depth"] for row in rows if row["id"] == chosen[0])
    return [{**row, "depth": row["depth"] - top} for row in rows if row["id"] in chosen]


def _park_tree(store: Store) -> list[Row]:
    records = store.records("parks")
    children: dict[str | None, list[Row]] = {}
    known = {r["id"] for r in records}
    for record in records:
        parent = record.get("parent")
        children.setdefault(parent if parent in known else None, []).append(record)
    rows: list[Row] = []
    seen: set[str] = set()

    def place(record: Row, depth: int) -> None:
        if record["id"] in seen:
            return  # a parent cycle in a bad store must not recurse forever
        seen.add(record["id"])
        kids = children.get(record["id"], [])
        rows.append({**record, "depth": depth, "children": [c["id"] for c in kids]})
        for child in kids:
            place(child, depth + 1)

    for root in children.get(None, []):
        place(root, 0)
    # Parks in a parent cycle (a bad store; `dz check` names it) have no root: list them anyway.
    for record in records:
        place(record, 0)
    return rows


def resolve_park(store: Store, term: str) -> str:
    names = {
        r["id"]: [r.get("name_zh") or "", r.get("name_en") or "", *(r.get("aliases") or [])]
        for r in store.records("parks")
    }
    return resolve(term, names, "park")


def _park_and_descendants(store: Store, park_id: str) -> list[str]:
    found = [park_id]
    for row in _park_tree(store):
        if row.get("parent") in found and row["id"] not in found:
            found.append(row["id"])
    return found


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
    ordered = _park_tree(store)
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
