"""Places (issue 18): the zone, its city and its province are records, every figure says whose
it is, and the zone is compared with its city; a figure of another area changes none of the
zone's answers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers import shipped
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dzcli.check import report
from dzcli.cli import app
from dzcli.model.kinds import HOME_AREA

CITY_TEXT = Path(__file__).parent / "fixtures" / "docs" / "city-bulletin.txt"
runner = CliRunner()


def dz(*args: str) -> Any:
    return runner.invoke(app, list(args))


def rows(*args: str) -> list[dict[str, Any]]:
    result = dz(*args, "--json")
    assert result.exit_code == 0, result.output
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


@pytest.fixture
def with_the_city(home: Path) -> Path:
    """The user store with the (test) city bulletin registered and the city's GDP of 2021 and
    its 2022 growth of above-scale industrial value added recorded, as a user would."""
    done = dz(
        "source", "add", str(CITY_TEXT), "--id", "city-test", "--title-zh", "测试用德州市公报"
    )
    assert done.exit_code == 0, done.output
    gdp = "2021年,全市地区生产总值达到3488.48亿元,同比增长8.1%"
    industry = "2022年,全市规上工业增加值同比增长5.2%"
    for args in (
        [
            "--metric",
            "gdp",
            "--area",
            "德州市",
            "--period",
            "2021",
            "--value",
            "3488.48",
            "--unit",
            "亿元",
            "--yoy",
            "8.1",
            "--basis",
            "real",
            "--quote",
            gdp,
        ],
        [
            "--metric",
            "规模以上工业增加值",
            "--area",
            "全市",
            "--period",
            "2022",
            "--unit",
            "亿元",
            "--yoy",
            "5.2",
            "--basis",
            "real",
            "--quote",
            industry,
        ],
    ):
        added = dz("add", "stat", *args, "--source", "city-test")
        assert added.exit_code == 0, added.output
    return home


def test_the_zone_is_a_record_that_search_and_show_find() -> None:
    [zone] = rows("show", "经开区")
    assert (zone["type"], zone["id"], zone["level"], zone["parent"]) == (
        "area", HOME_AREA, "zone", "dezhou-city",
    )  # fmt: skip
    found = rows("search", "德州经济技术开发区")
    assert found[0]["id"] == HOME_AREA and found[0]["matched_in"] == "names"
    assert rows("show", "全市")[0]["id"] == "dezhou-city"  # the report's word for the city


def test_areas_are_a_tree_with_the_figures_each_has() -> None:
    every = rows("areas")
    assert [(a["id"], a["depth"], a["children"]) for a in every] == [
        ("shandong", 0, ["dezhou-city"]),
        ("dezhou-city", 1, [HOME_AREA]),
        (HOME_AREA, 2, []),
    ]
    data = shipped()
    zone = every[2]["figures"]
    assert zone == {"stats": len(data["stats"]), "targets": len(data["targets"])}
    assert [a["id"] for a in rows("areas", "德州市")] == ["dezhou-city", HOME_AREA]


def test_every_shipped_figure_is_the_zones_and_its_comparisons_point_at_the_city() -> None:
    data = shipped()
    for table in ("stats", "targets"):
        assert {record["area"] for record in data[table].values()} == {HOME_AREA}
    by_id = {record["id"]: record for record in data["stats"].values()}
    assert by_id["goods_trade@2021"]["rank_area"] == "dezhou-city"  # 列全市第2位
    assert by_id["general_public_budget_revenue@2021"]["vs_avg_area"] == "dezhou-city"


def test_the_citys_figures_go_in_with_ids_that_name_the_city(with_the_city: Path) -> None:
    city = rows("stats", "2021", "--area", "德州市")
    assert [(r["id"], r["area"], r["value"]) for r in city] == [
        ("gdp@dezhou-city@2021", "dezhou-city", 3488.48)
    ]
    assert (
        report(json.loads(with_the_city.read_text()), with_the_city.parent / "sources").errors == 0
    )


def test_the_zones_answers_are_those_of_before(
    with_the_city: Path, facts_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    after = {args: dz(*args).stdout for args in _ZONE_QUESTIONS}
    monkeypatch.setenv("DZ_DB", str(facts_db))  # the shipped store, without the city's
    before = {args: dz(*args).stdout for args in _ZONE_QUESTIONS}
    assert after == before
    assert "┃ Area" not in after[("stats", "2021")]  # no area column for the zone alone


_ZONE_QUESTIONS = [
    ("stats", "2021"),
    ("stats", "2021", "--json"),
    ("stats", "2022", "--json"),
    ("growth", "--json"),
    ("targets", "--json"),
]


def test_compare_derives_the_zones_share_of_the_city(with_the_city: Path) -> None:
    compared = rows("compare", "gdp", "2021")
    by_area = {row["area"]: row for row in compared}
    zone, city = by_area[HOME_AREA], by_area["dezhou-city"]
    share = zone["share_of_parent"]
    assert share["kind"] == "derived" and share["formula"] == "base_value / parent_base_value * 100"
    assert share["inputs"] == {
        "base_value": 31719000000,
        "parent_base_value": 348848000000,
        "base_unit": "CNY",
        "from": ["gdp@2021", "gdp@dezhou-city@2021"],
    }
    assert share["value_pct"] == round(31719000000 / 348848000000 * 100, 2) == 9.09
    assert (city["share_of_parent"], city["why_not"]) == (None, "parent_missing")  # no Shandong
    table = dz("compare", "gdp", "2021").stdout
    assert "9.09%" in table and "derived" in table and "no figure of Shandong" in table


def test_compare_says_which_of_the_two_is_missing(with_the_city: Path) -> None:
    compared = rows("compare", "above_scale_industrial_value_added")
    said = {(row["period"], row["area"]): (row["id"], row["why_not"]) for row in compared}
    assert said == {
        ("2022-Q1", "dezhou-city"): (None, "no_figure"),
        ("2022-Q1", HOME_AREA): ("above_scale_industrial_value_added@2022-Q1", "parent_missing"),
        ("2022", "dezhou-city"): (
            "above_scale_industrial_value_added@dezhou-city@2022",
            "parent_missing",
        ),
        ("2022", HOME_AREA): (None, "no_figure"),
    }


def test_growth_never_joins_two_areas(with_the_city: Path) -> None:
    """The city's 2022 GDP beside the zone's 2021: no rate from the one to the other."""
    added = dz(
        "add", "stat", "--metric", "gdp", "--area", "dezhou-city", "--period", "2022",
        "--value", "3630", "--unit", "亿元", "--source", "city-test",
        "--quote", "2022年,全市地区生产总值达到3630亿元",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    every = rows("growth", "gdp", "--area", "all")
    derived = [row for row in every if row["kind"] == "derived"]
    for row in derived:
        ids = row["inputs"]["from"]
        sources = ids if isinstance(ids, list) else [ids]
        areas = {next(r["area"] for r in every if r["id"] == i) for i in sources if "@" in i}
        assert areas <= {row["area"]}, row
    computed = [row for row in derived if row["period"] == "2022"]
    assert [r["inputs"]["from"] for r in computed] == [
        ["gdp@dezhou-city@2021", "gdp@dezhou-city@2022"]
    ]
    assert rows("growth", "gdp") == [row for row in every if row["area"] == HOME_AREA]


def test_every_area_has_an_area_column_in_tables_and_the_area_field_in_json(
    with_the_city: Path,
) -> None:
    table = dz("stats", "2021", "--area", "all").stdout
    assert "Area" in table and "Dezhou" in table
    assert {row["area"] for row in rows("stats", "2021", "--area", "all")} == {
        HOME_AREA, "dezhou-city",
    }  # fmt: skip


def test_an_area_is_named_as_any_record_is(with_the_city: Path) -> None:
    for term in ("dezhou-city", "德州市", "Dezhou", "全市", "Dezhou City"):
        assert {row["area"] for row in rows("stats", "2021", "--area", term)} == {"dezhou-city"}
    wrong = dz("stats", "2021", "--area", "德州州")
    assert wrong.exit_code == 1 and "did you mean" in wrong.stderr


# --- what dz check holds of areas ----------------------------------------------------------


def _errors(data: dict[str, Any]) -> list[str]:
    return [p.line() for p in report(data).problems if p.severity == "error"]


def test_a_zone_larger_than_its_city_is_an_error() -> None:
    data = shipped()
    gdp = next(r for r in data["stats"].values() if r["id"] == "gdp@2021")
    data["stats"]["900"] = {
        **gdp, "id": "gdp@dezhou-city@2021", "area": "dezhou-city", "value": 300,
        "base_value": 30000000000,
    }  # fmt: skip
    assert any(
        "more than the 317.19 亿元" not in line and "the area it lies in" in line
        for line in _errors(data)
    )


def test_the_area_tree_has_no_cycle_and_names_find_one_area() -> None:
    data = shipped()
    areas = {r["id"]: r for r in data["areas"].values()}
    areas["shandong"]["parent"] = HOME_AREA
    areas["dezhou-city"]["aliases"].append("经开区")
    errors = _errors(data)
    assert any("parent chain loops back" in line for line in errors)
    assert any(
        "alias '经开区' is also a name or alias of area dezhou-etdz" in line for line in errors
    )


def test_a_figure_of_no_area_is_an_error() -> None:
    data = shipped()
    next(iter(data["stats"].values()))["area"] = "atlantis"
    assert any(
        "area 'atlantis' is not the id of any record in areas" in line for line in _errors(data)
    )


# --- Hypothesis: another area's figures never change an area's answers --------------------

_values = st.decimals(min_value=1, max_value=9999, places=2).map(float)
_figures = st.lists(
    st.tuples(
        st.sampled_from(["gdp", "general_public_budget_revenue", "goods_trade"]),
        st.sampled_from(["2019", "2020", "2021", "2022", "2022-Q1"]),
        _values,
        st.one_of(st.none(), st.floats(min_value=-50, max_value=50).map(lambda v: round(v, 1))),
    ),
    max_size=6,
    unique_by=lambda figure: figure[:2],
)


@pytest.mark.slow  # a Hypothesis search
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(figures=_figures)
def test_no_answer_for_one_area_changes_when_another_areas_figures_are_added(
    tmp_path_factory: pytest.TempPathFactory, figures: list[tuple[str, str, float, float | None]]
) -> None:
    base = tmp_path_factory.mktemp("areas")
    before = base / "before.json"
    shutil.copy2(Path(str(_shipped_path())), before)
    data = shipped()
    template = next(r for r in data["stats"].values() if r["id"] == "gdp@2021")
    for n, (metric, period, value, rate) in enumerate(figures):
        unit = "亿元"
        data["stats"][str(1000 + n)] = {
            **template,
            "id": f"{metric}@dezhou-city@{period}",
            "metric": metric,
            "area": "dezhou-city",
            "period": period,
            "value": value,
            "base_value": round(value * 10**8),
            "unit": unit,
            "yoy_pct": rate,
            "basis": None if rate is None else "nominal",
            "basis_by": None if rate is None else "report",
        }
    after = base / "after.json"
    after.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for question in _ZONE_QUESTIONS:
        answers = [dz(*question, "--db", str(store)).stdout for store in (before, after)]
        assert answers[0] == answers[1], question


def _shipped_path() -> Path:
    from dzcli.read import default_store_path

    return default_store_path()
