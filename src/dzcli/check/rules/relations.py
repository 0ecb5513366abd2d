"""Relation rules: a part of a whole names what exists, and is no larger than its whole.

`part`, `whole` and `members` are a record id or `record_id#figure_key`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dzcli.check.view import Finding, Record, StoreView, figures, scale, shown
from dzcli.model.numbers import is_number

Anchors = dict[str, Record]


def anchors(view: StoreView) -> Anchors:
    """Every record by its id, and every figure by `record_id#key`: those a relation names
    (made once per view; a big store has a quarter million others)."""
    if view.anchors is not None:
        return view.anchors
    named: set[str] = set()
    for relation in view.records("relations"):
        named |= {str(relation.get("part")), str(relation.get("whole"))}
        named.update(_texts(relation.get("members")))
    found: Anchors = {}
    view.anchors = found
    for table in view.tables:
        for record_id, record in view.by_id(table).items():
            if record_id in named:
                found.setdefault(record_id, record)
            for figure in figures(record):
                if isinstance(figure, dict) and isinstance(figure.get("key"), str):
                    anchor = f"{record_id}#{figure['key']}"
                    if anchor in named:
                        found.setdefault(anchor, figure)
    return found


def relation_ends(view: StoreView) -> Iterator[Finding]:
    """A relation's part, whole and members are records or figures in the store."""
    known = anchors(view)
    for relation in view.records("relations"):
        ends = [("part", relation.get("part")), ("whole", relation.get("whole"))]
        ends += [("members", member) for member in _texts(relation.get("members"))]
        for field, end in ends:
            if isinstance(end, str) and end not in known:
                yield Finding(
                    "relations", relation, f"{field} {end!r} is not a record or figure id"
                )


def parts_within_wholes(view: StoreView) -> Iterator[Finding]:
    """A part is at most its whole: in the same base unit, or across currencies only through
    the report's own equivalent of one of them; a whole that counts its members is not
    outnumbered by the members named."""
    known = anchors(view)
    for relation in view.records("relations"):
        whole = known.get(str(relation.get("whole")))
        if whole is None:
            continue  # relation_ends has said so
        if relation.get("relation") == "part_of":
            part = known.get(str(relation.get("part")))
            message = None if part is None else _larger(part, whole)
            if message:
                yield Finding("relations", relation, message)
        elif relation.get("relation") == "named_members":
            named = max(
                len(_texts(relation.get("members"))), len(_texts(relation.get("members_zh")))
            )
            count = whole.get("value")
            if whole.get("base_unit") == "count" and is_number(count) and named > count:
                yield Finding(
                    "relations",
                    relation,
                    f"{named} members are named, but {relation.get('whole')} counts {shown(count)}",
                )


def _larger(part: Record, whole: Record) -> str | None:
    """Why `part` is larger than `whole`, or None where it is not (or cannot be told)."""
    pairs = [(part, whole)]
    for side in ("part", "whole"):
        amount = part if side == "part" else whole
        equivalent = amount.get("equivalent")
        if isinstance(equivalent, dict):
            pairs.append((equivalent, whole) if side == "part" else (part, equivalent))
    for a, b in pairs:
        if a.get("base_unit") != b.get("base_unit"):
            continue
        a_base, b_base = _base(a), _base(b)
        if a_base is None or b_base is None:
            return None
        if a_base > b_base:
            return (
                f"the part ({shown(a.get('value'))} {a.get('unit')}) is larger than the whole "
                f"({shown(b.get('value'))} {b.get('unit')})"
            )
        return None
    return None  # different units and no equivalent joins them: nothing to compare


def _base(amount: Record) -> float | None:
    value, factor = amount.get("value"), scale(amount)
    if not is_number(value) or factor is None:
        return None
    if amount.get("bound") in ("lower", "tier"):
        return None  # a threshold or a tier is no upper bound on the value
    return float(value) * factor


def _texts(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
