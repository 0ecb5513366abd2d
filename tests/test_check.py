"""`dz check`: the shipped store passes, and each rule finds the fault planted for it.

Every planted fault is one change to a copy of the shipped store, which has no problem of its
own, so the expected report is exactly the lines the change should cause.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from helpers import doc, require_sources, shipped, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dzcli import check
from dzcli.cli import app
from dzcli.model import validate as shape
from dzcli.model.kinds import TABLES
from dzcli.model.text import visible

runner = CliRunner()
Store = dict[str, Any]


def record(data: Store, table: str, record_id: str) -> dict[str, Any]:
    return next(r for r in data[table].values() if r["id"] == record_id)


def add_stat(data: Store, like: str, **changes: Any) -> None:
    """A new stat: a copy of stat `like` with `changes`, under the next document number."""
    new = copy.deepcopy(record(data, "stats", like)) | changes
    data["stats"][str(max(map(int, data["stats"])) + 1)] = new


def lines(data: object, sources: Path | None = None) -> list[str]:
    return [problem.line() for problem in check.audit(data, sources)]


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_rules_cover_every_table() -> None:
    assert set(shape.RECORD_FIELDS) == set(TABLES)


# --- the shipped store ---------------------------------------------------------------------


def shipped_counts() -> tuple[int, int]:
    data = shipped()
    records = sum(len(data[table]) for table in TABLES)
    figures = sum(len(r.get("figures", [])) for table in TABLES for r in data[table].values())
    return records, figures


def test_shipped_store_passes(facts_db: Path) -> None:
    records, figures = shipped_counts()
    before = snapshot(facts_db)
    result = runner.invoke(app, ["check"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == f"ok: {records} records and {figures} figures, 0 errors, 0 warnings\n"
    assert snapshot(facts_db) == before


def test_shipped_store_quotes_are_all_in_the_report() -> None:
    sources = require_sources()
    records, figures = shipped_counts()
    result = runner.invoke(app, ["check", "--sources", str(sources)])
    assert (result.exit_code, result.stderr) == (0, "")
    # Every record and every figure carries one quote, some records further ones (`quotes`),
    # and each is found.
    quotes = len(every_quote(shipped()))
    assert quotes > records + figures
    assert result.stdout == (
        f"ok: {records} records and {figures} figures, 0 errors, 0 warnings; "
        f"{quotes} quotes found in 1 source text\n"
    )


# --- schema --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "record_id", "change", "expected"),
    [
        (
            "stats",
            "gdp@2021",
            {"value": "317"},
            "stats gdp@2021: error: schema: 'value' is the text '317', expected a number or null",
        ),
        (
            "stats",
            "gdp@2021",
            {"period": "2021年"},
            "stats gdp@2021: error: schema: 'period' is the text '2021年', expected a period "
            "(YYYY, YYYY-QN or YYYY-MM/YYYY-MM)",
        ),
        (
            "stats",
            "gdp@2021",
            {"yoy_pc": 8.6},
            "stats gdp@2021: error: schema: unknown field 'yoy_pc'",
        ),
        (
            "parks",
            "hi-tech-park",
            {"figures": "11 parks"},
            "parks hi-tech-park: error: schema: 'figures' is the text '11 parks', "
            "expected a list of figures",
        ),
        (
            "events",
            "weixun-founded",
            {"date": "1957-02-30"},
            "events weixun-founded: error: schema: 'date' is the text '1957-02-30', "
            "expected a date (YYYY, YYYY-MM or YYYY-MM-DD) or null",
        ),
        (
            "targets",
            "target:goods_trade@2022",
            {"approx": 0},
            "targets target:goods_trade@2022: error: schema: 'approx' is a number 0, "
            "expected true or false",
        ),
        (
            "stats",
            "gdp@2021",
            {"unit": "亿"},
            "stats gdp@2021: error: schema: unit '亿' is not known "
            "(known: 元 万元 亿元 美元 万美元 亿美元 平方米 万平方米 % 家 个 条 年)",
        ),
        (
            "stats",
            "gdp@2021",
            {"kind": "derived"},
            "stats gdp@2021: error: schema: 'kind' is the text 'derived', expected 'reported' "
            "(a store holds only reported values; dz derives the rest)",
        ),
        (
            "stats",
            "gdp@2021",
            {"id": "gdp@2020"},
            "stats gdp@2020: error: schema: id should be 'gdp@2021' (metric@period)",
        ),
        (
            "enterprises",
            "samsung",
            {"id": "apple"},
            "enterprises apple: error: schema: id 'apple' is also the id of a record in "
            "enterprises",
        ),
        (
            "events",
            "first-community-licence",
            {"id": "hi-tech-park"},
            "events hi-tech-park: error: schema: id 'hi-tech-park' is also the id of a record "
            "in parks",
        ),
        (
            "projects",
            "hi-tech-park-infrastructure",
            {"status": "done"},
            "projects hi-tech-park-infrastructure: error: schema: 'status' is the text 'done', "
            "expected one of signed, construction_started, under_construction, existing, "
            "in_progress or null",
        ),
        (
            "stats",
            "gdp@2021",
            {"rank": 0},
            "stats gdp@2021: error: schema: rank is 0; ranks start at 1",
        ),
    ],
)
def test_schema_faults(table: str, record_id: str, change: dict[str, Any], expected: str) -> None:
    data = shipped()
    record(data, table, record_id).update(change)
    assert lines(data) == [expected]


def test_missing_field() -> None:
    data = shipped()
    del record(data, "stats", "gdp@2021")["rank"]
    assert lines(data) == ["stats gdp@2021: error: schema: missing field 'rank'"]


def test_base_unit_must_be_the_units_and_the_metrics() -> None:
    data = shipped()
    record(data, "stats", "gdp@2021")["base_unit"] = "USD"
    assert lines(data) == [
        "stats gdp@2021: error: schema: base_unit is 'USD', but 亿元 is counted in CNY",
        "stats gdp@2021: error: reference: base_unit is 'USD', but metric gdp is counted in 'CNY'",
    ]


def test_two_stats_for_one_metric_and_period() -> None:
    data = shipped()
    add_stat(data, "gdp@2021", id="gdp@2021-revised")
    assert lines(data) == [
        "stats gdp@2021-revised: error: schema: id should be 'gdp@2021' (metric@period)",
        "stats gdp@2021-revised: error: schema: gdp already has a record for 2021 from "
        "dezhou-etdz-2022: gdp@2021",
    ]


def test_figure_keys_are_unique_and_shares_name_their_whole() -> None:
    data = shipped()
    record(data, "parks", "jjj-demo-zone")["figures"][1]["key"] = "park_count"
    record(data, "stats", "five_key_industries_value_added@2021")["share_of"] = None
    assert lines(data) == [
        "stats five_key_industries_value_added@2021: error: schema: share_pct and share_of go "
        "together",
        "parks jjj-demo-zone: error: schema: two figures have the key 'park_count'",
    ]


def test_store_structure_faults() -> None:
    assert lines([1, 2]) == ["store: error: schema: the JSON is a list, not an object"]
    data = shipped()
    del data["events"]
    data["parks"]["99"] = "a park"
    data["extra"] = {}
    assert lines(data) == [
        "store: error: schema: missing tables: events",
        "parks #99: error: schema: the record is not an object",
        "extra: error: schema: unknown table",
        # the 5 alliances of an event, which a relation names: gone with the events
        "relations named-alliances-of-the-five: error: reference: "
        "whole 'party-building-alliances#alliances' is not a record or figure id",
    ]


def test_hostile_ids_are_reported_escaped() -> None:
    data = shipped()
    record(data, "stats", "gdp@2021")["id"] = "gdp\x1b[31m\u202e@2021"
    report = "\n".join(lines(data))
    assert "\x1b" not in report and "\u202e" not in report
    assert report.startswith(
        "stats gdp\\x1b[31m\\u202e@2021: error: schema: id 'gdp\\x1b[31m\\u202e@2021' "
        "has spaces at an end or unprintable characters\n"
    )


# --- references ----------------------------------------------------------------------------


def test_unknown_park_metric_and_ref() -> None:
    data = shipped()
    record(data, "projects", "hi-tech-park-infrastructure")["park"] = "no-such-park"
    record(data, "targets", "target:goods_trade@2022")["metric"] = "trade"
    record(data, "events", "weixun-founded")["refs"] = ["weixun-dezhou", "nobody"]
    assert lines(data) == [
        "targets target:goods_trade@2022: error: schema: id should be 'target:trade@2022' "
        "(target:metric@period)",
        "targets target:goods_trade@2022: error: reference: metric 'trade' is not the id of any "
        "record in metrics",
        "projects hi-tech-park-infrastructure: error: reference: park 'no-such-park' is not the "
        "id of any record in parks",
        "events weixun-founded: error: reference: refs: 'nobody' is not an id in the store",
    ]


def test_unknown_source_document_of_a_figure() -> None:
    data = shipped()
    record(data, "parks", "jjj-demo-zone")["figures"][0]["source"]["doc"] = "nope"
    assert lines(data) == [
        "parks jjj-demo-zone: error: reference: figures[0].source.doc 'nope' is not the id of "
        "any record in sources"
    ]


def test_parent_cycle() -> None:
    data = shipped()
    record(data, "parks", "jjj-demo-zone")["parent"] = "hi-tech-park"
    assert lines(data) == [
        "parks jjj-demo-zone: error: reference: parent chain loops back to it: "
        "jjj-demo-zone → hi-tech-park → jjj-demo-zone",
        "parks hi-tech-park: error: reference: parent chain loops back to it: "
        "hi-tech-park → jjj-demo-zone → hi-tech-park",
    ]


# --- provenance ----------------------------------------------------------------------------


def test_missing_and_empty_quotes() -> None:
    data = shipped()
    del record(data, "parks", "hi-tech-park")["source"]
    record(data, "parks", "jjj-demo-zone")["figures"][1]["source"]["quote"] = " "
    assert lines(data) == [
        "parks jjj-demo-zone: error: provenance: 'figures[1].source.quote' is empty",
        "parks hi-tech-park: error: provenance: missing field 'source'",
    ]


def every_quote(data: Store) -> list[str]:
    quotes = []
    for table in TABLES:
        for r in data[table].values():
            for part in [r, *r.get("figures", [])]:
                if "source" in part:  # every record but a logged change
                    quotes.append(part["source"]["quote"])
                quotes += [extra["quote"] for extra in part.get("quotes", [])]
    return quotes


def test_quotes_are_found_in_the_text_ignoring_whitespace(tmp_path: Path) -> None:
    data = shipped()
    gdp_quote = record(data, "stats", "gdp@2021")["source"]["quote"]
    others = [quote for quote in every_quote(data) if quote != gdp_quote]
    # Whitespace of any kind, anywhere, does not hide a quote.
    text = "\n\u3000 ".join(" ".join(quote) for quote in others)
    (tmp_path / "dezhou-etdz-2022.txt").write_text(text, encoding="utf-8")
    report = check.report(data, tmp_path)
    assert [problem.line() for problem in report.problems] == [
        "stats gdp@2021: error: provenance: source.quote "
        "'2021年,地区生产总值达到317.19亿元,同比增长8.6%' is not in the text of dezhou-etdz-2022"
    ]
    assert report.quotes_found == len(every_quote(data)) - 1


def test_unreadable_source_texts(tmp_path: Path) -> None:
    data = shipped()
    source = record(data, "sources", "dezhou-etdz-2022")
    assert lines(data, tmp_path) == [
        f"sources dezhou-etdz-2022: error: provenance: cannot read source text "
        f"{tmp_path / 'dezhou-etdz-2022.txt'}: no such file or directory"
    ]
    (tmp_path / "dezhou-etdz-2022.txt").write_bytes(b"\xe5\xbe\xb7\xff")
    assert lines(data, tmp_path) == [
        f"sources dezhou-etdz-2022: error: provenance: source text "
        f"{tmp_path / 'dezhou-etdz-2022.txt'} is not UTF-8 (invalid byte at offset 3)"
    ]
    source["file"] = "../../etc/passwd"
    assert lines(data, tmp_path) == [
        "sources dezhou-etdz-2022: error: provenance: file '../../etc/passwd' must be a file "
        "name inside the sources directory"
    ]


# --- arithmetic ----------------------------------------------------------------------------


def test_base_value_is_value_times_unit_scale() -> None:
    data = shipped()
    record(data, "stats", "gdp@2021")["base_value"] = 31_719_000_001
    record(data, "enterprises", "weixun-dezhou")["figures"][0]["base_value"] = 530_000_000
    record(data, "stats", "services_trade_reported_amount@2021")["equivalent"]["base_value"] = 1
    assert lines(data) == [
        "stats gdp@2021: error: arithmetic: base_value is 31719000001, but 317.19 亿元 is "
        "31719000000 CNY",
        "stats services_trade_reported_amount@2021: error: arithmetic: equivalent.base_value is "
        "1, but 11433.5 万元 is 114335000 CNY",
        "enterprises weixun-dezhou: error: arithmetic: figures[0].base_value is 530000000, but "
        "53 亿元 is 5300000000 CNY",
    ]


def test_value_and_base_value_are_both_known_or_both_null() -> None:
    data = shipped()
    record(data, "stats", "gdp@2021")["base_value"] = None
    assert lines(data) == [
        "stats gdp@2021: error: arithmetic: value is 317.19 but base_value is null"
    ]


def add_total(data: Store, value: float) -> None:
    """Above-scale industrial value added in 2021, of which 54.9 亿元 is 70.3% in the store."""
    add_stat(
        data,
        "gdp@2021",
        id="above_scale_industrial_value_added@2021",
        metric="above_scale_industrial_value_added",
        value=value,
        base_value=round(value * 10**8),
        yoy_pct=None,
    )


# 54.9 stands for 54.85 to 54.95, 70.3% for 70.25 to 70.35%: the total is 54.85 / 0.7035 = 77.97
# to 54.95 / 0.7025 = 78.22, which a total reported to one decimal must meet.
@pytest.mark.parametrize("total", [78.0, 78.1, 78.2])
def test_share_agrees_with_its_total(total: float) -> None:
    data = shipped()
    add_total(data, total)
    assert lines(data) == []


@pytest.mark.parametrize("total", [77.9, 78.3, 90])
def test_share_disagrees_with_its_total(total: float) -> None:
    data = shipped()
    add_total(data, total)
    assert lines(data) == [
        "stats five_key_industries_value_added@2021: error: arithmetic: 54.9 亿元 at 70.3% "
        f"implies a total of 77.97 to 78.22 亿元, but above_scale_industrial_value_added@2021 "
        f"is {total} 亿元"
    ]


def test_share_must_be_a_percentage() -> None:
    data = shipped()
    record(data, "stats", "five_key_industries_value_added@2021")["share_pct"] = 170.3
    assert lines(data) == [
        "stats five_key_industries_value_added@2021: error: arithmetic: share_pct is 170.3, not "
        "between 0 and 100"
    ]


def add_gdp_2020(data: Store, value: float) -> None:
    """A 2020 GDP beside 2021's, whose rate is made nominal: only a rate at current prices is
    the ratio of two stored values (the shipped 8.6% is real, and is not checked so)."""
    record(data, "stats", "gdp@2021")["basis"] = "nominal"
    add_stat(
        data,
        "gdp@2021",
        id="gdp@2020",
        period="2020",
        value=value,
        base_value=round(value * 10**8),
        yoy_pct=None,
    )


# 317.19 / 1.086 = 292.07: 8.6% (8.55 to 8.65) allows 2020 values from 317.195 / 1.0865 = 291.94
# to 317.185 / 1.0855 = 292.20, widened by the 2020 value's own rounding.
@pytest.mark.parametrize("previous", [292.07, 291.95, 292.2])
def test_growth_agrees_with_consecutive_values(previous: float) -> None:
    data = shipped()
    add_gdp_2020(data, previous)
    assert lines(data) == []


def test_growth_disagrees_with_consecutive_values() -> None:
    data = shipped()
    add_gdp_2020(data, 292.5)
    # 317.185 / 292.55 - 1 = 8.42% to 317.195 / 292.45 - 1 = 8.46%: not 8.6%.
    assert lines(data) == [
        "stats gdp@2021: error: arithmetic: yoy_pct is 8.6%, but 317.19 亿元 after 292.5 亿元 "
        "(gdp@2020) is 8.42 to 8.46% growth"
    ]


def test_approximate_values_get_a_wider_band() -> None:
    data = shipped()
    add_gdp_2020(data, 300)  # 317.19 / 300 = +5.7%, not 8.6% ...
    assert len(lines(data)) == 1
    record(data, "stats", "gdp@2020")["approx"] = True  # ... unless 300 is only "about 300"
    assert lines(data) == []


def test_a_real_rate_is_not_checked_against_two_nominal_values() -> None:
    data = shipped()
    add_gdp_2020(data, 300)  # +5.7% at current prices ...
    assert len(lines(data)) == 1
    record(data, "stats", "gdp@2021")["basis"] = "real"  # ... and 8.6% at comparable prices
    assert lines(data) == []


def test_implausible_exchange_rate_is_a_warning() -> None:
    data = shipped()
    amount = record(data, "stats", "services_trade_reported_amount@2021")
    # The store's own 11433.5 万元 for 1757.5 万美元 is 6.51 CNY per USD: plausible.
    assert lines(data) == []
    amount["equivalent"].update(value=20000, base_value=200_000_000)
    assert lines(data) == [
        "stats services_trade_reported_amount@2021: warning: arithmetic: 20000 万元 for 1757.5 "
        "万美元 is 11.38 CNY per USD, outside the plausible 6.0 to 7.5"
    ]
    assert check.report(data).errors == 0


# --- the command ---------------------------------------------------------------------------


def test_command_lists_every_problem_then_fails(tmp_path: Path) -> None:
    data = shipped()
    record(data, "stats", "gdp@2021")["value"] = "317.19"
    record(data, "stats", "goods_trade@2021")["period"] = 2021
    record(data, "stats", "services_trade_reported_amount@2021")["equivalent"]["value"] = 200
    store = write(tmp_path / "facts.json", data)
    before = snapshot(store)
    records, figures = shipped_counts()

    result = runner.invoke(app, ["check", "--db", str(store)])

    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout.splitlines() == [
        "stats gdp@2021: error: schema: 'value' is the text '317.19', expected a number or null",
        "stats goods_trade@2021: error: schema: 'period' is a number 2021, expected a period "
        "(YYYY, YYYY-QN or YYYY-MM/YYYY-MM)",
        "stats services_trade_reported_amount@2021: error: arithmetic: equivalent.base_value is "
        "114335000, but 200 万元 is 2000000 CNY",
        "stats services_trade_reported_amount@2021: warning: arithmetic: 200 万元 for 1757.5 "
        "万美元 is 0.11 CNY per USD, outside the plausible 6.0 to 7.5",
        f"failed: {records} records and {figures} figures, 3 errors, 1 warning",
    ]
    assert snapshot(store) == before


def test_command_passes_with_only_warnings(tmp_path: Path) -> None:
    data = shipped()
    record(data, "stats", "services_trade_reported_amount@2021")["equivalent"].update(
        value=20000, base_value=200_000_000
    )
    result = runner.invoke(app, ["check", "--db", str(write(tmp_path / "facts.json", data))])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines()[-1].endswith(", 0 errors, 1 warning")


def test_other_commands_refuse_what_check_lists(tmp_path: Path) -> None:
    data = shipped()
    record(data, "stats", "gdp@2021")["value"] = "317.19"
    store = write(tmp_path / "facts.json", data)
    result = runner.invoke(app, ["stats", "2021", "--db", str(store)])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"dz: error: cannot read store {store}: table 'stats' is malformed (record 'gdp@2021': "
        "'value' is the text '317.19', expected a number or null)\n"
    )


def test_unreadable_store_is_an_error_not_a_report(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "--db", str(tmp_path / "nope.json")])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"dz: error: cannot read store {tmp_path / 'nope.json'}: no such file\n"


def test_sources_must_be_a_directory(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "--sources", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.stderr.startswith("dz: error: ")
    assert "'--sources'" in result.stderr and str(tmp_path / "nope") in result.stderr


def test_a_share_and_its_whole_must_count_the_same_thing() -> None:
    data = shipped()
    record(data, "metrics", "above_scale_industrial_value_added").update(
        unit="家", base_unit="count"
    )
    record(data, "stats", "above_scale_industrial_value_added@2022-Q1").update(
        unit="家", base_unit="count"
    )
    assert lines(data) == [
        "stats five_key_industries_value_added@2021: error: reference: share_of "
        "above_scale_industrial_value_added is counted in 'count', but metric "
        "five_key_industries_value_added in 'CNY'"
    ]


def test_a_value_too_large_for_floats_is_still_checked_exactly() -> None:
    data = shipped()
    record(data, "stats", "gdp@2021")["value"] = 10**400
    arithmetic, bounds = lines(data)
    assert arithmetic.startswith(
        "stats gdp@2021: error: arithmetic: base_value is 31719000000, but 1"
    )
    assert bounds == (
        "stats gdp@2021: error: plausibility: value is 100000000000…(401 digits), beyond ±1e+15: "
        "not a real statistic"
    )


# --- plausibility --------------------------------------------------------------------------


def test_a_count_is_whole() -> None:
    data = shipped()
    record(data, "stats", "services_trade_entries@2021").update(value=18.5, base_value=18.5)
    name = "stats services_trade_entries@2021"
    assert lines(data) == [
        f"{name}: error: plausibility: value is 18.5, but a count is a whole number",
        f"{name}: error: plausibility: base_value is 18.5, but a count is a whole number",
    ]


def test_a_negative_count_is_an_error_of_the_sign_rule() -> None:
    data = shipped()
    record(data, "stats", "services_trade_entries@2021").update(value=-3, base_value=-3)
    name = "stats services_trade_entries@2021"
    assert lines(data) == [
        f"{name}: error: plausibility: value is -3, but a count cannot be negative",
        f"{name}: error: plausibility: base_value is -3, but a count cannot be negative",
    ]


def test_a_count_in_a_figure_is_checked_too() -> None:
    data = shipped()
    figure = record(data, "events", "leading-industries-focus")["figures"][0]
    assert figure["unit"] == "个"
    figure.update(value=-1, base_value=-1)
    assert lines(data) == [
        "events leading-industries-focus: error: plausibility: figures[0].value is -1, but a "
        "count cannot be negative",
        "events leading-industries-focus: error: plausibility: figures[0].base_value is -1, but "
        "a count cannot be negative",
    ]


def test_growth_below_minus_100_percent() -> None:
    data = shipped()
    record(data, "stats", "gdp@2021")["yoy_pct"] = -100
    assert lines(data) == []  # all of it lost: possible
    record(data, "stats", "gdp@2021")["yoy_pct"] = -100.5
    assert lines(data) == [
        "stats gdp@2021: error: plausibility: yoy_pct is -100.5%, below -100% (more than all "
        "of it lost)"
    ]


def test_dates_and_periods_in_a_plausible_range() -> None:
    data = shipped()
    record(data, "events", "weixun-founded")["date"] = "1800"
    record(data, "events", "weixun-chooses-dezhou")["date"] = "2072-12-31"  # source: 2022
    assert lines(data) == []
    record(data, "events", "weixun-founded")["date"] = "1799-12"
    record(data, "events", "weixun-chooses-dezhou")["date"] = "2073"
    record(data, "parks", "jjj-demo-zone")["figures"][0]["period"] = "2021-12/2073-01"
    assert lines(data) == [
        "parks jjj-demo-zone: error: plausibility: figures[0].period 2021-12/2073-01 is more "
        "than 50 years after its source (dezhou-etdz-2022, 2022)",
        "events weixun-founded: error: plausibility: date 1799-12 is before 1800",
        "events weixun-chooses-dezhou: error: plausibility: date 2073 is more than 50 years "
        "after its source (dezhou-etdz-2022, 2022)",
    ]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("yoy_pct", 10_000.5, "yoy_pct is 10000.5, beyond ±10000"),
        ("vs_city_avg_pp", -20_000, "vs_city_avg_pp is -20000, beyond ±10000"),
        ("value", 2e15, "value is 2000000000000000.0, beyond ±1e+15"),
    ],
)
def test_values_no_statistic_can_have(field: str, value: float, expected: str) -> None:
    data = shipped()
    stat = record(data, "stats", "gdp@2021")
    stat[field] = value
    if field == "value":  # in 元, so that the base value (and its arithmetic) stays in bounds
        stat.update(unit="元", base_value=value)
    assert lines(data) == [f"stats gdp@2021: error: plausibility: {expected}: not a real statistic"]


def test_a_base_value_beyond_1e18() -> None:
    data = shipped()
    figure = record(data, "enterprises", "weixun-dezhou")["figures"][0]
    figure.update(value=2e10, base_value=2e18)  # 2e10 亿元: within 1e15 in its own unit
    assert lines(data) == [
        "enterprises weixun-dezhou: error: plausibility: figures[0].base_value is 2e+18, beyond "
        "±1e+18: not a real statistic"
    ]


def test_a_percentage_value_is_bounded_as_a_rate() -> None:
    data = shipped()
    add_stat(
        data,
        "gdp@2021",
        id="gdp_share@2021",
        metric="gdp_share",
        unit="%",
        base_unit="percent",
        value=20_000,
        base_value=20_000,
        yoy_pct=None,
    )
    assert lines(data) == [
        "stats gdp_share@2021: error: reference: metric 'gdp_share' is not the id of any record "
        "in metrics",
        "stats gdp_share@2021: error: plausibility: value is 20000, beyond ±10000: not a real "
        "statistic",
    ]


# --- consistency ---------------------------------------------------------------------------


def test_status_zh_contradicting_status() -> None:
    data = shipped()
    project = record(data, "projects", "youyan-12-inch-wafers")
    project["status_zh"] = "已签约"  # other words around a known one: still signed
    assert lines(data) == []
    project["status_zh"] = "签约并开工"  # two stages named: not a clear contradiction
    assert lines(data) == []
    project["status_zh"] = "建成"
    assert lines(data) == [
        "projects youyan-12-inch-wafers: error: consistency: status_zh '建成' means existing, "
        "but status is signed"
    ]


def test_industry_zh_contradicting_industry() -> None:
    data = shipped()
    record(data, "projects", "donghua-software")["industry_zh"] = "数字经济"
    assert lines(data) == [
        "projects donghua-software: error: consistency: industry_zh '数字经济' means "
        "digital_economy, but industry is electronic_information"
    ]


def test_a_park_alias_must_not_name_another_park() -> None:
    data = shipped()
    record(data, "parks", "hi-tech-park")["aliases"] = ["电子信息产业园"]
    record(data, "parks", "solar-town-tech-park")["aliases"] = ["京鲁数谷"]
    assert lines(data) == [
        "parks hi-tech-park: error: consistency: alias '电子信息产业园' is also a name or alias "
        "of park electronic-information-park",
        "parks solar-town-tech-park: error: consistency: alias '京鲁数谷' is also a name or "
        "alias of park jinglu-shugu-park",
    ]


def test_two_metrics_with_one_name() -> None:
    data = shipped()
    record(data, "metrics", "services_trade")["name_en"] = "GROSS REGIONAL PRODUCT"
    record(data, "metrics", "ipo_approvals")["name_zh"] = "地区生产总值"
    assert lines(data) == [
        "metrics ipo_approvals: error: consistency: name_zh '地区生产总值' is also the name of "
        "metric gdp",
        "metrics services_trade: error: consistency: name_en 'GROSS REGIONAL PRODUCT' is also the "
        "name of metric gdp",
    ]


@pytest.mark.parametrize("spelled", ["\uff27\uff24\uff30", "GDP"])
def test_ids_that_differ_only_by_unicode_form_or_case(spelled: str) -> None:
    data = shipped()
    record(data, "enterprises", "samsung")["id"] = spelled
    assert lines(data) == [
        f"enterprises {spelled}: error: consistency: id {spelled!r} differs from id 'gdp' only "
        "by Unicode form or case"
    ]


def test_composed_and_decomposed_ids_are_one() -> None:
    data = shipped()
    record(data, "enterprises", "apple")["id"] = "cafe\u0301"  # apple comes first in the file
    record(data, "enterprises", "samsung")["id"] = "caf\u00e9"
    assert lines(data) == [
        "enterprises caf\u00e9: error: consistency: id 'caf\u00e9' differs from id 'cafe\u0301' "
        "only by Unicode form or case"
    ]


def test_rank_scope_needs_a_rank() -> None:
    data = shipped()
    record(data, "stats", "goods_trade@2021")["rank"] = None
    assert lines(data) == [
        "stats goods_trade@2021: error: consistency: rank_scope is '全市' but rank is null"
    ]


def test_a_rank_scope_of_an_area_whose_aliases_are_not_a_list() -> None:
    data = shipped()
    record(data, "areas", "dezhou-city")["aliases"] = True
    found = lines(data)
    assert any("areas dezhou-city" in line and "aliases" in line for line in found), found
    # '全市' was one of its aliases: without them, not one of its names (said, not a crash).
    assert any("rank_scope '全市' is not a name" in line for line in found), found


def test_an_equivalent_in_the_same_currency() -> None:
    data = shipped()
    amount = record(data, "stats", "services_trade_reported_amount@2021")
    amount["equivalent"].update(unit="万美元", base_unit="USD")
    assert lines(data) == [
        "stats services_trade_reported_amount@2021: error: consistency: equivalent is in USD, "
        "the unit of the amount itself"
    ]


# --- references and provenance, new rules -------------------------------------------------


def test_an_event_that_refers_to_itself() -> None:
    data = shipped()
    record(data, "events", "weixun-founded")["refs"].append("weixun-founded")
    assert lines(data) == [
        "events weixun-founded: error: reference: refs: 'weixun-founded' is the event itself"
    ]


@pytest.mark.parametrize("quote", ["\u200b\u200b", "\u3000\u2060\u200d", "\ufeff"])
def test_a_quote_of_invisible_characters(quote: str) -> None:
    data = shipped()
    record(data, "stats", "gdp@2021")["source"]["quote"] = quote
    shown = repr(quote).encode("unicode_escape").decode()  # as printable() writes it
    assert lines(data) == [
        f"stats gdp@2021: error: provenance: source.quote {visible(repr(quote))} holds "
        "only invisible characters"
    ]
    assert "\\u" in shown


def test_quote_with_one_visible_character_is_not_invisible() -> None:
    data = shipped()
    record(data, "stats", "gdp@2021")["source"]["quote"] = "\u200b德\u200b"
    assert lines(data) == []


# --- arithmetic, new rules -----------------------------------------------------------------


def test_a_quarter_larger_than_its_year_is_a_warning() -> None:
    data = shipped()
    add_stat(
        data, "gdp@2021", id="gdp@2021-Q1", period="2021-Q1", value=317.2, base_value=31_720_000_000
    )
    record(data, "stats", "gdp@2021-Q1")["yoy_pct"] = None
    assert lines(data) == [
        "stats gdp@2021-Q1: warning: arithmetic: 317.2 亿元 for 2021-Q1 is more than 317.19 亿元 "
        "for the whole year (gdp@2021)"
    ]
    assert check.report(data).errors == 0
    record(data, "stats", "gdp@2021-Q1").update(value=317.19, base_value=31_719_000_000)
    assert lines(data) == []  # equal is possible: the rest of the year added nothing


def test_a_count_quarter_larger_than_its_year_is_not_money() -> None:
    data = shipped()
    add_stat(
        data,
        "registered_services_trade_enterprises@2021",
        id="registered_services_trade_enterprises@2021-Q1",
        period="2021-Q1",
        value=30,
        base_value=30,
    )
    assert lines(data) == []


# --- duplicate keys ------------------------------------------------------------------------


def test_duplicate_keys_are_reported_with_their_place(tmp_path: Path) -> None:
    text = json.dumps(shipped(), ensure_ascii=False)
    # A value written twice in a record, a key twice in a figure's source, a document id twice.
    text = text.replace('"value": 317.19,', '"value": 317.19, "value": 318,', 1)
    quote = '"quote": "总建筑面积229万平方米"'
    assert text.count(quote) == 1
    text = text.replace(quote, f"{quote}, {quote}, {quote}")
    text = text.replace('"sources": {', '"sources": {"1": {}, ', 1)
    store = tmp_path / "facts.json"
    store.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", "--db", str(store)])
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout.splitlines()[:-1] == [
        "stats gdp@2021: error: schema: key 'value' appears twice in the record; JSON readers "
        "keep only the last",
        "parks jjj-demo-zone: error: schema: key 'quote' appears 3 times in "
        "'figures[1].source'; JSON readers keep only the last",
        "sources: error: schema: document id '1' appears twice; JSON readers keep only the last",
        # The readers keep the last value: 318, which its base value does not match.
        "stats gdp@2021: error: arithmetic: base_value is 31719000000, but 318 亿元 is "
        "31800000000 CNY",
    ]


# --- the list of rules ---------------------------------------------------------------------


def test_every_rule_is_in_the_docs() -> None:
    section = doc("checks.md").split("## `dz check`", 1)[1].split("\n## ", 1)[0]
    missing = [rule.name for rule in check.RULES if f"`{rule.name}`" not in section]
    assert missing == []


def test_rule_names_are_unique_and_each_rule_has_a_docstring() -> None:
    names = [rule.name for rule in check.RULES]
    assert len(names) == len(set(names))
    assert all(rule.find.__doc__ for rule in check.RULES)


def test_problems_are_yielded_lazily() -> None:
    data = shipped()
    record(data, "stats", "gdp@2021")["value"] = "317.19"
    problems = check.Audit(data).problems()
    first = next(problems)  # the validator's, before any rule has run
    assert first.rule == "validator" and "'value' is the text '317.19'" in first.message


# --- what --sources reads ------------------------------------------------------------------


def sources_dir_with(tmp_path: Path, make: Any) -> Path:
    directory = tmp_path / "sources"
    directory.mkdir()
    make(directory / "dezhou-etdz-2022.txt")
    return directory


def test_a_fifo_source_is_refused_without_waiting(tmp_path: Path) -> None:
    directory = sources_dir_with(tmp_path, os.mkfifo)  # no writer: a blocking open would hang
    assert lines(shipped(), directory) == [
        f"sources dezhou-etdz-2022: error: provenance: cannot read source text "
        f"{directory / 'dezhou-etdz-2022.txt'}: not a regular file"
    ]


def test_a_device_source_is_refused(tmp_path: Path) -> None:
    directory = sources_dir_with(tmp_path, lambda path: path.symlink_to("/dev/zero"))
    assert lines(shipped(), directory) == [
        f"sources dezhou-etdz-2022: error: provenance: cannot read source text "
        f"{directory / 'dezhou-etdz-2022.txt'}: not a regular file"
    ]


def test_a_source_text_larger_than_the_cap_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dzcli.check.rules import provenance

    monkeypatch.setattr(provenance, "MAX_SOURCE_BYTES", 1 << 20)
    # At the cap, it is read (and, being only spaces, holds none of the quotes) ...
    directory = sources_dir_with(tmp_path, lambda path: path.write_bytes(b" " * (1 << 20)))
    assert lines(shipped(), directory)[0].endswith("is not in the text of dezhou-etdz-2022")
    # ... one byte more, and it is not.
    (directory / "dezhou-etdz-2022.txt").write_bytes(b" " * ((1 << 20) + 1))
    assert lines(shipped(), directory) == [
        f"sources dezhou-etdz-2022: error: provenance: cannot read source text "
        f"{directory / 'dezhou-etdz-2022.txt'}: larger than 1 MiB"
    ]


# --- the validator on its own --------------------------------------------------------------


def test_one_record_is_checked_on_its_own() -> None:
    from dzcli.model.kinds import BY_TABLE

    gdp = copy.deepcopy(record(shipped(), "stats", "gdp@2021"))
    assert list(shape.record_problems(BY_TABLE["stats"], gdp)) == []
    gdp.update(value="317", unit="亿")
    del gdp["note"]
    found = [(m.field, m.message, m.refused) for m in shape.record_problems(BY_TABLE["stats"], gdp)]
    assert found == [
        ("value", "'value' is the text '317', expected a number or null", True),
        ("note", "missing field 'note'", False),
        (
            "unit",
            "unit '亿' is not known (known: 元 万元 亿元 美元 万美元 亿美元 平方米 万平方米 % 家 "
            "个 条 年)",
            False,
        ),
    ]
    # What the reader refuses is what `complete=False` yields.
    refused = list(shape.record_problems(BY_TABLE["stats"], gdp, complete=False))
    assert [m.field for m in refused] == ["value"]


def test_the_reader_refuses_exactly_the_refused_misfits() -> None:
    data = shipped()
    record(data, "stats", "gdp@2021")["unit"] = "亿"  # check reports it; commands still work
    assert shape.first_refusal(data) is None
    record(data, "enterprises", "samsung")["id"] = "apple"  # an id twice in one table
    misfit = shape.first_refusal(data)
    assert misfit is not None
    assert (misfit.table, misfit.message) == (
        "enterprises",
        "id 'apple' is also the id of a record in enterprises",
    )


def test_absurd_numbers_are_reported_in_short_lines() -> None:
    data = shipped()
    record(data, "stats", "gdp@2021").update(value=1e200, base_value=1e208)
    add_gdp_2020(data, 1e-100)
    record(data, "stats", "gdp@2020")["base_value"] = 1e-92
    found = lines(data)
    # A growth of about 10^302 percent, in 3 significant digits rather than 303 of them.
    assert found[0] == (
        "stats gdp@2021: error: arithmetic: yoy_pct is 8.6%, but 1e+200 亿元 after 1e-100 亿元 "
        "(gdp@2020) is 6.67e+301 to 2e+302% growth"
    )
    assert all(len(line) < 200 for line in found), found


# --- any store: a report, never a crash ----------------------------------------------------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**300, max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8)
    | st.sampled_from(
        ["2021", "2021-Q1", "1799", "9999", "2021-01/2021-11", "亿元", "家", "%", "CNY", "\u200b"]
    )
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["doc", "quote", "value", "unit", "base_unit", "period", "x"]),
            children,
        )
    ),
    max_leaves=8,
)
field_names = st.sampled_from(
    sorted({name for fields in shape.RECORD_FIELDS.values() for name in fields})
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=st.sampled_from([t for t in TABLES if t != "log"]),  # the shipped log is empty
    index=st.integers(min_value=0, max_value=20),
    changes=st.dictionaries(field_names, json_values, max_size=4),
)
def test_any_change_to_a_record_gives_a_report(
    table: str, index: int, changes: dict[str, Any]
) -> None:
    data = shipped()
    records = list(data[table].values())
    records[index % len(records)].update(changes)
    report = check.report(data)
    for problem in report.problems:
        assert "\n" not in problem.line()
    assert report.errors <= len(report.problems)


def test_an_id_twice_in_one_table_is_named_as_such_even_if_another_table_has_it() -> None:
    data = shipped()
    record(data, "enterprises", "samsung")["id"] = "gdp"  # a metric's id: check reports it
    assert shape.first_refusal(data) is None
    record(data, "enterprises", "apple")["id"] = "gdp"  # twice in enterprises: refused
    misfit = shape.first_refusal(data)
    assert misfit is not None
    assert misfit.message == "id 'gdp' is also the id of a record in enterprises"
