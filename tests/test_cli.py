"""Every command and filter of issue 2, through the CLI, against the shipped store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import snapshot
from typer.testing import CliRunner

from dzcli.cli import app

runner = CliRunner()


def run_json(*args: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def fail(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def by_metric(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["metric"]: row for row in rows if row["kind"] == "reported"}


# --- stats ---------------------------------------------------------------------------------


def test_stats_2021_reports_the_headline_figures() -> None:
    rows = by_metric(run_json("stats", "2021"))
    gdp = rows["gdp"]
    assert (gdp["value"], gdp["unit"], gdp["yoy_pct"]) == (317.19, "亿元", 8.6)
    assert (gdp["base_value"], gdp["base_unit"]) == (31_719_000_000, "CNY")
    assert (gdp["name_zh"], gdp["category"], gdp["kind"]) == ("地区生产总值", "economy", "reported")
    assert gdp["source"] == {
        "doc": "dezhou-etdz-2022",
        "quote": "2021年,地区生产总值达到317.19亿元,同比增长8.6%",
    }
    revenue = rows["general_public_budget_revenue"]
    assert (revenue["value"], revenue["yoy_pct"], revenue["vs_city_avg_pp"]) == (29.73, 14.09, 1.79)
    trade = rows["goods_trade"]
    assert (trade["value"], trade["rank"], trade["rank_scope"], trade["yoy_pct"]) == (
        112,
        2,
        "全市",
        19.2,
    )
    industry = rows["five_key_industries_value_added"]
    assert (industry["value"], industry["share_pct"], industry["yoy_pct"]) == (54.9, 70.3, 17.2)
    fdi = rows["foreign_capital_actually_used"]
    assert (fdi["value"], fdi["unit"], fdi["base_unit"], fdi["yoy_pct"]) == (
        2136,
        "万美元",
        "USD",
        48.44,
    )


def test_stats_json_carries_the_contract_fields() -> None:
    contract = {
        "metric",
        "name_zh",
        "name_en",
        "category",
        "period",
        "value",
        "unit",
        "base_value",
        "base_unit",
        "yoy_pct",
        "kind",
        "note",
        "source",
    }
    for row in run_json("stats", "2021"):
        assert contract <= set(row)
        assert set(row["source"]) == {"doc", "quote"}


def test_a_year_includes_its_quarters() -> None:
    rows = run_json("stats", "2022")
    assert [(r["metric"], r["period"], r["value"], r["yoy_pct"]) for r in rows] == [
        ("above_scale_industrial_value_added", "2022-Q1", None, 7.2)
    ]
    assert run_json("stats", "2022-Q1") == rows


def test_no_period_means_the_latest_year() -> None:
    assert run_json("stats") == run_json("stats", "2022")


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--metric", "gdp", ["gdp"]),
        ("--metric", "地区生产总值", ["gdp"]),
        ("--metric", "foreign capital", ["foreign_capital_actually_used"]),
        ("--category", "fiscal", ["general_public_budget_revenue"]),
    ],
)
def test_stats_filters(option: str, value: str, expected: list[str]) -> None:
    assert [row["metric"] for row in run_json("stats", "2021", option, value)] == expected


def test_stats_table_shows_value_unit_and_signed_growth() -> None:
    result = runner.invoke(app, ["stats", "2021", "--lang", "zh"])
    assert result.exit_code == 0
    line = next(line for line in result.stdout.splitlines() if "地区生产总值" in line)
    assert "317.19 亿元" in line
    assert "+8.6%" in line


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["stats", "1999"], 1, "dz: error: no statistics for 1999 (available: 2021, 2022)\n"),
        (
            ["stats", "20x1"],
            2,
            "dz: error: invalid period '20x1' (expected YYYY, YYYY-QN or YYYY-MM/YYYY-MM)\n",
        ),
        (
            ["stats", "2021", "--category", "sport"],
            1,
            "dz: error: no category matches 'sport'; choose from capital_markets, economy, fiscal, "
            "industry, investment, trade\n",
        ),
        (["show", "nothing-here"], 1, "dz: error: no record with id 'nothing-here'\n"),
        (["stats", "--bogus-flag"], 2, "dz: error: No such option: --bogus-flag\n"),
    ],
)
def test_errors_are_one_line_with_exit_code_and_leave_the_store_alone(
    facts_db: Path, args: list[str], code: int, message: str
) -> None:
    before = snapshot(facts_db)
    exit_code, stdout, stderr = fail(*args)
    assert (exit_code, stdout, stderr) == (code, "", message)
    assert snapshot(facts_db) == before


def test_a_missing_store_is_an_error_and_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    exit_code, stdout, stderr = fail("stats", "--db", str(missing))
    assert (exit_code, stdout) == (1, "")
    assert stderr == f"dz: error: cannot read store {missing}: no such file\n"
    assert not missing.exists()


def test_db_option_beats_dz_db(tmp_path: Path, facts_db: Path) -> None:
    data = json.loads(facts_db.read_text(encoding="utf-8"))
    data["stats"]["1"]["value"] = 1.5
    other = tmp_path / "other.json"
    other.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    rows = run_json("stats", "2021", "--db", str(other))
    assert rows[0]["value"] == 1.5
    assert run_json("stats", "2021")[0]["value"] == 54.9


# --- growth ----------------------------------------------------------------------------------


def test_growth_derives_the_previous_value_of_a_nominal_rate_with_its_formula() -> None:
    rows = run_json("growth", "general_public_budget_revenue")
    assert [(r["period"], r["kind"]) for r in rows] == [("2021", "reported"), ("2020", "derived")]
    derived = rows[1]
    assert derived["value"] == round(29.73 / 1.1409, 2) == 26.06
    assert derived["formula"] == "value / (1 + yoy_pct / 100)"
    assert derived["basis"] == "nominal"
    assert derived["inputs"] == {
        "value": 29.73,
        "yoy_pct": 14.09,
        "from": "general_public_budget_revenue@2021",
    }
    assert derived["unit"] == "亿元"


def test_a_real_growth_rate_never_becomes_the_previous_years_value() -> None:
    """GDP grows at comparable prices: 317.19 / 1.086 is 2020's output at 2021's prices, not
    2020's GDP, so dz derives no 2020 row from it, in any format."""
    rows = run_json("growth", "gdp")
    assert [(r["period"], r["kind"], r["basis"]) for r in rows] == [("2021", "reported", "real")]
    for fmt in ("csv", "tsv", "md", "table"):
        shown = runner.invoke(app, ["growth", "gdp", "--format", fmt]).stdout
        assert "292.07" not in shown and "2020" not in shown


def test_growth_skips_metrics_without_growth_and_keeps_rate_only_ones() -> None:
    rows = run_json("growth")
    metrics = {r["metric"] for r in rows}
    assert "services_trade" not in metrics  # no rate reported
    quarter = [r for r in rows if r["metric"] == "above_scale_industrial_value_added"]
    assert [(r["period"], r["kind"], r["yoy_pct"]) for r in quarter] == [
        ("2022-Q1", "reported", 7.2)
    ]


def test_growth_computes_the_rate_from_consecutive_periods(two_year_store: Path) -> None:
    rows = run_json("growth", "gdp", "--db", str(two_year_store))
    computed = [r for r in rows if r["kind"] == "derived" and r["period"] == "2021"]
    assert len(computed) == 1
    assert computed[0]["yoy_pct"] == round((317.19 / 300 - 1) * 100, 2) == 5.73
    assert computed[0]["formula"] == "(value / previous_value - 1) * 100"


# --- targets -------------------------------------------------------------------------------


def test_targets_sit_beside_the_latest_actual_with_required_growth() -> None:
    rows = {r["metric"]: r for r in run_json("targets", "2022")}
    trade = rows["goods_trade"]
    assert (trade["value"], trade["unit"]) == (121, "亿元")
    assert trade["actual"]["id"] == "goods_trade@2021"
    assert trade["actual"]["value"] == 112
    required = trade["required_growth"]
    assert required["kind"] == "derived"
    assert required["value_pct"] == round((121 / 112 - 1) * 100, 2) == 8.04
    assert required["formula"] == "((target / actual) ** (1 / years) - 1) * 100"
    listings = rows["qilu_equity_exchange_listings"]
    assert (listings["value"], listings["actual"], listings["required_growth"]) == (12, None, None)


def test_targets_without_year_include_open_ended_aims() -> None:
    periods = [r["period"] for r in run_json("targets")]
    assert periods.count("2022") == 5
    assert periods.count(None) == 2


def test_targets_for_a_year_without_any() -> None:
    assert fail("targets", "2030") == (
        1,
        "",
        "dz: error: no targets for 2030 (available: 2022; and 2 open-ended aims: dz targets)\n",
    )


# --- parks and projects ----------------------------------------------------------------------


def test_parks_show_the_hierarchy_and_figures() -> None:
    rows = {r["id"]: r for r in run_json("parks")}
    zone = rows["jjj-demo-zone"]
    assert {"hi-tech-park", "electronic-information-park"} <= set(zone["children"])
    assert rows["hi-tech-park"]["parent"] == "jjj-demo-zone"
    assert rows["hi-tech-park"]["depth"] == 1
    figures = {f["key"]: (f["value"], f["unit"]) for f in zone["figures"]}
    assert figures["park_count"] == (11, "个")
    assert figures["floor_area"] == (229, "万平方米")
    assert figures["total_investment"] == (105.6, "亿元")
    assert figures["plots_under_construction"] == (6, "个")


@pytest.mark.parametrize("park", ["高新产业园", "hi-tech-park", "High-Tech", "高新"])
def test_projects_by_park_name_id_or_part(park: str) -> None:
    rows = run_json("projects", "--park", park)
    assert [r["id"] for r in rows] == ["hi-tech-park-infrastructure"]
    assert rows[0]["park"] == "hi-tech-park"


def test_a_park_includes_its_sub_parks() -> None:
    rows = run_json("projects", "--park", "京津冀协同发展产业示范区")
    assert [r["id"] for r in rows] == ["hi-tech-park-infrastructure"]


def test_projects_with_unstated_park_are_listed_not_dropped() -> None:
    rows = run_json("projects")
    unplaced = [r["id"] for r in rows if r["park"] is None]
    assert "youyan-12-inch-wafers" in unplaced
    assert rows[-1]["park"] is None  # after every placed project
    result = runner.invoke(app, ["projects", "--lang", "en"])
    assert "Park not stated" in result.stdout


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        (
            "--status",
            "signed",
            {"youyan-12-inch-wafers", "youyan-yijin-ic-targets", "donghua-software"},
        ),
        ("--status", "原有", {"youyan-8-inch-wafers", "weixun-semiconductor"}),
        (
            "--industry",
            "电子信息",
            {
                "youyan-12-inch-wafers",
                "youyan-yijin-ic-targets",
                "donghua-software",
                "youyan-8-inch-wafers",
                "weixun-semiconductor",
            },
        ),
    ],
)
def test_projects_filters(option: str, value: str, expected: set[str]) -> None:
    assert {r["id"] for r in run_json("projects", option, value)} == expected


def test_an_ambiguous_park_lists_the_candidates() -> None:
    code, stdout, stderr = fail("projects", "--park", "产业园")
    assert (code, stdout) == (1, "")
    assert stderr.startswith("dz: error: park '产业园' is ambiguous")
    assert "did you mean" in stderr
    assert "高新产业园 (hi-tech-park)" in stderr and "电子信息产业园" in stderr
    assert stderr.count("\n") == 1


def test_a_mistyped_park_gets_did_you_mean() -> None:
    code, _, stderr = fail("projects", "--park", "高薪产业园")
    assert code == 1
    assert stderr.startswith(
        "dz: error: no park matches '高薪产业园'; did you mean 高新产业园 (hi-tech-park)"
    )


# --- enterprises, show, search, version ----------------------------------------------------


def test_enterprises_carry_roles_and_figures() -> None:
    rows = {r["name_zh"]: r for r in run_json("enterprises")}
    weixun = rows["威讯联合半导体(德州)有限公司"]
    revenue = next(f for f in weixun["figures"] if f["key"] == "revenue")
    assert (revenue["period"], revenue["value"], revenue["unit"]) == ("2021-01/2021-11", 53, "亿元")
    assert rows["中机寰宇认证检验有限公司"]["park"] == "jjj-demo-zone"


def test_events_are_in_date_order_with_undated_last() -> None:
    dates = [r["date"] for r in run_json("events")]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated)
    assert dates[: len(dated)] == dated
    assert "2022-05-10" in dates


def test_show_returns_one_whole_record_with_its_quote() -> None:
    [row] = run_json("show", "hi-tech-park-infrastructure")
    assert row["type"] == "project"
    assert row["source"]["quote"].startswith("5月10日,高新产业园项目施工现场")


def test_show_unknown_id_suggests_close_ones() -> None:
    code, _, stderr = fail("show", "gdp@2020")
    assert code == 1
    assert stderr.startswith("dz: error: no record with id 'gdp@2020'; did you mean gdp@2021")


def test_search_finds_chinese_and_english_text() -> None:
    zh = {r["id"] for r in run_json("search", "威讯")}
    assert {"weixun-dezhou", "weixun-semiconductor", "weixun-founded"} <= zh
    en = {r["id"] for r in run_json("search", "wafers")}
    assert en == {"youyan-12-inch-wafers", "youyan-8-inch-wafers"}
    assert run_json("search", "no-such-text-anywhere") == []


def test_a_search_of_thousands_of_words_still_checks_every_one() -> None:
    """More words than SQLite's expression depth (1,000) takes: found by the first of them,
    then checked against every one."""
    many = " ".join(f"w{n}" for n in range(1500))
    assert run_json("search", " ".join(["威讯"] * 1500)) == run_json("search", "威讯")
    assert run_json("search", f"威讯 {many}") == []
    assert run_json("search", f"{many} 威讯") == []


def test_version() -> None:
    from dzcli import __version__

    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.stdout) == (0, f"dz {__version__}\n")


def test_json_is_utf8_not_escaped() -> None:
    result = runner.invoke(app, ["stats", "2021", "--json"])
    assert "地区生产总值" in result.stdout
    assert "\\u" not in result.stdout


# --- filters that combine, defaults that follow the filter --------------------------------


def test_park_and_status_together_can_match_nothing() -> None:
    assert run_json("projects", "--park", "高新产业园", "--status", "signed") == []
    assert run_json("projects", "--park", "高新产业园", "--industry", "电子信息") == []


def test_a_status_no_project_has_is_still_an_error() -> None:
    code, _, stderr = fail("projects", "--park", "高新产业园", "--status", "planned")
    assert code == 1
    assert stderr.startswith("dz: error: no status matches 'planned'; ")


def test_no_period_means_the_latest_year_of_the_metric_asked_for() -> None:
    assert [(r["metric"], r["period"]) for r in run_json("stats", "--metric", "gdp")] == [
        ("gdp", "2021")
    ]
    assert {r["period"] for r in run_json("stats", "--category", "trade")} == {"2021"}


def test_category_ignores_case() -> None:
    assert run_json("stats", "2021", "--category", "FISCAL") == run_json(
        "stats", "2021", "--category", "fiscal"
    )


FULLWIDTH_2021 = "\uff12\uff10\uff12\uff11"  # digits to a regex's \d, not to a period


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["targets", "2022-Q1"],
            "invalid year '2022-Q1' (expected YYYY: targets are set for years; "
            "did you mean '2022'?)",
        ),
        (
            ["stats", "\u0662\u0660\u0662\u0661"],  # Arabic-Indic digits: \d, not a year
            "invalid period '\u0662\u0660\u0662\u0661' (expected YYYY, YYYY-QN or YYYY-MM/YYYY-MM)",
        ),
    ],
)
def test_malformed_years_are_usage_errors(args: list[str], message: str) -> None:
    assert fail(*args) == (2, "", f"dz: error: {message}\n")


def test_a_full_width_year_is_read_as_the_year_it_is_typed_for() -> None:
    # A Chinese input method in full-width mode types full-width digits: the period is 2021.
    assert run_json("stats", FULLWIDTH_2021) == run_json("stats", "2021")


def test_a_bad_field_is_a_usage_error_before_the_store_is_read(tmp_path: Path) -> None:
    code, _, stderr = fail("stats", "1999", "--fields", "vaule", "--db", str(tmp_path / "none"))
    assert code == 2
    assert stderr.startswith("dz: error: unknown field 'vaule' for stat (did you mean 'value'?)")


def test_parks_in_a_parent_cycle_are_still_listed(tmp_path: Path, facts_db: Path) -> None:
    data = json.loads(facts_db.read_text(encoding="utf-8"))
    zone = next(r for r in data["parks"].values() if r["id"] == "jjj-demo-zone")
    zone["parent"] = "hi-tech-park"
    store = tmp_path / "cycle.json"
    store.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    ids = [r["id"] for r in run_json("parks", "--db", str(store))]
    assert sorted(ids) == sorted(r["id"] for r in data["parks"].values())
    [project] = run_json("projects", "--park", "高新产业园", "--db", str(store))
    assert project["park_name_zh"] == "高新产业园"


def test_growth_survives_a_stat_without_period_or_with_a_huge_value(
    tmp_path: Path, facts_db: Path
) -> None:
    data = json.loads(facts_db.read_text(encoding="utf-8"))
    stats = {r["id"]: r for r in data["stats"].values()}
    del stats["gdp@2021"]["period"]
    stats["goods_trade@2021"]["value"] = 10**400
    store = tmp_path / "odd.json"
    store.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    rows = run_json("growth", "--db", str(store))
    derived = {r["metric"] for r in rows if r["kind"] == "derived"}
    assert "gdp" not in derived and "goods_trade" not in derived
    assert "general_public_budget_revenue" in derived


@pytest.mark.parametrize("code", ["dezhou-etdz-2022", "reported", "CNY"])
def test_search_skips_codes_every_record_shares(code: str) -> None:
    fields = {row["field"].rsplit(".", 1)[-1] for row in run_json("search", code)}
    assert fields.isdisjoint({"doc", "kind", "base_unit"})


def test_search_for_the_source_id_finds_the_source_not_every_record() -> None:
    assert [(r["type"], r["field"]) for r in run_json("search", "dezhou-etdz-2022")] == [
        ("source", "id")
    ]
