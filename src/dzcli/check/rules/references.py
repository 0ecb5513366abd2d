"""Reference rules: every id a record names is in the store, and parents do not loop."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from dzcli.check.view import Finding, Record, StoreView, texts
from dzcli.model.kinds import ANY_RECORD, REFERENCES

_LISTED = ("refs", "members")  # lists of references to any record: `event_refs` and relations

LINKS = tuple(
    (table, field, target)
    for (table, field), target in REFERENCES.items()
    if target != ANY_RECORD and field not in _LISTED
)
"""(table, field, the table its value must be an id of), from the registry."""


def known_links(view: StoreView) -> Iterator[Finding]:
    """What a record names by id in one table exists (`kinds.REFERENCES`): a stat's or
    target's metric and area, a share's whole, a park, an enterprise, a parent, a speaker."""
    for table, field, target in LINKS:
        ids = view.by_id(target)
        yield from _unknown(view, table, field, ids, f"the id of any record in {target}")


def event_refs(view: StoreView) -> Iterator[Finding]:
    """An event's refs are ids in the store."""
    every_id = view.every_id
    for record in view.records("events"):
        for ref in texts(record.get("refs")):
            if ref not in every_id:
                yield Finding("events", record, f"refs: {ref!r} is not an id in the store")


# Fields that may name a record of any kind (a person speaks for an enterprise or a park; a
# statement is about a park, an enterprise, a project, …).
ANY_RECORD_LINKS = (("people", "organisation"), ("statements", "subject"))


def any_record_refs(view: StoreView) -> Iterator[Finding]:
    """A person's organisation and a statement's subject are ids in the store."""
    for table, field in ANY_RECORD_LINKS:
        yield from _unknown(view, table, field, view.every_id, "an id in the store")


def _unknown(
    view: StoreView, table: str, field: str, ids: Collection[str], what: str
) -> Iterator[Finding]:
    for record in view.records(table):
        value = record.get(field)
        if isinstance(value, str) and value not in ids:
            yield Finding(table, record, f"{field} {value!r} is not {what}")


def no_self_reference(view: StoreView) -> Iterator[Finding]:
    """An event does not list itself among its refs."""
    for record in view.records("events"):
        if record.get("id") in texts(record.get("refs")):
            yield Finding("events", record, f"refs: {record['id']!r} is the event itself")


def source_docs(view: StoreView) -> Iterator[Finding]:
    """Every source.doc and quotes[].doc, of records and figures, is a source."""
    sources = set(view.by_id("sources"))
    for part in view.parts:
        source, extra = part.body.get("source"), part.body.get("quotes")
        cited = [("source", source)]
        if extra and isinstance(extra, list):  # further quotes are the rare case
            cited += [(f"quotes[{i}]", citation) for i, citation in enumerate(extra)]
        for where, citation in cited:
            doc = citation.get("doc") if isinstance(citation, dict) else None
            if isinstance(doc, str) and doc not in sources:
                message = f"{part.at}{where}.doc {doc!r} is not the id of any record in sources"
                yield part.finding(message)


def metric_units(view: StoreView) -> Iterator[Finding]:
    """A stat or target is counted in its metric's base unit, and a share in its whole's."""
    metrics = view.by_id("metrics")
    for table in ("stats", "targets"):
        for record in view.records(table):
            metric = _get(metrics, record.get("metric"))
            if metric is None or not isinstance(metric.get("base_unit"), str):
                continue
            if record.get("base_unit") != metric["base_unit"]:
                counted = f"metric {record.get('metric')} is counted in {metric['base_unit']!r}"
                yield Finding(
                    table, record, f"base_unit is {record.get('base_unit')!r}, but {counted}"
                )
    for record in view.records("stats"):
        if record.get("share_of") is None:
            continue  # not a share, the common case
        own, whole = _get(metrics, record.get("metric")), _get(metrics, record.get("share_of"))
        if own is None or whole is None or own.get("base_unit") == whole.get("base_unit"):
            continue
        counted = f"share_of {whole.get('id')} is counted in {whole.get('base_unit')!r}"
        yield Finding(
            "stats", record, f"{counted}, but metric {own.get('id')} in {own.get('base_unit')!r}"
        )


def no_parent_cycles(view: StoreView) -> Iterator[Finding]:
    """No chain of parent parks, nor of parent areas, loops back to where it started."""
    for table in NESTED:
        parent = {
            r.get("id"): r.get("parent")
            for r in view.records(table)
            if isinstance(r.get("id"), str) and isinstance(r.get("parent"), str)
        }
        for record in view.records(table):
            start = record.get("id")
            if not isinstance(start, str):
                continue
            chain, current = [start], parent.get(start)
            while current is not None and current not in chain:
                chain.append(current)
                current = parent.get(current)
            if current == start:
                loop = " → ".join(str(each) for each in [*chain, start])
                yield Finding(table, record, f"parent chain loops back to it: {loop}")


# The tables whose records lie within others of the table (parks, areas).
NESTED = tuple(table for (table, field), target in REFERENCES.items() if target == table)


def _get(records: dict[str, Record], key: object) -> Record | None:
    return records.get(key) if isinstance(key, str) else None


def relation_ends(view: StoreView) -> Iterator[Finding]:
    """A relation's part, whole and members are records or figures in the store."""
    known = view.anchors
    for relation in view.records("relations"):
        ends = [("part", relation.get("part")), ("whole", relation.get("whole"))]
        ends += [("members", member) for member in texts(relation.get("members"))]
        for field, end in ends:
            if isinstance(end, str) and end not in known:
                message = f"{field} {end!r} is not a record or figure id"
                yield Finding("relations", relation, message)
