"""Consistency rules: what a record says twice (in two languages, two fields, two records)
says the same thing."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from dzcli.check.view import Finding, StoreView, base_unit_of
from dzcli.model.kinds import STATUSES
from dzcli.model.matching import fold

STATUS_WORDS: Mapping[str, str] = {
    "签约": "signed",
    "签署": "signed",
    "落地开工": "construction_started",
    "开工": "under_construction",
    "在建": "under_construction",
    "施工": "under_construction",
    "建成": "existing",
    "投产": "existing",
    "原有": "existing",
    "实施": "in_progress",
}
"""The report's words for a project's stage → `status`. A `status_zh` holding words of one
status only, and not that of `status`, is a contradiction; other words are not judged."""

INDUSTRY_WORDS: Mapping[str, str] = {
    "电子信息": "electronic_information",
    "数字经济": "digital_economy",
}
"""`industry_zh` → `industry`, from the pairs of the shipped store."""


def status_words(view: StoreView) -> Iterator[Finding]:
    """A project's `status_zh` does not name another stage than its `status`."""
    yield from _translation(view, "status", "status_zh", STATUS_WORDS, STATUSES)


def industry_words(view: StoreView) -> Iterator[Finding]:
    """A project's `industry_zh` does not name another industry than its `industry`."""
    yield from _translation(view, "industry", "industry_zh", INDUSTRY_WORDS, None)


def _translation(
    view: StoreView,
    field: str,
    field_zh: str,
    words: Mapping[str, str],
    vocabulary: tuple[str, ...] | None,
) -> Iterator[Finding]:
    for record in view.records("projects"):
        value, text = record.get(field), record.get(field_zh)
        if not isinstance(value, str) or not isinstance(text, str):
            continue
        if vocabulary is not None and value not in vocabulary:
            continue  # the validator reports a word outside the vocabulary
        meant = {words[word] for word in words if word in text}
        if len(meant) == 1 and value not in meant:
            (other,) = meant
            message = f"{field_zh} {text!r} means {other}, but {field} is {value}"
            yield Finding("projects", record, message)


def park_names(view: StoreView) -> Iterator[Finding]:
    """No park's alias is another park's name or alias (a name must find one park)."""
    owner: dict[str, object] = {}  # folded name or alias → the park it names
    for park in view.records("parks"):
        for name in _texts(park.get("name_zh"), park.get("name_en")):
            owner.setdefault(fold(name), park.get("id"))
    for park in view.records("parks"):
        aliases = park.get("aliases")
        for alias in _texts(*(aliases if isinstance(aliases, list) else [])):
            key = fold(alias)
            other = owner.setdefault(key, park.get("id"))
            if other != park.get("id"):
                message = f"alias {alias!r} is also a name or alias of park {other}"
                yield Finding("parks", park, message)


def metric_names(view: StoreView) -> Iterator[Finding]:
    """No two metrics have the same Chinese or English name."""
    for field in ("name_zh", "name_en"):
        first: dict[str, object] = {}
        for metric in view.records("metrics"):
            name = metric.get(field)
            if not isinstance(name, str) or not name.strip():
                continue
            other = first.setdefault(fold(name), metric.get("id"))
            if other != metric.get("id"):
                message = f"{field} {name!r} is also the name of metric {other}"
                yield Finding("metrics", metric, message)


def distinct_ids(view: StoreView) -> Iterator[Finding]:
    """No two ids differ only by Unicode normalisation or case (`fold`): a user typing one
    would find the other."""
    first: dict[str, str] = {}
    for table, records in view.tables.items():
        for record in records:
            record_id = record.get("id")
            if not isinstance(record_id, str):
                continue
            other = first.setdefault(fold(record_id), record_id)
            if other != record_id:
                message = f"id {record_id!r} differs from id {other!r} only by Unicode form or case"
                yield Finding(table, record, message)


def rank_scope(view: StoreView) -> Iterator[Finding]:
    """A `rank_scope` (where a stat ranks) comes with a `rank`."""
    for record in view.records("stats"):
        if record.get("rank_scope") is not None and record.get("rank") is None:
            message = f"rank_scope is {record['rank_scope']!r} but rank is null"
            yield Finding("stats", record, message)


def foreign_equivalents(view: StoreView) -> Iterator[Finding]:
    """An `equivalent` restates an amount in another unit of account, not in its own."""
    for part in view.amounts():
        equivalent = part.body.get("equivalent")
        if not isinstance(equivalent, dict) or part.path.endswith("equivalent"):
            continue
        own, other = base_unit_of(part.body), base_unit_of(equivalent)
        if own is not None and own == other:
            message = f"{part.at}equivalent is in {other}, the unit of the amount itself"
            yield Finding(part.table, part.record, message)


def _texts(*values: object) -> Iterable[str]:
    return [value for value in values if isinstance(value, str) and value.strip()]
