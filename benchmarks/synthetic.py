"""Synthetic dz stores at scale: 20 years x 50 indicators for each of N development zones.

Every statistic has the shape of the ones in data/facts.json (every field of the registry,
`dzcli.model.kinds`, the same kinds of values, a Chinese source quote worded like the
report's), so parsing and filtering cost what a real store of that size would. Each zone is an
area of its own (`zone0001`, a record of `areas`), and the 50 indicators are 50 metrics shared
by every zone (`all_gdp`, `hitech_revenue`, …): a statistic's id names its zone
(`all_gdp@zone0001@2021`), and a growth rate joins two years of one metric and one zone. Values
follow a random walk and each reported rate is the one its two values imply, so the store
passes `dz check`. The other tables are the shipped store's (any field the registry asks for
and the shipped data does not carry yet is added, null or empty), plus the indicators in
`metrics`, the zones in `areas` and one source per zone (its statistical yearbook).

A store is written to DIR/facts.json (UTF-8, indent 2, like the shipped one; a standard TinyDB
JSON store) with its source texts in DIR/sources/: one file per source, holding every quote
that cites it, so `dz check --db DIR/facts.json --sources DIR/sources` finds every quote.

    python benchmarks/synthetic.py 250000 benchmarks/out/stats-250000
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from dzcli.model.fieldtypes import FieldType
from dzcli.model.kinds import BY_TABLE, KINDS

YEARS = range(2002, 2022)  # 20 years, the last being the one `dz stats 2021` asks for
REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "data" / "facts.json"
STORE_NAME, SOURCES_NAME = "facts.json", "sources"

# (id, 中文, English, category, unit, base unit, base units per unit, typical value, basis)
_BASE = [
    ("gdp", "地区生产总值", "Gross regional product", "economy", "亿元", "CNY", 8, 300, "real"),
    ("revenue", "一般公共预算收入", "Public budget revenue", "fiscal", "亿元", "CNY", 8, 30, None),
    ("tax", "税收收入", "Tax revenue", "fiscal", "亿元", "CNY", 8, 20, None),
    (
        "value_added",
        "工业增加值",
        "Industrial value added",
        "industry",
        "亿元",
        "CNY",
        8,
        120,
        "real",
    ),
    ("output", "工业总产值", "Gross industrial output", "industry", "亿元", "CNY", 8, 500, None),
    (
        "investment",
        "固定资产投资",
        "Fixed-asset investment",
        "investment",
        "亿元",
        "CNY",
        8,
        200,
        None,
    ),
    ("trade", "货物进出口额", "Goods imports and exports", "trade", "亿元", "CNY", 8, 100, None),
    (
        "fdi",
        "实际使用外资",
        "Foreign capital actually used",
        "trade",
        "万美元",
        "USD",
        4,
        2000,
        None,
    ),
    (
        "enterprises",
        "规模以上工业企业",
        "Industrial enterprises above size",
        "industry",
        "家",
        "count",
        0,
        150,
        None,
    ),
    ("patents", "有效发明专利", "Valid invention patents", "industry", "个", "count", 0, 800, None),
]
_SECTORS = [
    ("all", "", "whole zone"),
    ("hitech", "高新技术产业", "high-tech industries"),
    ("foreign", "外资企业", "foreign-invested enterprises"),
    ("private", "民营企业", "private enterprises"),
    ("key", "省“十强”产业", "the province's “Top Ten” industries"),
]
_CITIES = (  # noqa: SIM905 - fifty names read better as one string than one per line
    "德州 济南 青岛 烟台 潍坊 威海 日照 临沂 聊城 滨州 东营 淄博 枣庄 济宁 泰安 菏泽 天津 "
    "廊坊 沧州 保定 石家庄 唐山 邯郸 太原 郑州 洛阳 合肥 芜湖 南京 苏州 无锡 常州 南通 杭州 "
    "宁波 嘉兴 绍兴 福州 厦门 泉州 南昌 武汉 长沙 广州 成都 重庆 西安 昆明 贵阳 南宁"
).split()
_KINDS = ["经济技术开发区", "高新技术产业开发区", "综合保税区", "临港经济区", "产业园区"]
_NOTES = [
    "Only the growth rate is reported; the value is unknown.",
    "Period as for the surrounding figures; the count may be cumulative rather than for the year.",
    "Growth was 1.79 percentage points above the city average.",
]
INDICATORS = len(_BASE) * len(_SECTORS)  # per zone
PER_ZONE = INDICATORS * len(YEARS)  # statistics per zone


class Zone:
    """One synthetic development zone: its id, its name, and its source (a yearbook)."""

    def __init__(self, index: int) -> None:
        names = len(_CITIES) * len(_KINDS)
        city = _CITIES[index % len(_CITIES)]
        kind = _KINDS[index // len(_CITIES) % len(_KINDS)]
        number = index // names  # beyond 250 zones, names repeat with a number: 德州第二…
        self.id = f"zone{index:04d}"
        # Marked synthetic: the shipped zone (德州经济技术开发区) keeps its name to itself.
        named = f"{city}{kind}" if number == 0 else f"{city}第{number + 1}{kind}"
        self.name = f"{named}（合成）"
        self.source = f"{self.id}-yearbook-2022"


def metrics(zone: Zone) -> list[tuple[dict[str, Any], tuple[Any, ...]]]:
    """The 50 indicators (10 measures for each of 5 parts of an economy), as the first zone's
    yearbook names them, each with the measure it is an instance of."""
    rows = []
    for sector, sector_zh, sector_en in _SECTORS:
        for base in _BASE:
            key, zh, en, category, unit, base_unit = base[:6]
            rows.append(
                (
                    {
                        "id": f"{sector}_{key}",
                        # Marked synthetic, and dz's label: the shipped metrics keep their names.
                        "name_zh": f"{sector_zh}{zh}（合成）",
                        "name_en": f"{en} of {sector_en} (synthetic)",
                        "name_zh_by_dz": True,
                        "category": category,
                        "unit": unit,
                        "base_unit": base_unit,
                        "note": None,
                        "note_zh": None,
                        "source": {"doc": zone.source, "quote": f"{sector_zh}{zh}"},
                        "quotes": [],
                    },
                    (sector_zh, *base),
                )
            )
    return rows


def area(zone: Zone) -> dict[str, Any]:
    """A zone as an area of its own, named as its yearbook names it."""
    return {
        "id": zone.id,
        "name_zh": zone.name,
        "name_en": f"Synthetic zone {zone.id}",
        "aliases": [],
        "level": "zone",
        "parent": None,
        "note": None,
        "note_zh": None,
        "source": {"doc": zone.source, "quote": zone.name},
        "quotes": [],
    }


def _series(rng: random.Random, base: tuple[Any, ...]) -> list[int | float]:
    """A value for each year: a random walk from a typical start, as reported (2 decimals, or
    whole for a count)."""
    unit, typical = base[5], base[8]
    level = typical * rng.uniform(0.2, 2.0)
    values: list[int | float] = []
    for _year in YEARS:
        values.append(max(1, round(level)) if unit in ("家", "个") else round(level, 2))
        level *= 1 + rng.uniform(-0.05, 0.25)
    return values


def _stat(
    rng: random.Random,
    zone: Zone,
    metric: Mapping[str, Any],
    base: tuple[Any, ...],
    year: int,
    value: int | float,
    previous: int | float | None,
) -> dict[str, Any]:
    sector_zh, _key, zh, _en, _category, unit, base_unit, power, _typical, basis = base
    # The rate the two reported values imply, rounded as reports round it; none for the first
    # year (so `dz growth` derives the value before it), and a fifth of the others unreported.
    yoy = None
    if previous is not None and rng.random() < 0.8:
        yoy = round((value / previous - 1) * 100, 2)
    rank = rng.randint(1, 20) if rng.random() < 0.1 else None
    quote = f"{year}年,{zone.name}{sector_zh}{zh}达到{value}{unit}"
    if yoy is not None:
        quote += f",同比{'增长' if yoy >= 0 else '下降'}{abs(yoy)}%"
    if rank is not None:
        quote += f",列全市第{rank}位"
    return {
        "id": f"{metric['id']}@{zone.id}@{year}",
        "metric": metric["id"],
        "area": zone.id,
        "period": str(year),
        "value": value,
        "unit": unit,
        "base_value": round(value * 10**power),
        "base_unit": base_unit,
        "yoy_pct": yoy,
        "basis": basis or "nominal",
        "basis_by": "convention",
        "share_pct": None,
        "share_of": None,
        "rank": rank,
        "rank_scope": "全市" if rank is not None else None,
        "rank_area": None,
        "vs_city_avg_pp": None,
        "vs_avg_area": None,
        "equivalent": None,
        "approx": False,
        "bound": None,
        "nature": "actual",
        "kind": "reported",
        "claim_rank": "normal",
        "rank_reason": None,
        "note": rng.choice(_NOTES) if rng.random() < 0.1 else None,
        "note_zh": None,
        "source": {"doc": zone.source, "quote": quote},
        "quotes": [],
    }


def _zone_source(zone: Zone) -> dict[str, Any]:
    title = f"{zone.name}统计年鉴2022"
    return {
        "id": zone.source,
        "name_zh": title,
        "name_en": f"Statistical yearbook 2022 of {zone.id}",
        "authors": f"{zone.name}统计局",
        "year": "2022",
        "file": f"{zone.source}.txt",
        "note": None,
        "note_zh": None,
        "source": {"doc": zone.source, "quote": title},
        "quotes": [],
    }


def store(observations: int, seed: int = 2022) -> dict[str, dict[str, Any]]:
    """A dz store whose `stats` table holds exactly `observations` records (zone by zone)."""
    rng = random.Random(seed)
    data: dict[str, dict[str, Any]] = json.loads(SHIPPED.read_text(encoding="utf-8"))
    for kind in KINDS:
        table = data.setdefault(kind.table, {})
        for record in table.values():
            complete(record, kind.fields)
    # The shipped statistics stay: the shipped relations name some of them, and a store whose
    # references dangle is one dz rejects (the benchmark must measure a store dz accepts).
    stats: dict[str, Any] = dict(data["stats"])
    wanted = len(stats) + observations
    index = 0
    while len(stats) < wanted:
        zone = Zone(index)
        source = _zone_source(zone)
        complete(source, BY_TABLE["sources"].fields)
        data["sources"][str(len(data["sources"]) + 1)] = source
        data["areas"][str(len(data["areas"]) + 1)] = area(zone)
        for metric, base in metrics(zone):
            if len(stats) >= wanted:
                break
            if index == 0:  # the indicators, once, as the first zone's yearbook names them
                data["metrics"][str(len(data["metrics"]) + 1)] = metric
            previous = None
            for year, value in zip(YEARS, _series(rng, base), strict=True):
                if len(stats) < wanted:
                    stats[str(len(stats) + 1)] = _stat(
                        rng, zone, metric, base, year, value, previous
                    )
                previous = value
        index += 1
    data["stats"] = stats
    return data


def complete(record: dict[str, Any], fields: Mapping[str, FieldType]) -> None:
    """Add each field the registry asks for that `record` lacks: null where it may be, else an
    empty list, false, or a vocabulary's first word (the shipped data may predate a field)."""
    for field, kind in fields.items():
        if field not in record:
            record[field] = _empty(kind)
        elif kind.fields is not None and isinstance(record[field], dict):
            complete(record[field], kind.fields)
        elif kind.items is not None and kind.items.fields is not None:
            for item in record[field]:
                complete(item, kind.items.fields)


def _empty(kind: FieldType) -> Any:
    if kind.optional:
        return None
    if kind.items is not None:
        return []
    if kind.choices:
        return kind.choices[0]
    if kind.accepts(False):
        return False
    raise ValueError(f"no empty value for a field of {kind.expected}")


def _quotes(data: Mapping[str, Mapping[str, Any]]) -> Iterator[tuple[str, str]]:
    """(source id, quote) for every quote in the store, of records and their figures."""
    for records in data.values():
        for record in records.values():
            for part in [record, *record.get("figures", [])]:
                for source in [part.get("source"), *part.get("quotes", [])]:
                    if isinstance(source, dict) and isinstance(source.get("quote"), str):
                        yield source["doc"], source["quote"]


def source_texts(data: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """Each source's file name → a text holding every quote that cites it."""
    files = {s["id"]: s["file"] for s in data["sources"].values()}
    lines: dict[str, list[str]] = {file: [] for file in files.values()}
    for doc, quote in _quotes(data):
        lines[files[doc]].append(quote)
    return {file: "。\n".join(quotes) + "。\n" for file, quotes in lines.items()}


def write(directory: Path, observations: int, drop: str | None = None) -> Path:
    """Write the store for `observations` statistics, and its source texts, to `directory`;
    the store's path. `drop`: a field to leave out of every statistic (a store `dz check`
    finds one problem in, as many times as it has statistics)."""
    data = store(observations)
    if drop is not None:
        for stat in data["stats"].values():
            del stat[drop]
    sources = directory / SOURCES_NAME
    sources.mkdir(parents=True, exist_ok=True)
    for file, text in source_texts(data).items():
        (sources / file).write_text(text, encoding="utf-8")
    path = directory / STORE_NAME
    text = json.dumps(data, ensure_ascii=False, indent=2)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


if __name__ == "__main__":
    if len(sys.argv) != 3 or not sys.argv[1].isdigit():
        sys.exit(f"usage: {sys.argv[0]} OBSERVATIONS OUT_DIRECTORY")
    print(write(Path(sys.argv[2]), int(sys.argv[1])))
