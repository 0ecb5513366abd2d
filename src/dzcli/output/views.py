"""How each kind of row reads in a table: columns, headings and cell text in both languages.

Plain strings only; the table module decides how they are drawn, the Markdown writer how they
are escaped.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple

from dzcli.model.growth import FORMULAS_ZH

Row = dict[str, Any]


class Lang(StrEnum):
    zh = "zh"
    en = "en"


def lang_of(tag: str) -> Lang | None:
    """The language a language tag or a locale names, by its first part: zh for zh, zh-CN,
    zh_CN.UTF-8, zh-Hans, zh-TW; en for en, en-US, en_GB.UTF-8; None for any other (fr, C)."""
    first = tag.strip().replace("_", "-").partition("-")[0].partition(".")[0].partition("@")[0]
    return {"zh": Lang.zh, "en": Lang.en}.get(first.lower())


def default_lang() -> Lang:
    """Chinese when the locale is Chinese (LC_ALL, then LC_MESSAGES, then LANG), else English."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return Lang.zh if lang_of(value) is Lang.zh else Lang.en
    return Lang.en


# Immutable records rather than frozen dataclasses: a dataclass writes and compiles its
# methods as it is defined, which every command would pay for at start-up.
_NO_NAMES: Mapping[str, tuple[str, str]] = MappingProxyType({})
_NO_UNITS: Mapping[str, str] = MappingProxyType({})


class Reading(NamedTuple):
    """What a cell needs besides its row: the language, and the names of ids rows refer to."""

    lang: Lang
    names: Mapping[str, tuple[str, str]] = _NO_NAMES  # id → (中文, English)
    units: Mapping[str, str] = _NO_UNITS  # id → the unit it is counted in (家, 个), if a count

    @property
    def zh(self) -> bool:
        return self.lang is Lang.zh

    def pick(self, zh: object, en: object) -> str:
        """The text in this language, else the other one."""
        first, second = (zh, en) if self.zh else (en, zh)
        return str(first or second or "")

    def name_of(self, record_id: object) -> str:
        """A record's name by its id; a stat's (metric@period) by its metric's and period."""
        names = self.names.get(str(record_id))
        if names:
            return self.pick(*names)
        metric, at, period = str(record_id).partition("@")
        if at and metric in self.names:
            return f"{self.pick(*self.names[metric])} ({period.partition('#')[0]})"
        return str(record_id)

    def count_unit(self, record_id: object) -> str | None:
        """The unit a record, or a stat's metric, is counted in (家, 个); None if not a count."""
        unit = self.units.get(str(record_id))
        metric, at, _period = str(record_id).partition("@")
        return self.units.get(metric) if unit is None and at else unit


Cell = Callable[[Row, Reading], str]


class Column(NamedTuple):
    en: str
    zh: str
    cell: Cell
    numeric: bool = False  # right-aligned, and kept on one line while the terminal has room
    signed: bool = False  # a signed rate: coloured by its sign on a terminal
    wrap: bool = True  # False: kept on one line while the terminal has room (ids)
    depth: Callable[[Row], int] | None = None  # how far down a tree the row is (sub-parks)
    long: bool = False  # long text (notes, roles, figures): gives way first, under its row
    listed: bool = False  # items joined by "; " (figures): under its row, one item a line
    only_if: Callable[[list[Row]], bool] | None = None  # shown only for rows it holds for

    def heading(self, lang: Lang) -> str:
        return self.zh if lang is Lang.zh else self.en


def shown_columns(view: View, rows: list[Row]) -> View:
    """`view` without the columns its rows have no use for (an area column of one area's)."""
    kept = tuple(c for c in view.columns if c.only_if is None or c.only_if(rows))
    return view if len(kept) == len(view.columns) else view._replace(columns=kept)


def _in(lang: Lang, words: tuple[str, str]) -> str:
    """The (English, 中文) words in `lang`."""
    return words[1 if lang is Lang.zh else 0]


class View(NamedTuple):
    """What a command returns: the record kind, and how its rows read in a table."""

    kind: str
    title_en: str
    title_zh: str
    columns: tuple[Column, ...]
    group: Cell | None = None  # rows with the same group text form one table under it
    group_words: tuple[str, str] = ("", "")  # the group's heading as a column (Markdown)
    transposed: bool = False  # one record per table, a line per field
    counts: bool = False  # its rows count members of wholes: the table needs their units
    empty_words: tuple[str, str] = ("No matching records.", "没有符合条件的记录。")

    def title(self, lang: Lang) -> str:
        return _in(lang, (self.title_en, self.title_zh))

    def group_heading(self, lang: Lang) -> str:
        return _in(lang, self.group_words)

    def empty(self, lang: Lang) -> str:
        return _in(lang, self.empty_words)


class Listing(NamedTuple):
    view: View
    rows: list[Row]
    names: Mapping[str, tuple[str, str]] = _NO_NAMES  # see Reading.names
    footnote: tuple[str, str] | None = None  # (English, 中文): a line under the table for people
    units: Mapping[str, str] = _NO_UNITS  # see Reading.units

    def note_for(self, lang: Lang) -> str | None:
        return None if self.footnote is None else _in(lang, self.footnote)


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


def amount(
    value: object, unit: object, approx: object = False, bound: object = None, zh: bool = False
) -> str:
    """A number with its unit as a person reads it: ≈ for 约, > for a threshold crossed (突破50亿元
    is more than 50), and a tier (300亿级) as the level it is, "300 亿元 class" (in Chinese,
    300 亿元级)."""
    if value is None:
        return "—"
    prefix = {"lower": ">"}.get(str(bound), "≈" if approx else "")
    text = f"{prefix}{number(value)}%" if unit == "%" else f"{prefix}{number(value)} {unit or ''}"
    if bound == "tier":
        return f"{text.rstrip()}级" if zh else f"{text.rstrip()} class"
    return text.rstrip()


def _amount_of(figure: Row, zh: bool = False) -> str:
    """`amount` of an object with a value, a unit, and maybe approx and bound (a figure)."""
    return amount(
        figure.get("value"), figure.get("unit"), figure.get("approx"), figure.get("bound"), zh
    )


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


def _pick(zh_key: str, en_key: str) -> Cell:
    """The field of the reader's language, else the other one."""
    return lambda row, reading: reading.pick(row.get(zh_key), row.get(en_key))


def _code(field: str) -> Cell:
    return lambda row, reading: code(field, row.get(field), reading)


def _named(key: str) -> Cell:
    """The name of the record that the row's `key` refers to; empty if it refers to none."""
    return lambda row, reading: reading.name_of(row.get(key)) if row.get(key) else ""


note = _pick("note_zh", "note")
_role = _pick("role_zh", "role")
_park = _pick("park_name_zh", "park_name_en")


def _basis(row: Row, reading: Reading) -> str:
    # The basis of a rate in a word: the table's note says whether the report or a convention
    # gives it, and docs/commands.md what each means.
    basis = row.get("basis")
    if basis not in CODES_ZH["basis"]:
        return "—" if row.get("yoy_pct") is None else reading.pick("未说明", "unknown")
    return code("basis", basis, reading)


# The report's words for where a rank holds; anything else is shown as written.
_SCOPES_EN = {"全市": "the city", "全省": "the province", "全国": "the country"}
# A claim's rank among the claims for its metric and period, where it is not the normal one.
_CLAIM_RANKS = {"preferred": ("采信", "preferred"), "deprecated": ("已弃用", "deprecated")}


def _in_a_sentence(name: str) -> str:
    """An English name as it reads after "of": "Value added" → "value added", "GDP" stays."""
    return name[0].lower() + name[1:] if name[:2].istitle() else name


def _stat_notes(row: Row, reading: Reading) -> str:
    """What a stat's row says besides its value: its share, rank and comparison, how it was
    got, where its claim stands (rank, agreement, whose rate it shows), and its note."""
    notes = []
    if row.get("share_pct") is not None:
        share, of = number(row["share_pct"]), reading.name_of(row.get("share_of"))
        notes.append(reading.pick(f"占{of}比重{share}%", f"{share}% of {_in_a_sentence(of)}"))
    if row.get("rank") is not None:
        scope = str(row.get("rank_scope") or "")
        in_english = f"rank {row['rank']} in {_SCOPES_EN.get(scope, scope)}".rstrip()
        notes.append(reading.pick(f"列{scope}第{row['rank']}位", in_english))
    if row.get("vs_city_avg_pp") is not None:
        pp = number(row["vs_city_avg_pp"])
        notes.append(reading.pick(f"高于全市平均{pp}个百分点", f"{pp} pp above the city average"))
    equivalent = row.get("equivalent")
    if isinstance(equivalent, dict):
        notes.append(
            reading.pick("合计", "reported as ")
            + amount(equivalent.get("value"), equivalent.get("unit"), equivalent.get("approx"))
        )
    if row.get("kind") == "derived":
        formula = str(row.get("formula"))
        notes.append(
            reading.pick(f"推算: {FORMULAS_ZH.get(formula, formula)}", f"derived: {formula}")
        )
    because = f": {row['rank_reason']}" if row.get("rank_reason") else ""
    rank = _CLAIM_RANKS.get(str(row.get("claim_rank")))
    if rank is not None:
        notes.append(reading.pick(*rank) + because)
    elif row.get("answered_by") not in (None, row.get("id")):
        answer = row["answered_by"]
        notes.append(reading.pick(f"未采信, 以{answer}为准", f"normal; the answer is {answer}"))
    if row.get("disputed_by"):
        disputed = ", ".join(str(i) for i in row["disputed_by"])
        notes.append(reading.pick(f"与{disputed}矛盾", f"CONFLICT with {disputed}"))
    if row.get("corroborated_by"):
        agreeing = ", ".join(str(i) for i in row["corroborated_by"])
        notes.append(reading.pick(f"{agreeing}佐证", f"also reported by {agreeing}"))
    if row.get("yoy_from"):
        source = row["yoy_from"]
        notes.append(reading.pick(f"增速为{source}所报", f"rate as reported by {source}"))
    if row.get("note") or row.get("note_zh"):
        notes.append(note(row, reading))
    return "; ".join(notes)


def _figures(row: Row, reading: Reading) -> str:
    parts = []
    for fig in row.get("figures") or []:
        if isinstance(fig, dict):
            label = reading.pick(fig.get("name_zh"), fig.get("name_en"))
            period = f" ({fig['period']})" if fig.get("period") else ""
            parts.append(f"{label}{period}: {_amount_of(fig, reading.zh)}")
    return "; ".join(parts)


def _depth(row: Row) -> int:
    depth = row.get("depth")
    return depth if isinstance(depth, int) and not isinstance(depth, bool) and depth > 0 else 0


def _words(key: str) -> Cell:
    """A code (signed, under_construction) in English, or the report's word for it in Chinese."""

    def cell(row: Row, reading: Reading) -> str:
        value = row.get(f"{key}_zh") if reading.zh else row.get(key)
        return "" if value is None else str(value).replace("_", " ")

    return cell


# Why a row has no figure to show (its `why_not`), as (中文, English): a target's actual or
# the growth it requires, and an area's share of its parent's value.
_WHY_NO_ACTUAL = {
    "no_actual": ("无此前实际值", "no earlier actual"),
    "no_year": ("未定年份", "no target year"),
    "other_unit": ("单位不同", "other unit"),
    "not_computable": ("无法推算", "not computable"),
}
_WHY_NO_SHARE = {
    "no_figure": ("本地区无此数据", "no figure of this area"),
    "no_parent": ("无上级地区", "no area above it"),
    "parent_missing": ("{parent}无此数据", "no figure of {parent}"),
    "other_unit": ("{parent}单位不同", "{parent} in another unit"),
    "no_value": ("数值未知", "a value is not known"),
    "not_computable": ("无法推算", "not computable"),
}


def _why_not(reasons: Mapping[str, tuple[str, str]], row: Row, reading: Reading) -> str:
    words = reasons.get(str(row.get("why_not")))
    if words is None:
        return "—"
    parent = reading.name_of(row.get("parent")) if row.get("parent") else ""
    return f"— ({reading.pick(*words).format(parent=parent)})"


def _required(row: Row, reading: Reading) -> str:
    required = row.get("required_growth")
    if isinstance(required, dict):
        return signed_pct(required.get("value_pct"))
    return "—" if row.get("why_not") == "no_actual" else _why_not(_WHY_NO_ACTUAL, row, reading)


def _actual(row: Row, reading: Reading) -> str:
    actual = row.get("actual")
    if not isinstance(actual, dict):
        return _why_not(_WHY_NO_ACTUAL, row, reading)
    return f"{amount(actual.get('value'), actual.get('unit'))} ({actual.get('period')})"


def _field_value(row: Row, reading: Reading) -> str:
    value = row.get("value")
    if reading.zh and isinstance(value, bool):
        return "是" if value else "否"
    if row.get("field") == "type" and row.get("depth") == 0:
        return _record_type({"type": value}, reading)
    if isinstance(value, str) and str(row.get("field")) in CODES_ZH:
        return code(str(row.get("field")), value, reading)
    return display(value)


def _record_type(row: Row, reading: Reading) -> str:
    from dzcli.model.kinds import BY_NAME  # only `dz search` and `dz show` tables need it

    name = str(row.get("type") or "")
    kind = BY_NAME.get(name)
    return kind.label_zh if kind is not None and reading.zh else name


INDICATOR = Column("Indicator", "指标", name)
PERIOD = Column("Period", "时期", text("period"), wrap=False)
VALUE = Column("Value", "数值", lambda row, r: _amount_of(row, r.zh), numeric=True)
YOY = Column(
    "YoY", "同比", lambda row, _r: signed_pct(row.get("yoy_pct")), numeric=True, signed=True
)
NOTE = Column("Note", "备注", note, long=True)
ID = Column("ID", "编号", text("id"), wrap=False)
FIGURES = Column("Figures", "数据", _figures, long=True, listed=True)


def _beyond_the_zone(rows: list[Row]) -> bool:
    from dzcli.model.kinds import HOME_AREA  # only tables ask

    return any(row.get("area") not in (HOME_AREA, None) for row in rows)


AREA = Column("Area", "地区", lambda row, r: r.name_of(row.get("area")), only_if=_beyond_the_zone)
STATS = View(
    "stat",
    "Statistics",
    "统计数据",
    (INDICATOR, AREA, PERIOD, VALUE, YOY, Column("Notes", "说明", _stat_notes, long=True)),
    empty_words=("No statistics match.", "没有符合条件的统计数据。"),
)
GROWTH = View(
    "stat",
    "Year-over-year growth",
    "同比增长",
    (
        INDICATOR,
        AREA,
        PERIOD,
        VALUE,
        YOY,
        Column("Basis", "价格口径", _basis),
        Column("Kind", "类型", _code("kind")),
        Column("How", "依据", _stat_notes, long=True),
    ),
    empty_words=("No growth figures match.", "没有符合条件的增长数据。"),
)
TARGETS = View(
    "target",
    "Targets",
    "目标",
    (
        INDICATOR,
        AREA,
        PERIOD,
        VALUE,
        Column("Latest actual", "最近实际值", _actual, numeric=True),
        Column("Required growth (derived)", "所需增速(推算)", _required, numeric=True, signed=True),
        NOTE,
    ),
)
_LEVELS_ZH = {
    "zone": "开发区",
    "district": "区县",
    "city": "市",
    "province": "省",
    "country": "国家",
}


def _level(row: Row, reading: Reading) -> str:
    level = str(row.get("level") or "")
    return _LEVELS_ZH.get(level, level) if reading.zh else level


def _counted(table: str) -> Cell:
    def cell(row: Row, _reading: Reading) -> str:
        counts = row.get("figures")
        return display(counts.get(table) if isinstance(counts, dict) else None)

    return cell


AREAS = View(
    "area",
    "Areas",
    "地区",
    (
        Column("Area", "地区", name, depth=_depth),
        ID,
        Column("Level", "层级", _level),
        Column("Stats", "统计", _counted("stats"), numeric=True),
        Column("Targets", "目标", _counted("targets"), numeric=True),
        NOTE,
    ),
)


def _area_name(row: Row, reading: Reading) -> str:
    return reading.pick(row.get("area_name_zh"), row.get("area_name_en")) or str(row.get("area"))


def _share_of_parent(row: Row, reading: Reading) -> str:
    share = row.get("share_of_parent")
    if isinstance(share, dict):
        return f"{number(share.get('value_pct'))}%"
    return _why_not(_WHY_NO_SHARE, row, reading)


def _compare_note(row: Row, reading: Reading) -> str:
    share = row.get("share_of_parent")
    if not isinstance(share, dict):
        return ""
    formula = str(share.get("formula"))
    parent = reading.name_of(row.get("parent"))
    return reading.pick(
        f"占{parent}比重, 推算: {FORMULAS_ZH.get(formula, formula)}",
        f"share of {parent}, derived: {formula}",
    )


COMPARE = View(
    "comparison",
    "Across areas",
    "地区比较",
    (
        Column("Area", "地区", _area_name),
        VALUE,
        YOY,
        Column("Basis", "价格口径", _basis),
        Column("Share of parent (derived)", "占上级比重(推算)", _share_of_parent, numeric=True),
        Column("How", "依据", _compare_note, long=True),
    ),
    group=lambda row, reading: f"{name(row, reading) or row.get('metric')} ({row.get('period')})",
    group_words=("Metric", "指标"),
    empty_words=("No area has a figure of it.", "没有地区有此数据。"),
)
PARKS = View(
    "park",
    "Parks",
    "园区",
    (Column("Park", "园区", name, depth=_depth), ID, FIGURES, NOTE),
)
PROJECTS = View(
    "project",
    "Projects",
    "项目",
    (
        Column("Project", "项目", name),
        ID,
        Column("Status", "状态", _words("status"), long=True),
        Column("Industry", "产业", _words("industry"), long=True),
        NOTE,
    ),
    group=lambda row, reading: _park(row, reading) or reading.pick("未说明园区", "Park not stated"),
    group_words=("Park", "园区"),
    empty_words=("No projects match.", "没有符合条件的项目。"),
)
ENTERPRISES = View(
    "enterprise",
    "Enterprises and organisations",
    "企业与机构",
    (
        Column("Name", "名称", name),
        ID,
        Column("Park", "园区", lambda row, reading: _park(row, reading) or "—", long=True),
        Column("Role", "角色", _role, long=True),
        FIGURES,
    ),
)
EVENTS = View(
    "event",
    "Events",
    "大事记",
    (Column("Date", "日期", text("date"), wrap=False), Column("Event", "事件", name), ID, FIGURES),
)


def _statement(row: Row, reading: Reading) -> str:
    text = reading.pick(row.get("text_zh"), row.get("text_en"))
    items = row.get("items_zh") if reading.zh else row.get("items_en")
    listed = reading.pick("、", ", ").join(str(i) for i in items or [])
    return f"{text} [{listed}]" if listed else text


def _relation(row: Row, reading: Reading) -> str:
    whole = reading.name_of(row.get("whole"))
    if row.get("relation") == "part_of":
        part = reading.name_of(row.get("part"))
        return reading.pick(f"{part} 是 {whole} 的一部分", f"{part} is part of {whole}")
    named = row.get("members_zh") if reading.zh else row.get("members_en")
    if not named:
        named = [reading.name_of(member) for member in row.get("members") or []]
    joined = reading.pick("、", ", ").join(str(n) for n in named)
    # The measure word is the unit the whole is counted in (家 for firms); a whole that is not
    # a count (a metric in 亿元 whose fields are named) takes the general one, 个.
    measure = reading.count_unit(row.get("whole")) or "个"
    return reading.pick(
        f"{whole}:点名{len(named)}{measure}({joined})", f"{whole}: {len(named)} named ({joined})"
    )


PEOPLE = View(
    "person",
    "People",
    "人物",
    (
        Column("Name", "姓名", name),
        ID,
        Column("Role", "职务", _role, long=True),
        Column("For", "所属", _named("organisation"), long=True),
        NOTE,
    ),
)
STATEMENTS = View(
    "statement",
    "Statements",
    "表述",
    (
        Column("Topic", "主题", _code("topic")),
        Column("Nature", "性质", _code("nature")),
        Column("Statement", "内容", _statement, long=True),
        ID,
        Column("Said by", "发言人", _named("speaker"), long=True),
        NOTE,
    ),
    group=lambda row, reading: (
        reading.name_of(row.get("subject"))
        if row.get("subject")
        else reading.pick("开发区", "The zone")
    ),
    group_words=("About", "对象"),
)
RELATIONS = View(
    "relation",
    "Parts and wholes",
    "部分与整体",
    (ID, Column("Relation", "关系", _relation, long=True), NOTE),
    counts=True,
)
RECORD = View(
    "record",
    "Record",
    "记录",
    (
        Column("Field", "字段", lambda row, r: _field_label(row, r), depth=_depth),
        Column("Value", "值", _field_value),
    ),
    group=lambda row, r: _record_title(row, r),
    group_words=("Record", "记录"),
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
        Column("Field", "字段", lambda row, r: field_path_label(row.get("field"), r), long=True),
        Column("Text", "内容", text("text"), long=True),
    ),
    empty_words=("Nothing matches.", "没有匹配的记录。"),
)
SOURCES = View(
    "source",
    "Sources",
    "来源",
    (
        ID,
        Column(
            "Date", "日期", lambda row, _r: display(row.get("date") or row.get("year")), wrap=False
        ),
        Column("Title", "标题", name),
        Column("Publisher", "发布者", text("publisher")),
        Column("File", "文件", text("file"), wrap=False),
    ),
    empty_words=("No sources are registered.", "没有登记的来源。"),
)

# A log table names the first few ids of what a change added, changed and retracted, and counts
# the rest (a `dz import` may add hundreds: `dz log --json` lists them all).
SHOWN_IDS = 3


def _what_changed(row: Row, reading: Reading) -> str:
    items = []
    for what in ("added", "changed", "retracted"):
        ids = row.get(what)
        if not isinstance(ids, list) or not ids:
            continue
        shown = ", ".join(str(i) for i in ids[:SHOWN_IDS])
        more = len(ids) - SHOWN_IDS
        if reading.zh:
            count = f"{len(ids)}项" if len(ids) > 1 else ""
            items.append(
                f"{FIELD_ZH[what]}{count}: {shown}" + (f" 及其余{more}项" if more > 0 else "")
            )
        else:
            count = f" {len(ids)}" if len(ids) > 1 else ""
            items.append(f"{what}{count}: {shown}" + (f" and {more:,} more" if more > 0 else ""))
    return "; ".join(items)


CHANGES = View(
    "change",
    "Changes",
    "变更记录",
    (
        ID,
        Column("Time (UTC)", "时间(UTC)", text("time"), wrap=False),
        Column("Command", "命令", text("command"), long=True),
        Column("What", "内容", _what_changed, long=True, listed=True),
        Column("Source", "来源", text("doc"), wrap=False),
    ),
    empty_words=("No changes yet: the store is as shipped.", "尚无变更:数据与发布时相同。"),
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
        empty_words=view.empty_words,
    )


def transpose(
    rows: list[Row], columns: list[str] | None = None, whole: list[Row] | None = None
) -> list[Row]:
    """Each record as field/value rows: its fields, nested ones laid out under their field
    (figures as amounts, a source as its quote), or the given (flattened) fields as they are.
    `whole` are the records the rows were picked from, which name them."""
    out: list[Row] = []
    for row, named in zip(rows, whole or rows, strict=True):
        record = {"record_id": named.get("id"), "record_type": named.get("type")}
        record |= {"record_zh": named.get("name_zh"), "record_en": named.get("name_en")}
        if columns is not None:
            # Fields picked by name (--fields) keep the names the user typed.
            out.extend(
                {**record, "field": key, "label_zh": key, "label_en": key, "value": row.get(key)}
                for key in columns
            )
            continue
        for key, value in row.items():
            out.extend({**record, **line} for line in _field_lines(key, value, 0))
    return out


def _field_lines(key: str, value: object, depth: int, label: Row | None = None) -> list[Row]:
    """A field as lines of `dz show`: a scalar on one, an amount (value and unit) on one with
    its note and source under it, a source as its quote, anything else field by field."""
    head: Row = {"field": key, "depth": depth, **(label or {})}
    if isinstance(value, dict):
        if set(value) <= {"doc", "quote", "supports"} and "quote" in value:  # a source
            supports = f" → {value['supports']}" if value.get("supports") else ""
            return [{**head, "value": f"「{value.get('quote')}」 ({value.get('doc')}){supports}"}]
        if "value" in value and "unit" in value:
            period = f" ({value['period']})" if value.get("period") else ""
            lines = [{**head, "value": _amount_of(value) + period}]
            for part in ("note", "note_zh", "source", "quotes"):
                if value.get(part):
                    lines += _field_lines(part, value[part], depth + 1)
            return lines
        lines = [{**head, "value": ""}]
        for inner, item in value.items():
            lines += _field_lines(inner, item, depth + 1)
        return lines
    if isinstance(value, list):
        if not value:
            return [{**head, "value": None}]
        if all(not isinstance(item, dict | list) for item in value):
            return [{**head, "value": ", ".join(display(item) for item in value)}]
        lines = [{**head, "value": ""}]
        for index, item in enumerate(value, 1):
            lines += _field_lines(str(index), item, depth + 1, _item_label(item))
        return lines
    return [{**head, "value": value}]


def _item_label(item: object) -> Row | None:
    """A figure or claim in a list is labelled by its name, not its position."""
    if isinstance(item, dict) and (item.get("name_zh") or item.get("name_en")):
        return {"label_zh": item.get("name_zh"), "label_en": item.get("name_en")}
    return None


# Field names of `dz show` as a Chinese reader reads them; any other is shown as stored.
FIELD_ZH = {
    "type": "类型",
    "id": "编号",
    "name_zh": "中文名称",
    "name_en": "英文名称",
    "name_zh_by_dz": "中文名称为dz自拟",
    "aliases": "别名",
    "metric": "指标",
    "category": "类别",
    "period": "时期",
    "date": "日期",
    "value": "数值",
    "unit": "单位",
    "base_value": "基本单位数值",
    "base_unit": "基本单位",
    "approx": "约数",
    "bound": "界限",
    "nature": "性质",
    "kind": "取得方式",
    "yoy_pct": "同比(%)",
    "basis": "价格口径",
    "basis_by": "口径依据",
    "share_pct": "占比(%)",
    "share_of": "所占总量",
    "rank": "排名",
    "rank_scope": "排名范围",
    "rank_area": "排名所在地区",
    "vs_city_avg_pp": "高于全市平均(百分点)",
    "vs_avg_area": "所比平均的地区",
    "area": "地区",
    "level": "层级",
    "stats": "统计数",
    "area_name_zh": "地区中文名称",
    "area_name_en": "地区英文名称",
    "share_of_parent": "占上级比重",
    "parent_base_value": "上级基本单位数值",
    "targets": "目标数",
    "equivalent": "折合",
    "role": "角色(英文)",
    "role_zh": "角色",
    "note": "备注(英文)",
    "note_zh": "备注",
    "park": "园区",
    "parent": "上级",
    "figures": "数据",
    "status": "状态",
    "status_zh": "状态(中文)",
    "industry": "产业",
    "industry_zh": "产业(中文)",
    "enterprise": "企业",
    "refs": "相关记录",
    "source": "出处",
    "quotes": "其他出处",
    "doc": "文献",
    "quote": "原文",
    "supports": "支持字段",
    "formula": "公式",
    "inputs": "输入",
    "claim_rank": "采信等级",
    "rank_reason": "等级理由",
    "corroborated_by": "佐证",
    "disputed_by": "矛盾",
    "yoy_from": "增速来源",
    "answered_by": "采信记录",
    "authors": "作者",
    "file": "文件",
    "year": "年份",
    "key": "键",
    "actual": "最近实际值",
    "added": "新增",
    "changed": "修改",
    "retracted": "撤回",
    "children": "下级园区",
    "command": "命令",
    "converted_from": "换算前",
    "depth": "层级",
    "field": "字段",
    "from": "来自",
    "items_zh": "条目",
    "items_en": "条目(英文)",
    "matched_in": "匹配位置",
    "members": "成员编号",
    "members_zh": "点名成员",
    "members_en": "点名成员(英文)",
    "organisation": "所属机构",
    "park_name_zh": "园区名称",
    "park_name_en": "园区英文名称",
    "part": "部分",
    "whole": "整体",
    "previous": "变更前",
    "previous_value": "上期数值",
    "publisher": "发布者",
    "relation": "关系",
    "required_growth": "所需增速",
    "value_pct": "百分比",
    "why_not": "缺失原因",
    "sha256": "SHA-256",
    "subject": "对象",
    "speaker": "发言人",
    "target": "目标",
    "text": "内容",
    "text_zh": "内容",
    "text_en": "内容(英文)",
    "time": "时间",
    "topic": "主题",
    "url": "网址",
    "years": "年数",
}

# The codes of dz's closed vocabularies (model/kinds.py) and of its categories, as a Chinese
# reader reads them; English tables show the codes themselves. One table for every view.
CODES_ZH: Mapping[str, Mapping[str, str]] = {
    "basis": {"real": "可比价", "nominal": "现价"},
    "basis_by": {"report": "报告所述", "convention": "统计惯例"},
    "nature": {"actual": "实际", "expected": "预计", "plan": "计划", "target": "目标任务"},
    "kind": {"reported": "报告", "derived": "推算"},
    "claim_rank": {"preferred": "采信", "normal": "一般", "deprecated": "已弃用"},
    "bound": {"lower": "下限(突破)", "tier": "量级"},
    "status": {
        "signed": "签约",
        "construction_started": "落地开工",
        "under_construction": "施工",
        "existing": "原有",
        "in_progress": "实施",
    },
    "topic": {
        "aim": "目标",
        "model": "模式",
        "method": "方式",
        "measure": "举措",
        "positioning": "定位",
        "plan": "计划",
        "status": "现状",
        "caption": "图片说明",
    },
    "relation": {"part_of": "部分与整体", "named_members": "点名成员"},
    "category": {
        "economy": "经济",
        "fiscal": "财政",
        "industry": "工业",
        "trade": "贸易",
        "investment": "投资",
        "capital_markets": "资本市场",
        "innovation": "创新",
    },
    "base_unit": {"CNY": "元", "USD": "美元", "count": "个", "m2": "平方米", "year": "年"},
}


def code(field: str, value: object, reading: Reading) -> str:
    """A code of `field` as the reader reads it: in Chinese where dz has the word, else as
    stored."""
    text = "" if value is None else str(value)
    return CODES_ZH.get(field, {}).get(text, text) if reading.zh else text


_INDEX = re.compile(r"^(?P<name>[^\[]*)(?P<index>(?:\[[0-9]+\])*)$")


def field_path_label(path: object, reading: Reading) -> str:
    """A field's dotted path (`quotes[1].quote`) with each name in the reader's language
    (`其他出处[1].原文`); an index stays as JSON counts it."""
    text = "" if path is None else str(path)
    if not reading.zh:
        return text
    labels = []
    for part in text.split("."):
        match = _INDEX.match(part)
        name, index = (match["name"], match["index"]) if match else (part, "")
        labels.append(FIELD_ZH.get(name, name) + index)
    return ".".join(labels)


def _field_label(row: Row, reading: Reading) -> str:
    if row.get("label_zh") or row.get("label_en"):
        return reading.pick(row.get("label_zh"), row.get("label_en"))
    field_name = str(row.get("field") or "")
    return FIELD_ZH.get(field_name, field_name) if reading.zh else field_name


def _record_title(row: Row, reading: Reading) -> str:
    from dzcli.model.kinds import BY_NAME  # only `dz show` tables need it

    kind = BY_NAME.get(str(row.get("record_type") or ""))
    what = kind.label(reading.zh) if kind is not None else str(row.get("record_type") or "")
    named = reading.pick(row.get("record_zh"), row.get("record_en"))
    shown = f"{named} ({row.get('record_id')})" if named else str(row.get("record_id"))
    return f"{what}: {shown}" if what else shown
