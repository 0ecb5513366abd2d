"""Options people bring from gh: `--json FIELD,FIELD` (beside `--fields`) and `--limit N` in
every format."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from dzcli.cli import app
from dzcli.cli.options import spell_out_json_fields
from dzcli.output import views

runner = CliRunner()


def ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    return result.stdout


def json_rows(*args: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(ok(*args))
    return rows


@pytest.mark.parametrize(
    "args",
    [
        ["stats", "2021", "--json", "metric,value"],
        ["stats", "2021", "--json=metric,value"],
        ["stats", "--json", "metric,value", "2021"],
        ["stats", "--json=metric,value", "2021"],
    ],
)
def test_json_with_fields_is_json_of_those_fields(args: list[str]) -> None:
    assert ok(*args) == ok("stats", "2021", "--json", "--fields", "metric,value")
    assert list(json_rows(*args)[0]) == ["metric", "value"]


def test_json_takes_one_field_that_the_listing_has() -> None:
    assert json_rows("parks", "--json", "id") == json_rows("parks", "--fields", "id", "--json")
    assert json_rows("show", "--json", "id", "gdp@2021") == [{"id": "gdp@2021"}]


@pytest.mark.parametrize(
    ("args", "same_as"),
    [
        (["stats", "--json", "2021"], ["stats", "2021", "--json"]),
        (["growth", "--json", "gdp"], ["growth", "gdp", "--json"]),
        (["enterprises", "--json", "威讯"], ["enterprises", "威讯", "--json"]),
        (["search", "--json", "--", "2021"], ["search", "2021", "--json"]),
    ],
)
def test_a_bare_json_is_every_field_and_the_next_word_stays_an_argument(
    args: list[str], same_as: list[str]
) -> None:
    assert ok(*args) == ok(*same_as)
    assert "source" in json_rows(*args)[0]  # every field


def test_json_fields_are_checked_as_fields_are() -> None:
    result = runner.invoke(app, ["stats", "2021", "--json", "metric,vaule"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("dz: error: unknown field 'vaule' for stat (did you mean")


def test_fields_given_twice_are_a_usage_error() -> None:
    result = runner.invoke(app, ["stats", "--json", "id", "--fields", "value"])
    assert result.exit_code == 2
    assert result.stderr == (
        "dz: error: --json A,B and --fields both pick fields: give the fields once\n"
    )


def test_json_with_fields_is_still_json_only() -> None:
    result = runner.invoke(app, ["stats", "--json", "id", "--format", "csv"])
    assert result.exit_code == 2
    assert "--json means --format json" in result.stderr


def test_only_the_word_after_json_is_spelled_out() -> None:
    args = ["--json", "id,value", "2021", "--fields", "--json", "--", "--json", "x,y"]
    assert spell_out_json_fields(args, views.STATS) == [
        "--json",
        "--json-fields",
        "id,value",
        "2021",
        "--fields",
        "--json",
        "--",
        "--json",
        "x,y",
    ]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv", "md", "table"])
@pytest.mark.parametrize("limit", [1, 3])
def test_limit_cuts_every_format_to_the_first_rows(fmt: str, limit: int) -> None:
    ids = [row["id"] for row in json_rows("events", "--json")]
    result = runner.invoke(app, ["events", "--format", fmt, "--limit", str(limit)])
    assert result.exit_code == 0
    shown = [event for event in ids if event in result.stdout]
    assert shown == ids[:limit]
    if fmt in ("table", "md"):
        assert "more rows not shown" in result.stderr
    else:
        assert result.stderr == ""


def test_limit_cuts_a_listing_whose_rows_come_one_at_a_time() -> None:
    # dz growth builds its rows as it reads the store, and JSON writes them as they come.
    every = json_rows("growth", "--json")
    assert json_rows("growth", "--json", "--limit", "2") == every[:2]
    assert json_rows("growth", "--json", "id", "--limit", "1") == [{"id": every[0]["id"]}]


# --- every period at once ----------------------------------------------------------------------


def test_stats_all_is_every_period_oldest_first() -> None:
    every = json_rows("stats", "--all", "--json")
    years = list(dict.fromkeys(row["period"][:4] for row in every))
    assert years == sorted(years) and len(years) >= 2  # the shipped store has 2021 and 2022
    assert every == [row for year in years for row in json_rows("stats", year, "--json")]


def test_stats_all_keeps_the_other_filters() -> None:
    assert [row["id"] for row in json_rows("stats", "--all", "--metric", "gdp", "--json")] == [
        "gdp@2021"
    ]


def test_stats_all_with_a_period_is_a_usage_error() -> None:
    result = runner.invoke(app, ["stats", "2021", "--all"])
    assert result.exit_code == 2
    assert (
        result.stderr == "dz: error: --all is every period: give it without a period (not '2021')\n"
    )


def test_stats_all_as_csv_spells_each_period_as_stored() -> None:
    lines = ok("stats", "--all", "--format", "csv", "--fields", "period").splitlines()
    stored = [row["period"] for row in json_rows("stats", "--all", "--json")]
    assert lines == ["period", *stored] and "2022-Q1" in stored
