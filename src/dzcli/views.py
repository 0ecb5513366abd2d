"""How each kind of row reads in a table: columns, headings and cell text in both languages.

Plain strings only; the table module decides how they are drawn.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

Row = dict[str, Any]


class Lang(StrEnum):
    zh = "zh"
    en = "en"


def default_lang() -> Lang:
    """Chinese when the locale is Chinese (LC_ALL, then LC_MESSAGES, then LANG), else English."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return Lang.zh if value.lower().startswith("zh") else Lang.en
    return Lang.en


Cell = Callable[[Row, Lang], str]


@dataclass(frozen=True)
class Column:
    en: str
    zh: str
    cell: Cell
    numeric: bool = False

    def heading(self, lang: Lang) -> str:
        return self.zh if lang is Lang.zh else self.en


@dataclass(frozen=True)
class View:
    """What a command returns: the record kind, and how its rows read in a table."""

    kind: str
    title_en: str
    title_zh: str
    columns: tuple[Column, ...]
    group: Cell | None = None
    empty_en: str = "No matching records."
    empty_zh: str = "没有符合条件的记录。"

    def title(self, lang: Lang) -> str:
        return self.title_zh if lang is Lang.zh else self.title_en

    def empty(self, lang: Lang) -> str:
        return self.empty_zh if lang is Lang.zh else self.empty_en


@dataclass(frozen=True)
class Listing:
    view: View
    rows: list[Row] = field(default_factory=list)


def name(row: Row, lang: Lang) -> str:
    first, second = ("name_zh", "name_en") if lang is Lang.zh else ("name_en", "name_zh")
    return str(row.get(first) or row.get(second) or row.get("id") or "")


def number(value: object) -> str:
    """A number as the report writes it: no exponent, no trailing zeros."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "—" if value is None else str(value)
    text = f"{value:,.6f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    return text.replace(",", "")


def amount(value: object, unit: object, approx: object = False) -> str:
    if value is None:
        return "—"
    prefix = "≈" if approx else ""
    if unit == "%":
        return f"{prefix}{number(value)}%"
    return f"{prefix}{number(value)} {unit or ''}".rstrip()


def signed_pct(value: object) -> str:
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return "—" if value is None else str(value)
    return f"{'+' if value > 0 else ''}{number(value)}%"


def text(key: str) -> Cell:
    return lambda row, _lang: "" if row.get(key) is None else str(row.get(key))


def _value(row: Row, _lang: Lang) -> str:
    return amount(row.get("value"), row.get("unit"), row.get("approx"))


def _stat_notes(row: Row, lang: Lang) -> str:
    zh = lang is Lang.zh
    notes = []
    if row.get("share_pct") is not None:
        share = number(row["share_pct"])
        notes.append(
            f"占{row.get('share_of')}比重{share}%" if zh else f"{share}% of {row.get('share_of')}"
        )
    if row.get("rank") is not None:
        scope = row.get("rank_scope") or ""
        notes.append(f"列{scope}第{row['rank']}位" if zh else f"rank {row['rank']} in {scope}")
    if row.get("vs_city_avg_pp") is not None:
        pp = number(row["vs_city_avg_pp"])
        notes.append(f"高于全市平均{pp}个百分点" if zh else f"{pp} pp above the city average")
    equivalent = row.get("equivalent")
    if isinstance(equivalent, dict):
        notes.append(
            ("合计" if zh else "= ")
            + amount(equivalent.get("value"), equivalent.get("unit"), equivalent.get("approx"))
        )
    if row.get("kind") == "derived":
        notes.append(f"{'推算' if zh else 'derived'}: {row.get('formula')}")
    elif not notes and row.get("note"):
        notes.append(str(row["note"]))
    return "; ".join(notes)


def _figures(row: Row, lang: Lang) -> str:
    parts = []
    for fig in row.get("figures") or []:
        if isinstance(fig, dict):
            label = fig.get("name_zh") if lang is Lang.zh else fig.get("name_en")
            period = f" ({fig['period']})" if fig.get("period") else ""
            parts.append(
                f"{label}{period}: {amount(fig.get('value'), fig.get('unit'), fig.get('approx'))}"
            )
    return "; ".join(parts)


def _indented_name(row: Row, lang: Lang) -> str:
    return "  " * int(row.get("depth") or 0) + name(row, lang)


def _project_park(row: Row, lang: Lang) -> str:
    park = row.get("park_name_zh") if lang is Lang.zh else row.get("park_name_en")
    if park:
        return str(park)
    return "未说明园区" if lang is Lang.zh else "Park not stated"


def _status(row: Row, lang: Lang) -> str:
    value = row.get("status_zh") if lang is Lang.zh else row.get("status")
    return "" if value is None else str(value).replace("_", " ")


def _industry(row: Row, lang: Lang) -> str:
    value = row.get("industry_zh") if lang is Lang.zh else row.get("industry")
    return "" if value is None else str(value).replace("_", " ")


def _required(row: Row, _lang: Lang) -> str:
    required = row.get("required_growth")
    return signed_pct(required.get("value_pct")) if isinstance(required, dict) else "—"


def _actual(row: Row, _lang: Lang) -> str:
    actual = row.get("actual")
    if not isinstance(actual, dict):
        return "—"
    return f"{amount(actual.get('value'), actual.get('unit'))} ({actual.get('period')})"


def _field_value(row: Row, _lang: Lang) -> str:
    value = row.get("value")
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


INDICATOR = Column("Indicator", "指标", name)
PERIOD = Column("Period", "时期", text("period"))
VALUE = Column("Value", "数值", _value, numeric=True)
YOY = Column("YoY", "同比", lambda row, _l: signed_pct(row.get("yoy_pct")), numeric=True)
NOTE = Column("Note", "备注", text("note"))
ID = Column("ID", "编号", text("id"))

STATS = View(
    "stat",
    "Statistics",
    "统计数据",
    (INDICATOR, PERIOD, VALUE, YOY, Column("Notes", "说明", _stat_notes)),
    empty_en="No statistics match.",
    empty_zh="没有符合条件的统计数据。",
)
GROWTH = View(
    "stat",
    "Year-over-year growth",
    "同比增长",
    (
        INDICATOR,
        PERIOD,
        VALUE,
        YOY,
        Column("Kind", "类型", text("kind")),
        Column("How", "依据", _stat_notes),
    ),
    empty_en="No growth figures match.",
    empty_zh="没有符合条件的增长数据。",
)
TARGETS = View(
    "target",
    "Targets",
    "目标",
    (
        INDICATOR,
        PERIOD,
        VALUE,
        Column("Latest actual", "最近实际值", _actual, numeric=True),
        Column("Required growth (derived)", "所需增速(推算)", _required, numeric=True),
        NOTE,
    ),
)
PARKS = View(
    "park",
    "Parks",
    "园区",
    (Column("Park", "园区", _indented_name), ID, Column("Figures", "数据", _figures), NOTE),
)
PROJECTS = View(
    "project",
    "Projects",
    "项目",
    (
        Column("Project", "项目", name),
        ID,
        Column("Status", "状态", _status),
        Column("Industry", "产业", _industry),
        NOTE,
    ),
    group=_project_park,
    empty_en="No projects match.",
    empty_zh="没有符合条件的项目。",
)
ENTERPRISES = View(
    "enterprise",
    "Enterprises and organisations",
    "企业与机构",
    (
        Column("Name", "名称", name),
        ID,
        Column("Role", "角色", text("role")),
        Column("Figures", "数据", _figures),
    ),
)
EVENTS = View(
    "event",
    "Events",
    "大事记",
    (
        Column("Date", "日期", text("date")),
        Column("Event", "事件", name),
        ID,
        Column("Figures", "数据", _figures),
    ),
)
RECORD = View(
    "record",
    "Record",
    "记录",
    (Column("Field", "字段", text("field")), Column("Value", "值", _field_value)),
)
SEARCH = View(
    "match",
    "Search results",
    "搜索结果",
    (
        Column("Type", "类型", text("type")),
        ID,
        Column("Name", "名称", name),
        Column("Field", "字段", text("field")),
        Column("Text", "内容", text("text")),
    ),
    empty_en="Nothing matches.",
    empty_zh="没有匹配的记录。",
)
