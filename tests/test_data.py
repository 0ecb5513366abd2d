"""The shipped store against the report it was read from: every quote, every number, every link."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from helpers import require_sources, shipped

from dzcli.store import TABLES, default_store_path

NUMBER = re.compile(r"\d+(?:\.\d+)?")
BASE_UNITS = {
    "亿元": ("CNY", 10**8),
    "万元": ("CNY", 10**4),
    "万美元": ("USD", 10**4),
    "万平方米": ("m2", 10**4),
    "%": ("percent", 1),
    "家": ("count", 1),
    "个": ("count", 1),
    "条": ("count", 1),
    "年": ("year", 1),
}


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def store() -> dict[str, dict[str, Any]]:
    return shipped()


@pytest.fixture(scope="module")
def report() -> str:
    path = require_sources() / "dezhou-etdz-2022.txt"
    return flat(path.read_text(encoding="utf-8"))


def records(store: dict[str, dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    for table in TABLES:
        for record in store[table].values():
            yield table, record


def parts(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A record and each figure nested in it: each carries its own source."""
    yield record
    yield from record.get("figures", [])


def numbers_in(part: dict[str, Any]) -> set[float]:
    """Numbers a record states: numeric values, and digits in its period, date or Chinese name."""
    found: set[float] = set()

    def visit(key: str | None, value: object) -> None:
        if isinstance(value, bool):
            return
        if isinstance(value, int | float):
            found.add(float(value))
        elif isinstance(value, str) and key in ("period", "date", "name_zh"):
            found.update(float(n) for n in NUMBER.findall(value))
        elif isinstance(value, dict):
            for k, v in value.items():
                if k not in ("source", "figures"):
                    visit(k, v)
        elif isinstance(value, list):
            for item in value:
                visit(key, item)

    visit(None, part)
    return found


def test_store_file_is_readable_utf8_not_escaped() -> None:
    text = default_store_path().read_text(encoding="utf-8")
    assert "地区生产总值" in text
    assert "\\u" not in text
    assert text.startswith("{\n  ")  # indented for people and diffs


def test_every_quote_is_in_the_report(store: dict[str, Any], report: str) -> None:
    missing = [
        (record["id"], part["source"]["quote"])
        for _, record in records(store)
        for part in parts(record)
        if flat(part["source"]["quote"]) not in report
    ]
    assert missing == []


def test_every_record_and_figure_names_its_source(store: dict[str, Any]) -> None:
    docs = {record["id"] for record in store["sources"].values()}
    for _, record in records(store):
        for part in parts(record):
            assert part["source"]["doc"] in docs, record["id"]
            assert part["source"]["quote"].strip(), record["id"]


def test_every_number_of_the_report_is_in_a_record_quoting_it(
    store: dict[str, Any], report: str
) -> None:
    """Each number in the report is stated by some record (or figure) whose quote covers it."""
    spans = []
    for _, record in records(store):
        for part in parts(record):
            quote = flat(part["source"]["quote"])
            spans += [(m.start(), m.end(), part) for m in re.finditer(re.escape(quote), report)]
    occurrences = list(NUMBER.finditer(report))
    assert len(occurrences) > 50  # the report's numeric mentions; guards against a wrong file
    unstated = [
        report[max(0, m.start() - 8) : m.end() + 4]
        for m in occurrences
        if not any(
            start <= m.start() and m.end() <= end and float(m.group()) in numbers_in(part)
            for start, end, part in spans
        )
    ]
    assert unstated == []


def test_ids_are_unique_across_the_store(store: dict[str, Any]) -> None:
    ids = [record["id"] for _, record in records(store)]
    assert len(ids) == len(set(ids))


def test_every_reference_resolves(store: dict[str, Any]) -> None:
    ids = {table: {r["id"] for r in store[table].values()} for table in TABLES}
    everything = set().union(*ids.values())
    for table in ("stats", "targets"):
        for record in store[table].values():
            assert record["metric"] in ids["metrics"], record["id"]
            if record.get("share_of") is not None:
                assert record["share_of"] in ids["metrics"], record["id"]
    for table in ("projects", "enterprises"):
        for record in store[table].values():
            assert record["park"] is None or record["park"] in ids["parks"], record["id"]
    for record in store["parks"].values():
        assert record["parent"] is None or record["parent"] in ids["parks"], record["id"]
    for record in store["projects"].values():
        assert record["enterprise"] is None or record["enterprise"] in ids["enterprises"]
    for record in store["events"].values():
        assert set(record["refs"]) <= everything, record["id"]


def test_base_values_agree_with_units(store: dict[str, Any]) -> None:
    for _, record in records(store):
        for part in parts(record):
            if "unit" not in part or part.get("value") is None:
                continue
            base_unit, scale = BASE_UNITS[part["unit"]]
            assert part["base_unit"] == base_unit, record["id"]
            assert part["base_value"] == pytest.approx(part["value"] * scale), record["id"]


def test_every_record_has_both_names(store: dict[str, Any]) -> None:
    for table, record in records(store):
        if table in ("stats", "targets"):
            continue  # named by their metric
        assert record["name_zh"] and record["name_en"], record["id"]
        assert record["name_en"] != record["name_zh"], record["id"]


def test_the_demonstration_zone_holds_its_named_parks(store: dict[str, Any]) -> None:
    parks = {r["name_zh"]: r for r in store["parks"].values()}
    zone = parks["京津冀协同发展产业示范区"]
    assert parks["高新产业园"]["parent"] == zone["id"]
    assert parks["电子信息产业园"]["parent"] == zone["id"]
    count = next(f for f in zone["figures"] if f["key"] == "park_count")
    assert (count["value"], count["unit"]) == (11, "个")


def test_relative_years_are_resolved_and_said(store: dict[str, Any]) -> None:
    """A dated record quoting “今年”/“去年” states how it read them."""
    for _, record in records(store):
        quote = record["source"]["quote"]
        dated = record.get("period") or record.get("date")
        if dated and ("今年" in quote or "去年" in quote):
            assert "今年" in (record.get("note") or "") or "去年" in (record.get("note") or ""), (
                record["id"]
            )


# Quantities the report writes in Chinese numerals, which the digit search above cannot see.
CHINESE_NUMERALS = [
    ("五大工业领域", 5),
    ("“十强”", 10),
    ("三大主导产业", 3),
    ("国企改革三年行动", 3),
    ("千亿元级", 1000),
]


@pytest.mark.parametrize(("phrase", "number"), CHINESE_NUMERALS)
def test_numbers_in_chinese_numerals_are_in_the_store(
    store: dict[str, Any], report: str, phrase: str, number: int
) -> None:
    assert phrase in report
    stating = [
        record["id"]
        for _, record in records(store)
        for part in parts(record)
        if phrase in flat(part["source"]["quote"])
        and (float(number) in numbers_in(part) or phrase in part.get("name_zh", ""))
    ]
    assert stating, f"no record quoting {phrase!r} states {number}"
