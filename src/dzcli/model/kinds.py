"""The registry of record kinds: the one place that says what a dz store holds.

The store, the validator, the queries, the JSON contract, the tables and `dz check` all read
this list: adding a kind is one entry here plus its data (and its JSON Schema, which a test
holds to these fields).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from dzcli.model.fieldtypes import (
    DATE,
    FLAG,
    NUMBER,
    PERIOD,
    TEXT,
    WHOLE,
    YEAR,
    FieldType,
    list_of,
    nullable,
    obj,
    one_of,
)
from dzcli.model.periods import is_period, is_year

Record = dict[str, Any]

# A store holds only values the report states: dz marks what it computes "derived" when it
# prints it, and never stores it.
REPORTED = "reported"
# 签约 signed; 落地开工 construction started (an event, not a state); 施工 under construction;
# 原有 existing; 实施 in progress (a programme).
STATUSES = ("signed", "construction_started", "under_construction", "existing", "in_progress")
ONLY_REPORTED = one_of(
    REPORTED, expected="'reported' (a store holds only reported values; dz derives the rest)"
)
# What a figure is (after SDMX's observation status): a value that happened, one expected or
# projected (预计…, 全面达产后将实现…), an aim or plan (力争…, 拟…, 将…), or a target the zone
# commits to (确保…完成).
NATURES = ("actual", "expected", "plan", "target")
NATURE = one_of(*NATURES)
# What the number bounds: null, the value itself (≈ with `approx`, for 约); "lower", a
# threshold crossed (突破50亿元: more than 50); "tier", a class of size (300亿级), not "about" it.
BOUNDS = ("lower", "tier")
BOUND = nullable(one_of(*BOUNDS))
# A growth rate at comparable prices (real; GDP and value added, by the statistics bureau's
# convention) or at current prices (nominal; revenue, trade, capital).
BASES = ("real", "nominal")
BASIS_BY = ("report", "convention")  # whether the report says so, or a convention does
# Which of several claims for one metric and period is the answer (after Wikidata's ranks).
CLAIM_RANKS = ("preferred", "normal", "deprecated")
RELATIONS = ("part_of", "named_members")
TOPICS = ("aim", "model", "method", "measure", "positioning", "plan", "status", "caption")
LEVELS = ("zone", "district", "city", "province", "country")

_OPTIONAL_TEXT = nullable(TEXT)
SOURCE = obj({"doc": TEXT, "quote": TEXT})
QUOTE = obj({"doc": TEXT, "quote": TEXT, "supports": TEXT})
QUOTES = list_of(QUOTE, "a list of quotes")
"""More quotes a record rests on, each naming the field it supports (note, role, …)."""
_VALUE = {"value": NUMBER, "unit": TEXT, "base_value": NUMBER, "base_unit": TEXT, "approx": FLAG}
EQUIVALENT = obj(_VALUE)
# An amount as the report states it: the number, its unit, and what kind of number it is.
_AMOUNT = {**_VALUE, "bound": BOUND, "nature": NATURE, "kind": ONLY_REPORTED}
_NOTES = {"note": _OPTIONAL_TEXT, "note_zh": _OPTIONAL_TEXT, "source": SOURCE}
FIGURE = obj(
    {
        "key": TEXT,
        "name_zh": TEXT,
        "name_en": TEXT,
        "period": nullable(PERIOD),
        **_AMOUNT,
        "name_zh_by_dz": FLAG,
        **_NOTES,
    }
)
FIGURES = list_of(FIGURE, "a list of figures")
NAMES = list_of(TEXT, "a list of texts")

_NAMED = {"id": TEXT, "name_zh": TEXT, "name_en": TEXT}
_TAIL = {**_NOTES, "quotes": QUOTES}
_FIGURES_TAIL = {"figures": FIGURES, **_TAIL}
_ALIASED = {**_NAMED, "aliases": NAMES}


class RecordKind:
    """One kind of record. A plain class: every command imports the registry at start-up."""

    __slots__ = (
        "command",
        "expected_id",
        "fields",
        "id_form",
        "label_en",
        "label_zh",
        "name",
        "table",
    )

    def __init__(
        self,
        table: str,
        name: str,
        label_en: str,
        label_zh: str,
        fields: Mapping[str, FieldType],
        command: str,
        id_form: str = "",
        expected_id: Callable[[Record], str | None] | None = None,
    ) -> None:
        self.table = table  # the store's table ("stats")
        self.name = name  # one record ("stat"): `dz show`'s type, the schema's file name
        self.label_en = label_en
        self.label_zh = label_zh
        self.fields = fields
        self.command = command  # where its records are listed, for `dz schema`
        self.id_form = id_form  # how messages spell the id rule; "" when ids are free-form
        self.expected_id = expected_id  # the id a record must have, where its fields tell

    def label(self, zh: bool) -> str:
        return self.label_zh if zh else self.label_en


HOME_AREA = "dezhou-etdz"
"""The area dz is about, the Dezhou Economic and Technological Development Zone: its figures
are the default answer of every command, and their ids name no area (`gdp@2021`)."""


def _of(area: object) -> str:
    """How a figure's id names its area: not at all for the zone's, else `@area`."""
    return "" if area in (HOME_AREA, None) else f"@{area}"


def figure_id(metric: str, area: object, period: str) -> str:
    """The id of the zone's first claim of a metric and period, metric@period (another
    area's: metric@area@period)."""
    return f"{metric}{_of(area)}@{period}"


def stat_id(record: Record) -> str | None:
    """The id a stat must have once its metric and period are well formed: `figure_id` for the
    first claim, then …#source for each further claim (so `gdp@2021` keeps meaning the same
    claim as sources and areas are added)."""
    metric, period = record.get("metric"), record.get("period")
    if not isinstance(metric, str) or not is_period(period):
        return None
    plain = figure_id(metric, record.get("area"), str(period))
    record_id = record.get("id")
    if isinstance(record_id, str) and "#" in record_id:
        source = record.get("source")
        doc = source.get("doc") if isinstance(source, dict) else None
        return f"{plain}#{doc}"
    return plain


def target_id(record: Record) -> str | None:
    """The id a target must have ("open" for an aim with no year), if it can be told."""
    metric, period = record.get("metric"), record.get("period")
    if isinstance(metric, str) and (period is None or is_year(period)):
        return f"target:{metric}{_of(record.get('area'))}@{period or 'open'}"
    return None


_AREA = {
    **_ALIASED,
    "level": one_of(*LEVELS),
    "parent": _OPTIONAL_TEXT,
    **_TAIL,
}
_METRIC = {
    **_NAMED,
    "name_zh_by_dz": FLAG,
    "category": TEXT,
    "unit": TEXT,
    "base_unit": TEXT,
    **_TAIL,
}
_STAT = {
    "id": TEXT,
    "metric": TEXT,
    "area": TEXT,
    "period": PERIOD,
    "value": nullable(NUMBER),
    "unit": TEXT,
    "base_value": nullable(NUMBER),
    "base_unit": TEXT,
    "yoy_pct": nullable(NUMBER),
    "basis": nullable(one_of(*BASES)),
    "basis_by": nullable(one_of(*BASIS_BY)),
    "share_pct": nullable(NUMBER),
    "share_of": _OPTIONAL_TEXT,
    "rank": nullable(WHOLE),
    "rank_scope": _OPTIONAL_TEXT,
    "rank_area": _OPTIONAL_TEXT,  # the area rank_scope names (全市: the city)
    "vs_city_avg_pp": nullable(NUMBER),
    "vs_avg_area": _OPTIONAL_TEXT,  # the area whose average vs_city_avg_pp is above
    "equivalent": nullable(EQUIVALENT),
    "approx": FLAG,
    "bound": BOUND,
    "nature": NATURE,
    "kind": ONLY_REPORTED,
    "claim_rank": one_of(*CLAIM_RANKS),
    "rank_reason": _OPTIONAL_TEXT,
    **_TAIL,
}
# Targets are set for whole years (`dz targets` does year arithmetic on them); an open-ended
# aim has none.
_TARGET = {"id": TEXT, "metric": TEXT, "area": TEXT, "period": nullable(YEAR), **_AMOUNT, **_TAIL}
_PARK = {
    **_ALIASED,
    "parent": _OPTIONAL_TEXT,
    "area": _OPTIONAL_TEXT,  # only where the report ties it to an area (全区, 经开区)
    **_FIGURES_TAIL,
}
_PROJECT = {
    **_ALIASED,
    "park": _OPTIONAL_TEXT,
    "status": nullable(one_of(*STATUSES)),
    "status_zh": _OPTIONAL_TEXT,
    "industry": _OPTIONAL_TEXT,
    "industry_zh": _OPTIONAL_TEXT,
    "enterprise": _OPTIONAL_TEXT,
    "area": _OPTIONAL_TEXT,
    **_FIGURES_TAIL,
}
_ENTERPRISE = {
    **_ALIASED,
    "role": _OPTIONAL_TEXT,
    "role_zh": _OPTIONAL_TEXT,
    "park": _OPTIONAL_TEXT,
    "area": _OPTIONAL_TEXT,
    **_FIGURES_TAIL,
}
_EVENT = {
    "id": TEXT,
    "date": nullable(DATE),
    "name_zh": TEXT,
    "name_en": TEXT,
    "name_zh_by_dz": FLAG,
    "refs": NAMES,
    **_FIGURES_TAIL,
}
_SOURCE = {
    **_NAMED,
    "authors": _OPTIONAL_TEXT,  # null: the source names no author
    "year": nullable(YEAR),  # null: when it appeared is not known
    "file": TEXT,
    "publisher": _OPTIONAL_TEXT,
    "date": nullable(DATE),
    "url": _OPTIONAL_TEXT,
    "sha256": _OPTIONAL_TEXT,  # of the text in the sources folder, as registered
    **_TAIL,
}
_PERSON = {
    **_NAMED,
    "role": _OPTIONAL_TEXT,
    "role_zh": _OPTIONAL_TEXT,
    "organisation": _OPTIONAL_TEXT,
    **_TAIL,
}
_STATEMENT = {
    "id": TEXT,
    "subject": _OPTIONAL_TEXT,
    "topic": one_of(*TOPICS),
    "nature": NATURE,
    "period": nullable(PERIOD),
    "text_zh": TEXT,
    "text_en": TEXT,
    "items_zh": NAMES,
    "items_en": NAMES,
    "speaker": _OPTIONAL_TEXT,  # whom the report quotes or reports (null: its own words)
    **_TAIL,
}
_RELATION = {
    "id": TEXT,
    "relation": one_of(*RELATIONS),
    "part": _OPTIONAL_TEXT,
    "whole": TEXT,
    "members": NAMES,
    "members_zh": NAMES,
    "members_en": NAMES,
    **_TAIL,
}
# Every write appends one change (`dzcli.writes.journal`).
_CHANGE = {
    "id": TEXT,  # log:N, N counting from 1
    "time": TEXT,  # UTC, YYYY-MM-DDTHH:MM:SSZ
    "command": TEXT,
    "added": NAMES,
    "changed": NAMES,
    "retracted": NAMES,
    "doc": _OPTIONAL_TEXT,  # the source the change cites
    # Each changed record as it was, as JSON text: the log never needs to read it.
    "previous": list_of(obj({"id": TEXT, "record": TEXT}), "a list of previous records"),
}

KINDS: tuple[RecordKind, ...] = (
    RecordKind("areas", "area", "area", "地区", _AREA, "dz areas"),
    RecordKind("metrics", "metric", "metric", "指标", _METRIC, "dz show METRIC"),
    RecordKind(
        "stats", "stat", "statistic", "统计", _STAT, "dz stats, dz growth", "metric@period", stat_id
    ),
    RecordKind(
        "targets",
        "target",
        "target",
        "目标",
        _TARGET,
        "dz targets",
        "target:metric@period",
        target_id,
    ),
    RecordKind("parks", "park", "park", "园区", _PARK, "dz parks"),
    RecordKind("projects", "project", "project", "项目", _PROJECT, "dz projects"),
    RecordKind("enterprises", "enterprise", "enterprise", "企业", _ENTERPRISE, "dz enterprises"),
    RecordKind("events", "event", "event", "事件", _EVENT, "dz events"),
    RecordKind("sources", "source", "source", "来源", _SOURCE, "dz sources"),
    RecordKind("people", "person", "person", "人物", _PERSON, "dz people"),
    RecordKind("statements", "statement", "statement", "表述", _STATEMENT, "dz statements"),
    RecordKind("relations", "relation", "relation", "关系", _RELATION, "dz relations"),
    RecordKind("log", "change", "change", "变更", _CHANGE, "dz log"),
)

BY_TABLE: dict[str, RecordKind] = {kind.table: kind for kind in KINDS}
BY_NAME: dict[str, RecordKind] = {kind.name: kind for kind in KINDS}
TABLES: tuple[str, ...] = tuple(BY_TABLE)

ANY_RECORD = "*"
"""A reference's target when it may name any record ("hi-tech-park") or one figure of a record
("hi-tech-park#park_count"): an event's refs, a relation's part, whole and members."""

REFERENCES: dict[tuple[str, str], str] = {
    ("areas", "parent"): "areas",
    ("stats", "metric"): "metrics",
    ("stats", "area"): "areas",
    ("stats", "rank_area"): "areas",
    ("stats", "vs_avg_area"): "areas",
    ("targets", "area"): "areas",
    ("parks", "area"): "areas",
    ("projects", "area"): "areas",
    ("enterprises", "area"): "areas",
    ("stats", "share_of"): "metrics",
    ("targets", "metric"): "metrics",
    ("projects", "park"): "parks",
    ("projects", "enterprise"): "enterprises",
    ("enterprises", "park"): "parks",
    ("parks", "parent"): "parks",
    ("statements", "speaker"): "people",
    ("events", "refs"): ANY_RECORD,
    ("relations", "part"): ANY_RECORD,
    ("relations", "whole"): ANY_RECORD,
    ("relations", "members"): ANY_RECORD,
}
"""(table, field) → the table whose ids the field holds. Every `source` and quote's `doc` names
a record of `sources` (the SOURCE and QUOTE field types say so)."""
