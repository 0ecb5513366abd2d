"""Stores that once broke a command (issue 8's holes): each now answers, or refuses cleanly.

Every JSON output here is read by a strict parser that refuses NaN and Infinity, which the
standard `json` module would otherwise print and read back without complaint.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dzcli.cli import app
from dzcli.model import growth, periods
from dzcli.model.matching import fold

runner = CliRunner()


def _refuse(constant: str) -> Any:
    raise ValueError(f"not JSON: {constant}")


def strict_json(text: str) -> Any:
    return json.loads(text, parse_constant=_refuse)


def shipped(facts_db: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(facts_db.read_text(encoding="utf-8"))
    return data


def record(data: dict[str, Any], table: str, record_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(r for r in data[table].values() if r["id"] == record_id)
    return found


def save(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def run(store: Path, *args: str) -> Any:
    result = runner.invoke(app, [*args, "--db", str(store)])
    assert result.exit_code == 0, result.stderr
    return result


def test_growth_that_overflows_a_float_is_null_with_a_note(tmp_path: Path, facts_db: Path) -> None:
    data = shipped(facts_db)
    revenue = record(data, "stats", "general_public_budget_revenue@2021")
    revenue.update(value=1e308, base_value=None, yoy_pct=-99.999)
    store = save(tmp_path / "s.json", data)
    rows = strict_json(run(store, "growth", "general_public_budget_revenue", "--json").stdout)
    derived = [row for row in rows if row["kind"] == "derived"]
    assert [row["value"] for row in derived] == [None]
    assert "too large" in derived[0]["note"]


def test_a_target_far_above_its_actual_has_no_infinite_required_growth(
    tmp_path: Path, facts_db: Path
) -> None:
    data = shipped(facts_db)
    target = record(data, "targets", "target:goods_trade@2022")
    target.update(value=1e300, base_value=1e308)
    actual = record(data, "stats", "goods_trade@2021")
    actual.update(value=1e-300, base_value=1e-292)
    text = run(save(tmp_path / "s.json", data), "targets", "--json").stdout
    rows = {row["id"]: row for row in strict_json(text)}
    assert rows["target:goods_trade@2022"]["actual"]["id"] == "goods_trade@2021"
    assert rows["target:goods_trade@2022"]["required_growth"] is None


def test_required_rate_that_overflows_is_none() -> None:
    assert growth.required_rate(1e-300, 1e308, 1) is None
    assert growth.computed_rate(1e-300, 1e308) is None
    assert growth.implied_previous(100, -100) is None


def test_a_document_id_of_thousands_of_digits_is_refused_in_one_line(
    tmp_path: Path, facts_db: Path
) -> None:
    """TinyDB turns document ids into ints; thousands of digits are more than Python converts,
    so the reader refuses the store (exit 1, one line) instead of crashing, and completion,
    which must never print into the shell, offers nothing."""
    data = shipped(facts_db)
    stats = data["stats"]
    stats["9" * 5000] = stats.pop(next(iter(stats)))
    store = save(tmp_path / "s.json", data)
    result = runner.invoke(app, ["stats", "2021", "--json", "--db", str(store)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("dz: error: ") and result.stderr.count("\n") == 1
    completion = runner.invoke(
        app,
        [],
        env={
            "_DZ_COMPLETE": "complete_bash",
            "COMP_WORDS": "dz show ",
            "COMP_CWORD": "2",
            "DZ_DB": str(store),
        },
    )
    assert completion.exit_code == 0
    assert completion.stdout.strip() == "" and completion.stderr == ""


def test_a_stat_without_a_period_does_not_break_a_metric_query(
    tmp_path: Path, facts_db: Path
) -> None:
    data = shipped(facts_db)
    del record(data, "stats", "gdp@2021")["period"]
    store = save(tmp_path / "s.json", data)
    result = runner.invoke(app, ["stats", "--metric", "gdp", "--json", "--db", str(store)])
    assert result.exit_code == 0, result.stderr
    assert strict_json(result.stdout) == []
    assert runner.invoke(app, ["growth", "gdp", "--json", "--db", str(store)]).exit_code == 0


@pytest.mark.parametrize("period", ["0000", "0000-Q1", "0000-01/0000-03"])
def test_year_zero_is_not_a_period(period: str) -> None:
    assert not periods.is_period(period)


def test_the_first_year_has_no_year_before_it() -> None:
    assert periods.previous_year("0001") is None
    assert periods.previous_year("0002-Q1") == "0001-Q1"


def test_a_stat_of_year_one_derives_no_row_before_it(tmp_path: Path, facts_db: Path) -> None:
    data = shipped(facts_db)
    gdp = record(data, "stats", "gdp@2021")
    gdp.update(id="gdp@0001", period="0001")
    rows = strict_json(run(save(tmp_path / "s.json", data), "growth", "gdp", "--json").stdout)
    assert [row["period"] for row in rows] == ["0001"]


def test_a_stored_type_field_does_not_change_what_show_calls_a_record(
    tmp_path: Path, facts_db: Path
) -> None:
    data = shipped(facts_db)
    record(data, "stats", "gdp@2021")["type"] = "park"
    text = run(save(tmp_path / "s.json", data), "show", "gdp@2021", "--json").stdout
    [row] = strict_json(text)
    assert row["type"] == "stat"
    assert list(row).count("type") == 1


def test_typed_text_is_compared_after_nfkc_and_case_folding() -> None:
    assert fold("Cafe\u0301") == fold("Café")
    assert fold("\uff28\uff29") == "hi"  # full-width HI
    result = runner.invoke(app, ["search", "\uff27\uff52\uff4f\uff53\uff53", "--json"])
    assert result.exit_code == 0
    assert "gdp" in {row["id"] for row in strict_json(result.stdout)}


def test_a_decomposed_name_finds_the_park(tmp_path: Path, facts_db: Path) -> None:
    data = shipped(facts_db)
    record(data, "parks", "hi-tech-park")["aliases"].append("Café Park")
    store = save(tmp_path / "s.json", data)
    text = run(store, "projects", "--park", "cafe\u0301 park", "--json").stdout
    assert {row["park"] for row in strict_json(text)} == {"hi-tech-park"}


def test_unit_conversion_that_underflows_is_an_error_not_zero(
    tmp_path: Path, facts_db: Path
) -> None:
    data = shipped(facts_db)
    gdp = record(data, "stats", "gdp@2021")
    gdp.update(value=5e-324, unit="元", base_value=5e-324)
    record(data, "metrics", "gdp")["unit"] = "元"
    store = save(tmp_path / "s.json", data)
    result = runner.invoke(app, ["stats", "2021", "--unit", "亿元", "--json", "--db", str(store)])
    assert result.exit_code == 1
    assert result.stderr.startswith("dz: error: ")
    assert "too large or too small" in result.stderr
