"""Records that lie within others (parks in parks, areas in areas): as a tree, and by name."""

from __future__ import annotations

from dzcli.model.matching import resolve
from dzcli.queries.common import Row
from dzcli.read.store import Store


def tree(records: list[Row]) -> list[Row]:
    """Every record, each parent before what lies within it, with `depth` and `children`
    added (a record whose parent is not among them is a root)."""
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
    # Records in a parent cycle (a bad store; `dz check` names it) have no root: listed anyway.
    for record in records:
        place(record, 0)
    return rows


def within(rows: list[Row], root: str) -> list[Row]:
    """`root` and what lies within it, of a `tree`, depth counted from it."""
    chosen = [root]
    for row in rows:
        if row.get("parent") in chosen and row["id"] not in chosen:
            chosen.append(row["id"])
    top = next(row["depth"] for row in rows if row["id"] == root)
    return [{**row, "depth": row["depth"] - top} for row in rows if row["id"] in chosen]


def resolve_named(store: Store, table: str, term: str, what: str) -> str:
    """The id of the one record of `table` that `term` names: its id, a name, an alias, or a
    part of one (`matching.resolve`, with its "did you mean")."""
    names = {
        r["id"]: [r.get("name_zh") or "", r.get("name_en") or "", *(r.get("aliases") or [])]
        for r in store.records(table)
    }
    return resolve(term, names, what)
