"""Consistency rules: what the store says twice (in two languages, two fields, two records, two
claims for one number, one key written twice) says the same thing, or is settled."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from dzcli.check.view import Finding, Record, StoreView, base_unit_of
from dzcli.model import claims
from dzcli.model.kinds import BY_TABLE, HOME_AREA, STATUSES
from dzcli.model.matching import fold
from dzcli.model.validate import record_label

STATUS_WORDS: Mapping[str, str] = {
    **dict.fromkeys(("签约", "签署"), "signed"),
    "落地开工": "construction_started",
    **dict.fromkeys(("开工", "在建", "施工"), "under_construction"),
    **dict.fromkeys(("建成", "投产", "原有"), "existing"),
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
    yield from _translation(view, "status", STATUS_WORDS, STATUSES)


def industry_words(view: StoreView) -> Iterator[Finding]:
    """A project's `industry_zh` does not name another industry than its `industry`."""
    yield from _translation(view, "industry", INDUSTRY_WORDS, None)


def _translation(
    view: StoreView, field: str, words: Mapping[str, str], vocabulary: tuple[str, ...] | None
) -> Iterator[Finding]:
    field_zh = f"{field}_zh"
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


def unique_names(view: StoreView) -> Iterator[Finding]:
    """No two parks share a name or an alias, nor two areas: a name finds one of them."""
    for table in ("parks", "areas"):
        what = BY_TABLE[table].name
        owner: dict[str, object] = {}  # folded name or alias → the record it names first
        # Names first: an alias is the one said twice.
        for said, spelled in (("name", _names), ("alias", _aliases)):
            for record in view.records(table):
                for name in spelled(record):
                    other = owner.setdefault(fold(name), record.get("id"))
                    if other != record.get("id"):
                        message = f"{said} {name!r} is also a name or alias of {what} {other}"
                        yield Finding(table, record, message)


def _names(record: Record) -> Iterable[str]:
    return _texts(record.get("name_zh"), record.get("name_en"))


def _aliases(record: Record) -> Iterable[str]:
    aliases = record.get("aliases")
    return _texts(*(aliases if isinstance(aliases, list) else []))


def metric_names(view: StoreView) -> Iterator[Finding]:
    """No two metrics have the same Chinese or English name."""
    for field in ("name_zh", "name_en"):
        first: dict[str, object] = {}
        for metric in view.records("metrics"):
            for name in _texts(metric.get(field)):
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
    """A `rank_scope` (where a stat ranks) comes with a `rank`, and is a name of its
    `rank_area`; a `vs_avg_area` comes with the comparison it names the area of."""
    areas = view.by_id("areas")
    for record in view.records("stats"):
        scope, area = record.get("rank_scope"), record.get("rank_area")
        if scope is not None and record.get("rank") is None:
            yield Finding("stats", record, f"rank_scope is {scope!r} but rank is null")
        named = areas.get(area) if isinstance(area, str) else None
        if isinstance(scope, str) and named is not None:
            spelled = [*_texts(named.get("name_zh"), named.get("name_en")), *_aliases(named)]
            if fold(scope) not in {fold(name) for name in spelled}:
                yield Finding(
                    "stats", record, f"rank_scope {scope!r} is not a name of its rank_area {area}"
                )
        if record.get("vs_avg_area") is not None and record.get("vs_city_avg_pp") is None:
            yield Finding("stats", record, "vs_avg_area is given but vs_city_avg_pp is null")


def foreign_equivalents(view: StoreView) -> Iterator[Finding]:
    """An `equivalent` restates an amount in another unit of account, not in its own."""
    for part in view.amounts:
        equivalent = part.body.get("equivalent")
        if not isinstance(equivalent, dict) or part.path.endswith("equivalent"):
            continue
        own, other = base_unit_of(part.body), base_unit_of(equivalent)
        if own is not None and own == other:
            message = f"{part.at}equivalent is in {other}, the unit of the amount itself"
            yield part.finding(message)


def _texts(*values: object) -> Iterable[str]:
    return [value for value in values if isinstance(value, str) and value.strip()]


def no_duplicate_keys(view: StoreView) -> Iterator[Finding]:
    """No key appears twice in one JSON object (of the store, a table or a record)."""
    data = view.data if isinstance(view.data, dict) else {}
    for path, key, count in view.duplicate_keys:
        times = "twice" if count == 2 else f"{count} times"
        if len(path) < 2:  # the store itself, or a table (a document id written twice)
            table = path[0] if path else ""
            what = "document id" if path else "table"
            message = f"{what} {key!r} appears {times}; JSON readers keep only the last"
            yield Finding(table, None, message)
            continue
        table, doc_id, *inside = path
        records = data.get(table)
        record = records.get(doc_id) if isinstance(records, dict) else None
        where = _joined(inside)
        place = f"in {where!r}" if where else "in the record"
        message = f"key {key!r} appears {times} {place}; JSON readers keep only the last"
        if isinstance(record, dict):
            yield Finding(table, record, message)
        else:
            yield Finding(table, None, f"{record_label(record, doc_id)}: {message}")


def _joined(path: list[str]) -> str:
    """A path inside a record as messages spell it: figures[0].source."""
    joined = ""
    for part in path:
        joined += part if part.startswith("[") or not joined else f".{part}"
    return joined


def settled_conflicts(view: StoreView) -> Iterator[Finding]:
    """Claims for one metric and period that disagree need a preferred one: until then a
    reader cannot tell which number is the answer."""
    for (metric, area, period), group in view.contested.items():
        chosen = claims.answer(group)
        for claim in claims.conflicts(group):
            values = f"{_value(claim)} here, {_value(chosen)} in {chosen and chosen.get('id')}"
            message = f"claims for {_what(metric, area)} in {period} disagree ({values})"
            settle = "rank one `preferred` (dz prefer ID) or retract one"
            yield Finding("stats", claim, f"{message} and none is preferred: {settle}")


def one_preferred(view: StoreView) -> Iterator[Finding]:
    """At most one preferred claim for a metric and period."""
    for (metric, area, period), group in view.contested.items():
        preferred = [c for c in group if claims.rank_of(c) == claims.PREFERRED]
        for claim in preferred[1:]:
            already = f"already has a preferred claim: {preferred[0].get('id')}"
            yield Finding("stats", claim, f"{_what(metric, area)} in {period} {already}")


def deprecation_reasons(view: StoreView) -> Iterator[Finding]:
    """A deprecated claim says why (rank_reason)."""
    for record in view.records("stats"):
        reason = record.get("rank_reason")
        if claims.rank_of(record) == claims.DEPRECATED and not (
            isinstance(reason, str) and reason.strip()
        ):
            yield Finding("stats", record, "a deprecated claim needs a rank_reason")


def _what(metric: str, area: str | None) -> str:
    """A metric as claims of its figures of an area are named (the zone's by the metric alone)."""
    return metric if area in (None, HOME_AREA) else f"{metric} of {area}"


def _value(claim: object) -> str:
    if not isinstance(claim, dict):
        return "?"
    return f"{claim.get('value')} {claim.get('unit') or ''}".rstrip()
