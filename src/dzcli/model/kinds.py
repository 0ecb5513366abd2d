"""The registry of record kinds: the one place that says what a dz store holds.

Each kind names its table, its singular name (the `type` of `dz show`, the schema file's name),
its labels in both languages, its fields and their types, the rule its ids follow, and the
command that lists it. The store, the validator, the queries, the JSON contract, the tables for
people and `dz check` all read this list: adding a kind is one entry here plus its data (and its
JSON Schema, which a test holds to these fields).
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

# A stored value is always one the report states; dz marks what it computes as "derived" when
# it prints it, and never stores it.
REPORTED = "reported"
# 签约 signed; 落地开工 construction started (an event, not a state); 施工 under construction;
# 原有 existing; 实施 in progress (a programme).
STATUSES = ("signed", "construction_started", "under_construction", "existing", "in_progress")
ONLY_REPORTED = one_of(
    REPORTED, expected="'reported' (a store holds only reported values; dz derives the rest)"
)

# What a figure is (after SDMX's observation status): a value that happened, one that is
# expected or projected (预计…, 全面达产后将实现…), an aim or plan (力争…, 拟…, 将…), or a target
# the zone commits to (确保…完成).
NATURES = ("actual", "expected", "plan", "target")
NATURE = one_of(*NATURES)
# What the number bounds: null, the value itself (≈ with `approx`, for 约); "lower", a
# threshold crossed (突破50亿元: more than 50); "tier", a class of size (300亿级, 千亿元级), not
# "about" that number.
BOUNDS = ("lower", "tier")
BOUND = nullable(one_of(*BOUNDS))
# The basis of a growth rate: at comparable prices (real; Chinese GDP and value added, by the
# statistics bureau's convention) or at current prices (nominal; revenue, trade, capital).
BASES = ("real", "nominal")
BASIS_BY = ("report", "convention")  # whether the report says so, or a convention does
# Which of several claims for one metric and period is the answer (after Wikidata's ranks).
CLAIM_RANKS = ("preferred", "normal", "deprecated")
RELATIONS = ("part_of", "named_members")
TOPICS = ("aim", "model", "method", "measure", "positioning", "plan", "status", "caption")

SOURCE = obj({"doc": TEXT, "quote": TEXT})
QUOTE = obj({"doc": TEXT, "quote": TEXT, "supports": TEXT})
QUOTES = list_of(QUOTE, "a list of quotes")
"""More quotes a record rests on, each naming the field it supports (note, role, …)."""
EQUIVALENT = obj(
    {"value": NUMBER, "unit": TEXT, "base_value": NUMBER, "base_unit": TEXT, "approx": FLAG}
)
# An amount as the report states it: the number, its unit, and what kind of number it is.
_AMOUNT = {
    "value": NUMBER,
    "unit": TEXT,
    "base_value": NUMBER,
    "base_unit": TEXT,
    "approx": FLAG,
    "bound": BOUND,
    "nature": NATURE,
    "kind": ONLY_REPORTED,
}
FIGURE = obj(
    {
        "key": TEXT,
        "name_zh": TEXT,
        "name_en": TEXT,
        "period": nullable(PERIOD),
        **_AMOUNT,
        "name_zh_by_dz": FLAG,
        "note": nullable(TEXT),
        "note_zh": nullable(TEXT),
        "source": SOURCE,
    }
)
FIGURES = list_of(FIGURE, "a list of figures")
NAMES = list_of(TEXT, "a list of texts")

_NAMED = {"name_zh": TEXT, "name_en": TEXT}
_TAIL = {"note": nullable(TEXT), "note_zh": nullable(TEXT), "source": SOURCE, "quotes": QUOTES}


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
LEVELS = ("zone", "district", "city", "province", "country")


def _of(area: object) -> str:
    """How a figure's id names its area: not at all for the zone's, else `@area`."""
    return "" if area in (HOME_AREA, None) else f"@{area}"


def figure_id(metric: str, area: object, period: str) -> str:
    """The id of the zone's first claim of a metric and well-formed period, metric@period
    (metric@area@period for another area's)."""
    return f"{metric}{_of(area)}@{period}"


def stat_id(record: Record) -> str | None:
    """The id a stat must have, once its metric and period are well formed: metric@period for
    the zone's first claim of a metric and period (metric@area@period for another area's),
    then …#source for each further claim (the source that makes it), so `gdp@2021` keeps
    meaning the same claim as sources and areas are added."""
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


KINDS: tuple[RecordKind, ...] = (
    RecordKind(
        "areas",
        "area",
        "area",
        "地区",
        {
            "id": TEXT,
            **_NAMED,
            "aliases": NAMES,
            "level": one_of(*LEVELS),
            "parent": nullable(TEXT),
            **_TAIL,
        },
        "dz areas",
    ),
    RecordKind(
        "metrics",
        "metric",
        "metric",
        "指标",
        {
            "id": TEXT,
            **_NAMED,
            "name_zh_by_dz": FLAG,
            "category": TEXT,
            "unit": TEXT,
            "base_unit": TEXT,
            **_TAIL,
        },
        "dz show METRIC",
    ),
    RecordKind(
        "stats",
        "stat",
        "statistic",
        "统计",
        {
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
            "share_of": nullable(TEXT),
            "rank": nullable(WHOLE),
            "rank_scope": nullable(TEXT),
            "rank_area": nullable(TEXT),  # the area rank_scope names (全市: the city)
            "vs_city_avg_pp": nullable(NUMBER),
            "vs_avg_area": nullable(TEXT),  # the area whose average vs_city_avg_pp is above
            "equivalent": nullable(EQUIVALENT),
            "approx": FLAG,
            "bound": BOUND,
            "nature": NATURE,
            "kind": ONLY_REPORTED,
            "claim_rank": one_of(*CLAIM_RANKS),
            "rank_reason": nullable(TEXT),
            **_TAIL,
        },
        "dz stats, dz growth",
        "metric@period",
        stat_id,
    ),
    RecordKind(
        "targets",
        "target",
        "target",
        "目标",
        {
            "id": TEXT,
            "metric": TEXT,
            "area": TEXT,
            # Targets are set for whole years (`dz targets` does year arithmetic on them);
            # an open-ended aim has none.
            "period": nullable(YEAR),
            **_AMOUNT,
            **_TAIL,
        },
        "dz targets",
        "target:metric@period",
        target_id,
    ),
    RecordKind(
        "parks",
        "park",
        "park",
        "园区",
        {
            "id": TEXT,
            **_NAMED,
            "aliases": NAMES,
            "parent": nullable(TEXT),
            "area": nullable(TEXT),  # only where the report ties it to an area (全区, 经开区)
            "figures": FIGURES,
            **_TAIL,
        },
        "dz parks",
    ),
    RecordKind(
        "projects",
        "project",
        "project",
        "项目",
        {
            "id": TEXT,
            **_NAMED,
            "aliases": NAMES,
            "park": nullable(TEXT),
            "status": nullable(one_of(*STATUSES)),
            "status_zh": nullable(TEXT),
            "industry": nullable(TEXT),
            "industry_zh": nullable(TEXT),
            "enterprise": nullable(TEXT),
            "area": nullable(TEXT),
            "figures": FIGURES,
            **_TAIL,
        },
        "dz projects",
    ),
    RecordKind(
        "enterprises",
        "enterprise",
        "enterprise",
        "企业",
        {
            "id": TEXT,
            **_NAMED,
            "aliases": NAMES,
            "role": nullable(TEXT),
            "role_zh": nullable(TEXT),
            "park": nullable(TEXT),
            "area": nullable(TEXT),
            "figures": FIGURES,
            **_TAIL,
        },
        "dz enterprises",
    ),
    RecordKind(
        "events",
        "event",
        "event",
        "事件",
        {
            "id": TEXT,
            "date": nullable(DATE),
            **_NAMED,
            "name_zh_by_dz": FLAG,
            "refs": NAMES,
            "figures": FIGURES,
            **_TAIL,
        },
        "dz events",
    ),
    RecordKind(
        "sources",
        "source",
        "source",
        "来源",
        {
            "id": TEXT,
            **_NAMED,
            "authors": nullable(TEXT),  # null: the source names no author
            "year": nullable(YEAR),  # null: when it appeared is not known
            "file": TEXT,
            "publisher": nullable(TEXT),
            "date": nullable(DATE),
            "url": nullable(TEXT),
            "sha256": nullable(TEXT),  # of the text in the sources folder, as registered
            **_TAIL,
        },
        "dz sources",
    ),
    RecordKind(
        "people",
        "person",
        "person",
        "人物",
        {
            "id": TEXT,
            **_NAMED,
            "role": nullable(TEXT),
            "role_zh": nullable(TEXT),
            "organisation": nullable(TEXT),
            **_TAIL,
        },
        "dz people",
    ),
    RecordKind(
        "statements",
        "statement",
        "statement",
        "表述",
        {
            "id": TEXT,
            "subject": nullable(TEXT),
            "topic": one_of(*TOPICS),
            "nature": NATURE,
            "period": nullable(PERIOD),
            "text_zh": TEXT,
            "text_en": TEXT,
            "items_zh": NAMES,
            "items_en": NAMES,
            # Who says it, where the report quotes or reports a person (null: its own words).
            "speaker": nullable(TEXT),
            **_TAIL,
        },
        "dz statements",
    ),
    RecordKind(
        "relations",
        "relation",
        "relation",
        "关系",
        {
            "id": TEXT,
            "relation": one_of(*RELATIONS),
            "part": nullable(TEXT),
            "whole": TEXT,
            "members": NAMES,
            "members_zh": NAMES,
            "members_en": NAMES,
            **_TAIL,
        },
        "dz relations",
    ),
    # Every write appends one entry (`dzcli.writes.journal`).
    RecordKind(
        "log",
        "change",
        "change",
        "变更",
        {
            "id": TEXT,  # log:N, N counting from 1
            "time": TEXT,  # UTC, YYYY-MM-DDTHH:MM:SSZ
            "command": TEXT,
            "added": NAMES,
            "changed": NAMES,
            "retracted": NAMES,
            "doc": nullable(TEXT),  # the source the change cites
            # Each changed record as it was, as JSON text: the log never needs to read it.
            "previous": list_of(obj({"id": TEXT, "record": TEXT}), "a list of previous records"),
        },
        "dz log",
    ),
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
