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
STATUSES = ("signed", "under_construction", "existing", "in_progress")
ONLY_REPORTED = one_of(
    REPORTED, expected="'reported' (a store holds only reported values; dz derives the rest)"
)

SOURCE = obj({"doc": TEXT, "quote": TEXT})
EQUIVALENT = obj(
    {"value": NUMBER, "unit": TEXT, "base_value": NUMBER, "base_unit": TEXT, "approx": FLAG}
)
FIGURE = obj(
    {
        "key": TEXT,
        "name_zh": TEXT,
        "name_en": TEXT,
        "period": nullable(PERIOD),
        "value": NUMBER,
        "unit": TEXT,
        "base_value": NUMBER,
        "base_unit": TEXT,
        "approx": FLAG,
        "kind": ONLY_REPORTED,
        "note": nullable(TEXT),
        "source": SOURCE,
    }
)
FIGURES = list_of(FIGURE, "a list of figures")
NAMES = list_of(TEXT, "a list of texts")

_NAMED = {"name_zh": TEXT, "name_en": TEXT}
_TAIL = {"note": nullable(TEXT), "source": SOURCE}


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


def stat_id(record: Record) -> str | None:
    """The id a stat must have (metric@period), once its metric and period are well formed."""
    metric, period = record.get("metric"), record.get("period")
    if isinstance(metric, str) and is_period(period):
        return f"{metric}@{period}"
    return None


def target_id(record: Record) -> str | None:
    """The id a target must have ("open" for an aim with no year), if it can be told."""
    metric, period = record.get("metric"), record.get("period")
    if isinstance(metric, str) and (period is None or is_year(period)):
        return f"target:{metric}@{period or 'open'}"
    return None


KINDS: tuple[RecordKind, ...] = (
    RecordKind(
        "metrics",
        "metric",
        "metric",
        "指标",
        {"id": TEXT, **_NAMED, "category": TEXT, "unit": TEXT, "base_unit": TEXT, **_TAIL},
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
            "period": PERIOD,
            "value": nullable(NUMBER),
            "unit": TEXT,
            "base_value": nullable(NUMBER),
            "base_unit": TEXT,
            "yoy_pct": nullable(NUMBER),
            "share_pct": nullable(NUMBER),
            "share_of": nullable(TEXT),
            "rank": nullable(WHOLE),
            "rank_scope": nullable(TEXT),
            "vs_city_avg_pp": nullable(NUMBER),
            "equivalent": nullable(EQUIVALENT),
            "approx": FLAG,
            "kind": ONLY_REPORTED,
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
            # Targets are set for whole years (`dz targets` does year arithmetic on them);
            # an open-ended aim has none.
            "period": nullable(YEAR),
            "value": NUMBER,
            "unit": TEXT,
            "base_value": NUMBER,
            "base_unit": TEXT,
            "approx": FLAG,
            "kind": ONLY_REPORTED,
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
            "park": nullable(TEXT),
            "status": nullable(one_of(*STATUSES)),
            "status_zh": nullable(TEXT),
            "industry": nullable(TEXT),
            "industry_zh": nullable(TEXT),
            "enterprise": nullable(TEXT),
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
            "park": nullable(TEXT),
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
        {"id": TEXT, **_NAMED, "authors": TEXT, "year": YEAR, "file": TEXT, **_TAIL},
        "dz show SOURCE",
    ),
)

BY_TABLE: dict[str, RecordKind] = {kind.table: kind for kind in KINDS}
BY_NAME: dict[str, RecordKind] = {kind.name: kind for kind in KINDS}
TABLES: tuple[str, ...] = tuple(BY_TABLE)
