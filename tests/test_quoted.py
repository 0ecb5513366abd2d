"""Issue 21: what a quote must say for a written record's numbers and period to be taken from
it, read through the one tokenizer of numbers in Chinese text (dzcli.model.numerals)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from helpers import shipped
from hypothesis import given
from hypothesis import strategies as st

from dzcli.model import quoted
from dzcli.model.numerals import numeral_value, tokens

GDP_2023 = "2023年，全区地区生产总值达到340.12亿元，同比增长5.1%"


def stat(**fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "metric": "gdp",
        "period": "2023",
        "value": 340.12,
        "unit": "亿元",
        "yoy_pct": 5.1,
        "note": None,
        "note_zh": None,
        "source": {"doc": "bulletin-2023", "quote": GDP_2023},
        "quotes": [],
    }
    record.update(fields)
    return record


def fields_refused(record: dict[str, Any], year: int | None = 2024) -> list[str]:
    return [p.field for p in quoted.problems(record, {"bulletin-2023": year})]


# --- the tokenizer ---------------------------------------------------------------------------


def _full_width(text: str) -> str:
    """Digits, commas and points as a Chinese keyboard may write them (U+FF10 for 0, …)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() or c in ",." else c for c in text)


def read(text: str) -> list[tuple[str, str | None]]:
    return [(quoted.spelled(t.value), t.unit) for t in tokens(text)]


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("地区生产总值达到340.12亿元", [("340.12", "亿元")]),
        (_full_width("1,234万美元"), [("1234", "万美元")]),
        ("填报金额1,757.5万美元", [("1757.5", "万美元")]),
        ("12,34家", [("12", None), ("34", "家")]),  # not a thousands group: two numbers
        ("高于全市平均1.79个百分点", [("1.79", "个百分点")]),  # 百 of 百分点 is no number
        ("五大工业领域", [("5", None)]),
        ("一般公共预算收入,统一规划", []),  # words, not numbers
        ("千亿元级产业集群", [("1000", "亿元")]),
        ("二〇二一年", [("2021", "年")]),
        ("三亿五千万", [("350000000", None)]),
        ("“十四五”规划", []),  # a name, not one number
        ("2021-2025年", [("2021", None), ("2025", "年")]),
    ],
)
def test_numbers_are_read_as_whole_tokens_with_their_units(
    text: str, numbers: list[tuple[str, str | None]]
) -> None:
    assert read(text) == numbers


def test_ordinals_and_declines_are_told() -> None:
    rank, down, up = tokens("列全市第2位,同比下降了3.2%,其后增长5%")
    assert rank.ordinal and not rank.negative
    assert down.negative and not up.negative


numbers = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)


@given(number=numbers, unit=st.sampled_from(["亿元", "万元", "万美元", "%", "家"]))
def test_a_number_written_in_a_sentence_reads_back_exactly(number: Decimal, unit: str) -> None:
    written = quoted.spelled(number)
    assert read(f"全区实现{written}{unit},同比") == [(written, unit)]


@given(number=st.integers(min_value=1000, max_value=10**12))
def test_digit_groups_and_full_width_digits_read_as_the_plain_number(number: int) -> None:
    grouped = f"{number:,}"
    assert (
        read(f"达到{grouped}元") == read(f"达到{_full_width(grouped)}元") == [(str(number), "元")]
    )


@given(number=st.integers(min_value=1, max_value=99_999_999))
def test_chinese_numerals_read_as_the_number_they_spell(number: int) -> None:
    assert numeral_value(_in_chinese(number)) == number


def _in_chinese(number: int) -> str:
    """A number as a Chinese text writes it (the test's own spelling: 10 is 一十)."""
    digits = "零一二三四五六七八九"
    out = ""
    for scale, word in ((10**4, "万"), (1, "")):
        part, number = divmod(number, scale) if scale > 1 else (number, 0)
        if not part:
            if out and not out.endswith("零"):
                out += "零"
            continue
        section = ""
        for unit_scale, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            digit, part = divmod(part, unit_scale)
            if digit:
                section += digits[digit] + unit
            elif section and not section.endswith("零") and part:
                section += "零"
        out += section + word
    return out.rstrip("零")


# --- the value -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit"), [(340.1, "亿元"), (40.12, "亿元"), (34, "万元"), (340.12, "万元")]
)
def test_a_value_that_is_part_of_a_number_or_in_another_unit_is_refused(
    value: float, unit: str
) -> None:
    assert fields_refused(stat(value=value, unit=unit)) == ["value"]


def test_the_value_in_its_unit_is_taken() -> None:
    assert fields_refused(stat()) == []
    grouped = stat(value=1234, unit="万美元", yoy_pct=None, source=_quote("2023年填报1,234万美元"))
    assert fields_refused(grouped) == []
    numerals = stat(value=1000, yoy_pct=None, source=_quote("打造千亿元级产业集群"))
    assert fields_refused(numerals) == []


def _quote(text: str) -> dict[str, str]:
    return {"doc": "bulletin-2023", "quote": text}


@given(value=numbers, written=numbers)
def test_a_value_is_taken_exactly_when_the_quote_writes_that_number(
    value: Decimal, written: Decimal
) -> None:
    quote = _quote(f"全区实现{quoted.spelled(written)}亿元")
    refused = fields_refused(stat(value=float(value), yoy_pct=None, source=quote, period="2023"))
    assert (refused == []) == (Decimal(repr(float(value))) == written)


# --- rates, shares, ranks --------------------------------------------------------------------


def test_a_rate_share_or_rank_not_in_the_quote_is_refused() -> None:
    assert fields_refused(stat(yoy_pct=9.9)) == ["yoy_pct"]
    assert fields_refused(stat(yoy_pct=-5.1)) == ["yoy_pct"]  # the quote says 增长, not 下降
    assert fields_refused(stat(share_pct=5.1)) == []  # a percentage of the quote
    assert fields_refused(stat(share_pct=70.3)) == ["share_pct"]
    assert fields_refused(stat(rank=2)) == ["rank"]
    assert fields_refused(stat(vs_city_avg_pp=1.79)) == ["vs_city_avg_pp"]
    ranked = _quote(
        "2023年实现货物进出口额112亿元,列全市第2位,同比下降3.2%,高于全市平均1.79个百分点"
    )
    fields = {"value": 112, "source": ranked, "rank": 2, "vs_city_avg_pp": 1.79}
    assert fields_refused(stat(**fields, yoy_pct=-3.2)) == []
    assert fields_refused(stat(**fields, yoy_pct=3.2)) == ["yoy_pct"]
    assert fields_refused(stat(**{**fields, "rank": 112}, yoy_pct=None)) == ["rank"]  # not 第112位


# --- the period ------------------------------------------------------------------------------


def test_a_period_the_quote_does_not_name_is_refused_unless_the_note_says_why() -> None:
    assert fields_refused(stat(period="2022")) == ["period"]
    assert (
        fields_refused(stat(period="2022", note="Period 2022: the bulletin's 2023 is a typo")) == []
    )
    assert fields_refused(stat(period="2022", note_zh="期间为2022年：…")) == []
    dated = [{"doc": "bulletin-2023", "quote": "2022年数据", "supports": "period"}]
    assert fields_refused(stat(period="2022", quotes=dated)) == []
    assert fields_refused(stat(period="2023-Q1")) == []  # a part of the year it names


def test_relative_years_are_resolved_against_the_sources_year() -> None:
    words = _quote("今年一季度,规模以上工业企业实现增加值同比增长7.2%")
    quarter = stat(period="2022-Q1", value=None, yoy_pct=7.2, source=words)
    assert fields_refused(quarter, year=2022) == []
    assert fields_refused(quarter, year=2023) == ["period"]  # 今年 is 2023 in a 2023 source
    assert fields_refused(quarter, year=None) == []  # unknown: 今年 names no year
    assert fields_refused({**quarter, "period": "2022-Q2"}, year=2022) == ["period"]
    words = _quote("首笔资金946万元已于去年5月21日投入企业")
    last_year = stat(period="2021", value=946, unit="万元", yoy_pct=None, source=words)
    assert fields_refused(last_year, year=2022) == []
    assert fields_refused({**last_year, "period": "2022"}, year=2022) == ["period"]


def test_every_record_of_the_shipped_store_says_what_its_quote_says() -> None:
    data = shipped()
    years = {s["id"]: quoted.source_year(s) for s in data["sources"].values()}
    refused = [
        (record["id"], problem)
        for records in data.values()
        for record in records.values()
        for problem in quoted.problems(record, years)
    ]
    assert refused == []
