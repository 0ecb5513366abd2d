"""Synthetic dz stores at scale: 20 years x 50 indicators for each of N development zones.

Every statistic has the shape of the ones in data/facts.json (same fields, the same kinds of
values, a Chinese source quote worded like the report's), so parsing and filtering cost what a
real store of that size would. The other tables are the shipped store's, plus the 50 synthetic
indicators in `metrics` and one source per zone and year. The file is written like the shipped
store (UTF-8, indent 2) and is a standard TinyDB JSON store.

    python benchmarks/synthetic.py 250000 benchmarks/out/stats-250000.json
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

YEARS = range(2002, 2022)  # 20 years, the last being the one `dz stats 2021` asks for
REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "data" / "facts.json"

# (id, 中文, English, category, unit, base unit, base units per unit, typical value)
_BASE = [
    ("gdp", "地区生产总值", "Gross regional product", "economy", "亿元", "CNY", 1e8, 300),
    ("revenue", "一般公共预算收入", "Public budget revenue", "fiscal", "亿元", "CNY", 1e8, 30),
    ("tax", "税收收入", "Tax revenue", "fiscal", "亿元", "CNY", 1e8, 20),
    ("value_added", "工业增加值", "Industrial value added", "industry", "亿元", "CNY", 1e8, 120),
    ("output", "工业总产值", "Gross industrial output", "industry", "亿元", "CNY", 1e8, 500),
    ("investment", "固定资产投资", "Fixed-asset investment", "investment", "亿元", "CNY", 1e8, 200),
    ("trade", "货物进出口额", "Goods imports and exports", "trade", "亿元", "CNY", 1e8, 100),
    ("fdi", "实际使用外资", "Foreign capital actually used", "trade", "万美元", "USD", 1e4, 2000),
    (
        "enterprises",
        "规模以上工业企业",
        "Industrial enterprises above size",
        "industry",
        "家",
        "count",
        1,
        150,
    ),
    ("patents", "有效发明专利", "Valid invention patents", "industry", "件", "count", 1, 800),
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


def metrics() -> list[dict[str, Any]]:
    """The 50 synthetic indicators: 10 measures for each of 5 parts of a zone's economy."""
    rows = []
    for sector, sector_zh, sector_en in _SECTORS:
        for base, zh, en, category, unit, base_unit, _scale, _typical in _BASE:
            rows.append(
                {
                    "id": f"{sector}_{base}",
                    "name_zh": f"{sector_zh}{zh}",
                    "name_en": en if sector == "all" else f"{en} of {sector_en}",
                    "category": category,
                    "unit": unit,
                    "note": None,
                    "source": {"doc": "synthetic", "quote": f"{sector_zh}{zh}"},
                    "base_unit": base_unit,
                }
            )
    return rows


def _zone(index: int) -> tuple[str, str]:
    city, kind = _CITIES[index % len(_CITIES)], _KINDS[index // len(_CITIES) % len(_KINDS)]
    return f"zone{index:03d}", f"{city}{kind}"


def _stat(rng: random.Random, zone: tuple[str, str], year: int, metric: tuple[Any, ...]) -> dict:
    zone_id, zone_name = zone
    metric_id, name_zh, unit, base_unit, scale, typical = metric
    value: int | float = round(typical * rng.uniform(0.2, 2.0) * (1 + (year - 2002) / 20), 2)
    if unit in ("家", "件"):
        value = int(value)
    yoy = round(rng.uniform(-5, 25), 2) if rng.random() < 0.8 else None
    rank = rng.randint(1, 20) if rng.random() < 0.1 else None
    quote = f"{year}年,{zone_name}{name_zh}达到{value}{unit}"
    if yoy is not None:
        quote += f",同比{'增长' if yoy >= 0 else '下降'}{abs(yoy)}%"
    if rank is not None:
        quote += f",列全市第{rank}位"
    return {
        "id": f"{zone_id}:{metric_id}@{year}",
        "metric": metric_id,
        "period": str(year),
        "value": value,
        "unit": unit,
        "base_value": round(value * scale),
        "base_unit": base_unit,
        "yoy_pct": yoy,
        "share_pct": None,
        "share_of": None,
        "rank": rank,
        "rank_scope": "全市" if rank is not None else None,
        "vs_city_avg_pp": None,
        "equivalent": None,
        "approx": False,
        "kind": "reported",
        "note": rng.choice(_NOTES) if rng.random() < 0.1 else None,
        "source": {"doc": f"{zone_id}-{year + 1}", "quote": quote},
    }


def store(observations: int, seed: int = 2022) -> dict[str, dict[str, Any]]:
    """A dz store whose `stats` table holds exactly `observations` records (zone by zone)."""
    rng = random.Random(seed)
    data: dict[str, dict[str, Any]] = json.loads(SHIPPED.read_text(encoding="utf-8"))
    indicators = metrics()
    first = len(data["metrics"]) + 1
    data["metrics"].update({str(first + i): m for i, m in enumerate(indicators)})
    per_zone = [
        (m["id"], m["name_zh"], m["unit"], m["base_unit"], base[6], base[7])
        for m, base in zip(indicators, _BASE * len(_SECTORS), strict=True)
    ]
    stats: dict[str, Any] = {}
    sources: dict[str, Any] = dict(data["sources"])
    # The synthetic indicators quote this source: every reference resolves, as in a real store.
    sources[str(len(sources) + 1)] = {
        "id": "synthetic",
        "name_zh": "合成指标",
        "name_en": "Synthetic indicators (benchmarks/synthetic.py)",
        "year": "2022",
        "note": None,
        "source": {"doc": "synthetic", "quote": "合成指标"},
    }
    zone_index = 0
    while len(stats) < observations:
        zone = _zone(zone_index)
        for year in YEARS:
            sources[str(len(sources) + 1)] = {
                "id": f"{zone[0]}-{year + 1}",
                "name_zh": f"{zone[1]}{year}年国民经济和社会发展统计公报",
                "name_en": f"Statistical bulletin {year} of zone {zone[0]}",
                "year": str(year + 1),
                "note": None,
                "source": {"doc": f"{zone[0]}-{year + 1}", "quote": f"{zone[1]}{year}年统计公报"},
            }
            for metric in per_zone:
                if len(stats) < observations:
                    stats[str(len(stats) + 1)] = _stat(rng, zone, year, metric)
        zone_index += 1
    data["stats"] = stats
    data["sources"] = sources
    return data


def write(path: Path, observations: int) -> Path:
    """Write the store for `observations` statistics to `path` (same format as the shipped one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(store(observations), ensure_ascii=False, indent=2)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


if __name__ == "__main__":
    if len(sys.argv) != 3 or not sys.argv[1].isdigit():
        sys.exit(f"usage: {sys.argv[0]} OBSERVATIONS OUT.json")
    print(write(Path(sys.argv[2]), int(sys.argv[1])))
