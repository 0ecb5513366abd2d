"""How each kind of row reads in a table: columns, headings and cell text in both languages.

Plain strings only; the table module decides how they are drawn, the Markdown writer how they
are escaped.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Mapping
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


@dataclass(frozen=True)
class Reading:
    """What a cell needs besides its row: the language, and the names of ids rows refer to."""

    lang: Lang
    names: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # id → (中文, English)

    @property
    def zh(self) -> bool:
        return self.lang is Lang.zh

    def pick(self, zh: object, en: object) -> str:
        """The text in this language, else the other one."""
        first, second = (zh, en) if self.zh else (en, zh)
        return str(first or second or "")

    def name_of(self, record_id: object) -> str:
        names = self.names.get(str(record_id))
        return self.pick(*names) if names else str(record_id)


Cell = Callable[[Row, Reading], str]


@dataclass(frozen=True)
class Column:
    en: str
    zh: str
    cell: Cell
    numeric: bool = False  # right-aligned, and kept on one line while the terminal has room
    signed: bool = False  # a signed rate: coloured by its sign on a terminal
    wrap: bool = True  # False: kept on one line while the terminal has room (ids)
    depth: Callable[[Row], int] | None = None  # how far down a tree the row is (sub-parks)

    def heading(self, lang: Lang) -> str:
        return self.zh if lang is Lang.zh else self.en


@dataclass(frozen=True)
class View:
    """What a command returns: the record kind, and how its rows read in a table."""

    kind: str
    title_en: str
    title_zh: str
    columns: tuple[Column, ...]
    group: Cell | None = None  # rows with the same group text form one table under it
    group_en: str = ""  # the group's heading where it becomes a column (Markdown)
    group_zh: str = ""
    transposed: bool = False  # one record per table, a line per field
    empty_en: str = "No matching records."
    empty_zh: str = "没有符合条件的记录。"

    def title(self, lang: Lang) -> str:
        return self.title_zh if lang is Lang.zh else self.title_en

    def group_heading(self, lang: Lang) -> str:
        return self.group_zh if lang is Lang.zh else self.group_en

    def empty(self, lang: Lang) -> str:
        return self.empty_zh if lang is Lang.zh else self.empty_en


@dataclass(frozen=True)
class Listing:
    view: View
    rows: list[Row] = field(default_factory=list)
    names: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # see Reading.names


def name(row: Row, reading: Reading) -> str:
    return reading.pick(row.get("name_zh"), row.get("name_en")) or str(row.get("id") or "")


def number(value: object) -> str:
    """A number as stored, every digit of it: no exponent, no separators, no trailing zeros."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "—" if value is None else str(value)
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return repr(value)
    from decimal import Decimal  # only a table that shows a fraction pays for importing it

    # repr is the shortest text that reads back as the same float; Decimal spells it out
    # without the exponent repr uses for very small and very large numbers (1.5e-08).
    text = format(Decimal(repr(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def amount(value: object, unit: object, approx: object = False, bound: object = None) -> str:
    """A number with its unit as a person reads it: ≈ for 约, ≥ for a threshold crossed, and a
    tier (300亿级) as the level it is, "300 亿元 class"."""
    if value is None:
        return "—"
    prefix = {"lower": "≥"}.get(str(bound), "≈" if approx else "")
    text = f"{prefix}{number(value)}%" if unit == "%" else f"{prefix}{number(value)} {unit or ''}"
    return f"{text.rstrip()} class" if bound == "tier" else text.rstrip()


def signed_pct(value: object) -> str:
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return "—" if value is None else str(value)
    return f"{'+' if value > 0 else ''}{number(value)}%"


def display(value: object) -> str:
    """Any JSON value as one line of a table: numbers as reported, null as —, lists as JSON."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def text(key: str) -> Cell:
    return lambda row, _reading: "" if row.get(key) is None else str(row.get(key))


def _value(row: Row, _reading: Reading) -> str:
    return amount(row.get("value"), row.get("unit"), row.get("approx"), row.get("bound"))


def note(row: Row, reading: Reading) -> str:
    """The note in the reader's language (note_zh under --lang zh), else the other one."""
    return reading.pick(row.get("note_zh"), row.get("note"))


def _role(row: Row, reading: Reading) -> str:
    return reading.pick(row.get("role_zh"), row.get("role"))


_BASIS = {
    "real": ("comparable prices (real)", "可比价"),
    "nominal": ("current prices (nominal)", "现价"),
}


def _basis(row: Row, reading: Reading) -> str:
    words = _BASIS.get(str(row.get("basis")))
    if words is None:
        return "—" if row.get("yoy_pct") is None else ("未说明" if reading.zh else "unknown")
    by = (
        ""
        if row.get("basis_by") != "convention"
        else ("(惯例)" if reading.zh else ", by convention")
    )
    return (words[1] if reading.zh else words[0]) + by


# The report's words for where a rank holds; anything else is shown as written.
_SCOPES_EN = {"全市": "the city", "全省": "the province", "全国": "the country"}


def _in_a_sentence(name: str) -> str:
    """An English name as it reads after "of": "Value added" → "value added", "GDP" stays."""
    return name[0].lower() + name[1:] if name[:2].istitle() else name


def _stat_notes(row: Row, reading: Reading) -> str:
    zh = reading.zh
    notes = []
    if row.get("share_pct") is not None:
        share = number(row["share_pct"])
        of = reading.name_of(row.get("share_of"))
        notes.append(f"占{of}比重{share}%" if zh else f"{share}% of {_in_a_sentence(of)}")
    if row.get("rank") is not None:
        scope = str(row.get("rank_scope") or "")
        if zh:
            notes.append(f"列{scope}第{row['rank']}位")
        else:
            notes.append(f"rank {row['rank']} in {_SCOPES_EN.get(scope, scope)}".rstrip())
    if row.get("vs_city_avg_pp") is not None:
        pp = number(row["vs_city_avg_pp"])
        notes.append(f"高于全市平均{pp}个百分点" if zh else f"{pp} pp above the city average")
    equivalent = row.get("equivalent")
    if isinstance(equivalent, dict):
        notes.append(
            ("合计" if zh else "reported as ")
            + amount(equivalent.get("value"), equivalent.get("unit"), equivalent.get("approx"))
        )
    if row.get("kind") == "derived":
        notes.append(f"{'推算' if zh else 'derived'}: {row.get('formula')}")
    elif row.get("basis") == "real" and row.get("yoy_pct") is not None:
        notes.append(
            "可比价增速,不据此推算上年数值"
            if zh
            else "real growth: no previous value derived from it"
        )
    if row.get("disputed_by"):
        disputed = ", ".join(str(i) for i in row["disputed_by"])
        notes.append(f"与{disputed}矛盾" if zh else f"CONFLICT with {disputed}")
    if row.get("corroborated_by"):
        agreeing = ", ".join(str(i) for i in row["corroborated_by"])
        notes.append(f"{agreeing}佐证" if zh else f"also reported by {agreeing}")
    if row.get("claim_rank") == "deprecated":
        reason = row.get("rank_reason") or ""
        notes.append(f"已弃用: {reason}" if zh else f"deprecated: {reason}")
    if not notes and (row.get("note") or row.get("note_zh")):
        notes.append(note(row, reading))
    return "; ".join(notes)


def _kind(row: Row, reading: Reading) -> str:
    kind = row.get("kind")
    words = {"reported": "报告", "derived": "推算"}
    return words.get(str(kind), str(kind or "")) if reading.zh else str(kind or "")


def _figures(row: Row, reading: Reading) -> str:
    parts = []
    for fig in row.get("figures") or []:
        if isinstance(fig, dict):
            label = reading.pick(fig.get("name_zh"), fig.get("name_en"))
            period = f" ({fig['period']})" if fig.get("period") else ""
            shown = amount(fig.get("value"), fig.get("unit"), fig.get("approx"), fig.get("bound"))
            parts.append(f"{label}{period}: {shown}")
    return "; ".join(parts)


def _depth(row: Row) -> int:
    depth = row.get("depth")
    return depth if isinstance(depth, int) and not isinstance(depth, bool) and depth > 0 else 0


def _project_park(row: Row, reading: Reading) -> str:
    park = reading.pick(row.get("park_name_zh"), row.get("park_name_en"))
    if park:
        return park
    return "未说明园区" if reading.zh else "Park not stated"


def _words(key: str) -> Cell:
    """A code (signed, under_construction) in English, or the report's word for it in Chinese."""

    def cell(row: Row, reading: Reading) -> str:
        value = row.get(f"{key}_zh") if reading.zh else row.get(key)
        return "" if value is None else str(value).replace("_", " ")

    return cell


def _required(row: Row, _reading: Reading) -> str:
    required = row.get("required_growth")
    return signed_pct(required.get("value_pct")) if isinstance(required, dict) else "—"


def _actual(row: Row, _reading: Reading) -> str:
    actual = row.get("actual")
    if not isinstance(actual, dict):
        return "—"
    return f"{amount(actual.get('value'), actual.get('unit'))} ({actual.get('period')})"


def _field_value(row: Row, _reading: Reading) -> str:
    return display(row.get("value"))


def _record_type(row: Row, reading: Reading) -> str:
    from dzcli.model.kinds import BY_NAME  # only `dz search` and `dz show` tables need it

    name = str(row.get("type") or "")
    kind = BY_NAME.get(name)
    return kind.label_zh if kind is not None and reading.zh else name


INDICATOR = Column("Indicator", "指标", name)
PERIOD = Column("Period", "时期", text("period"), wrap=False)
VALUE = Column("Value", "数值", _value, numeric=True)
YOY = Column(
    "YoY", "同比", lambda row, _r: signed_pct(row.get("yoy_pct")), numeric=True, signed=True
)
NOTE = Column("Note", "备注", note)
ID = Column("ID", "编号", text("id"), wrap=False)

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
        Column("Basis", "价格口径", _basis),
        Column("Kind", "类型", _kind),
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
        Column("Required growth (derived)", "所需增速(推算)", _required, numeric=True, signed=True),
        NOTE,
    ),
)
PARKS = View(
    "park",
    "Parks",
    "园区",
    (Column("Park", "园区", name, depth=_depth), ID, Column("Figures", "数据", _figures), NOTE),
)
PROJECTS = View(
    "project",
    "Projects",
    "项目",
    (
        Column("Project", "项目", name),
        ID,
        Column("Status", "状态", _words("status")),
        Column("Industry", "产业", _words("industry")),
        NOTE,
    ),
    group=_project_park,
    group_en="Park",
    group_zh="园区",
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
        Column("Role", "角色", _role),
        Column("Figures", "数据", _figures),
    ),
)
EVENTS = View(
    "event",
    "Events",
    "大事记",
    (
        Column("Date", "日期", text("date"), wrap=False),
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
    transposed=True,
)
SEARCH = View(
    "match",
    "Search results",
    "搜索结果",
    (
        Column("Type", "类型", _record_type),
        ID,
        Column("Name", "名称", name),
        Column("Field", "字段", text("field")),
        Column("Text", "内容", text("text")),
    ),
    empty_en="Nothing matches.",
    empty_zh="没有匹配的记录。",
)


def fields_view(view: View, columns: list[str], rows: list[Row]) -> View:
    """A table of the fields a user picked (--fields): raw names as headings, values as is."""

    def numeric(path: str) -> bool:
        values = [row.get(path) for row in rows if row.get(path) is not None]
        return bool(values) and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in values
        )

    def cell(path: str) -> Cell:
        return lambda row, _reading: display(row.get(path))

    return View(
        view.kind,
        view.title_en,
        view.title_zh,
        tuple(Column(path, path, cell(path), numeric=numeric(path)) for path in columns),
        empty_en=view.empty_en,
        empty_zh=view.empty_zh,
    )


def transpose(rows: list[Row], columns: list[str] | None = None) -> list[Row]:
    """Each record as field/value rows: its top-level fields, or the given (flattened) ones."""
    out: list[Row] = []
    for row in rows:
        keys = list(row) if columns is None else columns
        out.extend({"field": key, "value": row.get(key)} for key in keys)
    return out
