"""Periods as people type them: read into the stored spelling by the one parser, and any other
text refused with the closest stored period."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from dzcli.cli import app
from dzcli.model.errors import BadUsage
from dzcli.model.periods import is_period, parse_period, parse_year

runner = CliRunner()

YEARS = st.integers(1, 9999).map(lambda year: f"{year:04}")
CHINESE = "一二三四"
FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


def full_width(text: str) -> str:
    """`text` as a Chinese input method in full-width mode types it (U+FF12 for 2, …)."""
    return text.translate(FULL_WIDTH)


QUARTER_SPELLINGS = [
    "{y}Q{q}",
    "{y}q{q}",
    "{y}-q{q}",
    "{y}-Q{q}",
    "{y} Q{q}",
    "{y}/Q{q}",
    "Q{q} {y}",
    "q{q}-{y}",
    "{y}年Q{q}",
    "{y}年{c}季度",
    "{y}{c}季度",
    "{y}年第{c}季度",
    "{y}第{c}季度",
    "{y}年{q}季度",
    "{y}年第{q}季度",
    "{y}年{c}季",
]


@given(year=YEARS, quarter=st.integers(1, 4), spelling=st.sampled_from(QUARTER_SPELLINGS))
@example(year="2022", quarter=1, spelling="{y}Q{q}")
@example(year="2022", quarter=1, spelling="{y}年{c}季度")
def test_every_spelling_of_a_quarter_reads_as_the_stored_one(
    year: str, quarter: int, spelling: str
) -> None:
    typed = spelling.format(y=year, q=quarter, c=CHINESE[quarter - 1])
    expected = f"{year}-Q{quarter}"
    if year == "0000":
        with pytest.raises(BadUsage):
            parse_period(typed)
        return
    assert parse_period(typed) == expected
    assert parse_period(full_width(typed)) == expected
    assert parse_period(f"  {typed} ") == expected


@given(year=YEARS, spelling=st.sampled_from(["{y}", "{y}年", "{y}年度", "{y}年全年", "{y}全年"]))
def test_every_spelling_of_a_year_reads_as_the_year(year: str, spelling: str) -> None:
    typed = spelling.format(y=year)
    if year == "0000":
        with pytest.raises(BadUsage):
            parse_period(typed)
        return
    assert parse_period(typed) == year
    assert parse_period(full_width(typed)) == year
    assert parse_year(typed) == year


MONTH_SPELLINGS = [
    "{y}年{a}-{b}月",
    "{y}年{a}—{b}月",
    "{y}年{a}~{b}月",
    "{y}年{a}至{b}月",
    "{y}年{a}月至{b}月",
    "{y}年{a}月-{b}月",
    "{y}-{a}/{y}-{b}",
    "{y}-{a:02}/{y}-{b:02}",
]


@given(
    year=st.integers(1, 9999).map(lambda y: f"{y:04}"),
    months=st.tuples(st.integers(1, 12), st.integers(1, 12)).map(sorted),
    spelling=st.sampled_from(MONTH_SPELLINGS),
)
@example(year="2021", months=[1, 11], spelling="{y}年{a}-{b}月")
def test_every_spelling_of_months_reads_as_a_month_range(
    year: str, months: list[int], spelling: str
) -> None:
    first, last = months
    typed = spelling.format(y=year, a=first, b=last)
    assert parse_period(typed) == f"{year}-{first:02}/{year}-{last:02}"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2021年3月", "2021-03/2021-03"),
        ("2021-03", "2021-03/2021-03"),
        ("2021年1月-2022年2月", "2021-01/2022-02"),
        ("2022年上半年", "2022-01/2022-06"),
        ("2022下半年", "2022-07/2022-12"),
        ("2022年前三季度", "2022-01/2022-09"),
    ],
)
def test_months_and_parts_of_a_year_read_as_month_ranges(typed: str, stored: str) -> None:
    assert parse_period(typed) == stored


@pytest.mark.parametrize(
    ("typed", "closest"),
    [
        ("2022Q5", "2022-Q4"),
        ("2022-Q0", "2022-Q1"),
        ("2022年五季度", "2022-Q4"),
        ("2022Q", "2022"),
        ("2022x", "2022"),
        ("2022-13", "2022-12/2022-12"),
        ("2021-11/2021-01", "2021-01/2021-11"),
        ("2021年11-1月", "2021-01/2021-11"),
        ("2021-03-15", "2021-03/2021-03"),  # a day: its month
        ("202203", "2022-03/2022-03"),
    ],
)
def test_a_period_not_read_gets_the_closest_stored_one(typed: str, closest: str) -> None:
    with pytest.raises(BadUsage) as refused:
        parse_period(typed)
    assert str(refused.value) == (
        f"invalid period {typed!r} (expected YYYY, YYYY-QN or YYYY-MM/YYYY-MM; "
        f"did you mean {closest!r}?)"
    )


@pytest.mark.parametrize("typed", ["20x1", "abc", "", "0000", "0000Q1", "Q1"])
def test_text_without_a_year_gets_no_suggestion(typed: str) -> None:
    with pytest.raises(BadUsage) as refused:
        parse_period(typed)
    assert str(refused.value) == (
        f"invalid period {typed!r} (expected YYYY, YYYY-QN or YYYY-MM/YYYY-MM)"
    )


@given(st.text(alphabet=st.sampled_from("0123456789-/Qq年月季度第一二三四五全至 ~—"), max_size=20))
@example("2022-Q1")
@example("2021年13月")
def test_any_text_is_a_stored_period_or_refused_with_a_suggestion_that_reads(text: str) -> None:
    try:
        period = parse_period(text)
    except BadUsage as refused:
        suggested = re.search(r"did you mean '([^']*)'\?", str(refused))
        if suggested is not None:
            assert is_period(suggested.group(1))
            assert parse_period(suggested.group(1)) == suggested.group(1)
        return
    assert is_period(period)
    assert parse_period(period) == period  # the stored spelling reads as itself


@given(st.text(max_size=30))
def test_the_parser_never_fails_but_with_bad_usage(text: str) -> None:
    try:
        period = parse_period(text)
    except BadUsage:
        return
    assert is_period(period)


STORED = r"[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2])/[0-9]{4}-(0[1-9]|1[0-2]))?"


@given(st.from_regex(STORED, fullmatch=True))
def test_a_stored_period_is_read_as_itself(period: str) -> None:
    if is_period(period):
        assert parse_period(period) == period


def test_a_year_for_targets_is_read_like_a_period_and_a_quarter_gets_its_year() -> None:
    assert parse_year("２０２２年") == "2022"
    with pytest.raises(BadUsage, match=r"did you mean '2022'\?"):
        parse_year("2022年一季度")


# --- on the command line ---------------------------------------------------------------------


def json_of(*args: str) -> str:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("typed", ["2022Q1", "2022-q1", "2022年一季度", "2022一季度", "Q1 2022"])
def test_dz_stats_takes_a_quarter_as_people_type_it(typed: str) -> None:
    assert json_of("stats", typed) == json_of("stats", "2022-Q1")
    assert '"2022-Q1"' in json_of("stats", typed)


def test_dz_stats_growth_and_targets_take_a_chinese_year() -> None:
    assert json_of("stats", "2021年") == json_of("stats", "2021")
    assert json_of("growth", "--period", "2021年") == json_of("growth", "--period", "2021")
    assert json_of("growth", "2021年") == json_of("growth", "2021")
    assert json_of("targets", "2022年") == json_of("targets", "2022")


def test_a_mistyped_period_on_the_command_line_gets_the_closest_one() -> None:
    result = runner.invoke(app, ["stats", "2022Q5"])
    assert result.exit_code == 2
    assert result.stderr == (
        "dz: error: invalid period '2022Q5' (expected YYYY, YYYY-QN or YYYY-MM/YYYY-MM; "
        "did you mean '2022-Q4'?)\n"
    )
