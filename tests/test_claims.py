"""Several sources for one number (issue 9): the answer, corroboration, revision, conflict and
retraction, on the shipped store plus a second, invented source (tests/fixtures/claims)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dzcli import queries
from dzcli.model import claims
from dzcli.read import open_store

FIXTURE = Path(__file__).parent / "fixtures" / "claims"
BULLETIN = "fixture-bulletin"


def claim(data: dict[str, Any], of: str, value: float, rank: str, quote: str, **extra: Any) -> None:
    """A second claim of the record `of`, from the fixture bulletin."""
    stats = data["stats"]
    original = next(r for r in stats.values() if r["id"] == of)
    scale = original["base_value"] / original["value"]
    stats[str(max(map(int, stats)) + 1)] = {
        **original,
        "id": f"{of}#{BULLETIN}",
        "value": value,
        "base_value": round(value * scale),
        "claim_rank": rank,
        "rank_reason": None,
        "source": {"doc": BULLETIN, "quote": quote},
        **extra,
    }


@pytest.fixture
def two_sources(tmp_path: Path, facts_db: Path) -> Path:
    data = json.loads(facts_db.read_text(encoding="utf-8"))
    data["sources"]["99"] = {
        **next(iter(data["sources"].values())),
        "id": BULLETIN,
        "file": "fixture-bulletin.txt",
        "name_zh": "测试用虚构公报",
        "name_en": "Test fixture bulletin (invented)",
    }
    claim(data, "gdp@2021", 317.2, "normal", "经开区地区生产总值317.2亿元")
    revenue = next(r for r in data["stats"].values() if r["id"].startswith("general_public"))
    revenue.update(basis="nominal", basis_by="convention")  # as the shipped store has it
    claim(
        data,
        "general_public_budget_revenue@2021",
        29.9,
        "preferred",
        "一般公共预算收入修订为29.9亿元",
        rank_reason="revised by the later bulletin",
    )
    claim(data, "goods_trade@2021", 115, "normal", "货物进出口额115亿元")
    claim(
        data,
        "foreign_capital_actually_used@2021",
        2100,
        "deprecated",
        "实际使用外资2100万美元",
        rank_reason="misprint, corrected in the report",
    )
    store = tmp_path / "two-sources.json"
    store.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return store


def by_id(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in rows}


def test_agreeing_claims_are_one_answer_that_names_its_corroboration(two_sources: Path) -> None:
    rows = by_id(queries.stats(open_store(two_sources), "2021"))
    assert "gdp@2021#fixture-bulletin" not in rows
    assert rows["gdp@2021"]["corroborated_by"] == ["gdp@2021#fixture-bulletin"]
    assert rows["gdp@2021"]["disputed_by"] == []


def test_a_preferred_revision_is_the_answer(two_sources: Path) -> None:
    rows = by_id(queries.stats(open_store(two_sources), "2021"))
    revised = rows["general_public_budget_revenue@2021#fixture-bulletin"]
    assert revised["value"] == 29.9
    assert revised["disputed_by"] == []  # a preferred claim settles the question
    assert "general_public_budget_revenue@2021" not in rows


def test_an_unranked_conflict_is_flagged_on_the_answer(two_sources: Path) -> None:
    rows = by_id(queries.stats(open_store(two_sources), "2021"))
    assert rows["goods_trade@2021"]["disputed_by"] == ["goods_trade@2021#fixture-bulletin"]
    store = open_store(two_sources)
    group = claims.groups(store.records("stats"))[("goods_trade", "dezhou-etdz", "2021")]
    assert [c["id"] for c in claims.conflicts(group)] == ["goods_trade@2021#fixture-bulletin"]


def test_with_all_claims_a_conflict_is_flagged_on_both_and_a_settled_one_on_neither(
    two_sources: Path,
) -> None:
    everything = by_id(queries.stats(open_store(two_sources), "2021", all_claims=True))
    trade, other_trade = (
        everything["goods_trade@2021"],
        everything["goods_trade@2021#fixture-bulletin"],
    )
    assert trade["disputed_by"] == ["goods_trade@2021#fixture-bulletin"]
    assert other_trade["disputed_by"] == ["goods_trade@2021"]
    assert trade["answered_by"] == other_trade["answered_by"] == "goods_trade@2021"
    original = everything["general_public_budget_revenue@2021"]
    assert original["disputed_by"] == []  # the preferred revision settles it
    assert original["answered_by"] == "general_public_budget_revenue@2021#fixture-bulletin"


def test_a_deprecated_claim_is_hidden_by_default_and_shown_with_all_claims(
    two_sources: Path,
) -> None:
    store = open_store(two_sources)
    default = by_id(queries.stats(store, "2021"))
    everything = by_id(queries.stats(store, "2021", all_claims=True))
    retracted = "foreign_capital_actually_used@2021#fixture-bulletin"
    assert retracted not in default
    assert everything[retracted]["claim_rank"] == "deprecated"
    assert everything[retracted]["rank_reason"] == "misprint, corrected in the report"
    assert len(everything) == len(default) + 4


def test_growth_derives_from_the_answer_only(two_sources: Path) -> None:
    rows = queries.growth_rows(open_store(two_sources), "general public budget revenue")
    derived = [row for row in rows if row["kind"] == "derived"]
    assert [row["inputs"]["from"] for row in derived] == [
        "general_public_budget_revenue@2021#fixture-bulletin"
    ]


def test_claims_agree_within_rounding_only() -> None:
    a = {"value": 317.19, "base_value": 31719000000}
    assert claims.agree(a, {"value": 317.2, "base_value": 31720000000})
    assert not claims.agree(a, {"value": 317.3, "base_value": 31730000000})
    assert claims.agree(a, {"value": 320, "approx": True, "base_value": 32000000000})


def test_the_fixture_text_is_marked_as_a_fixture_and_holds_every_quote() -> None:
    text = (FIXTURE / "fixture-bulletin.txt").read_text(encoding="utf-8")
    assert text.startswith("TEST FIXTURE - NOT A REAL SOURCE")
    for quote in ("317.2亿元", "29.9亿元", "115亿元", "2100万美元"):
        assert quote in text


def cli(*args: str) -> Any:
    from typer.testing import CliRunner

    from dzcli.cli import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result


def test_all_claims_on_the_command_line_shows_the_retracted_claim(two_sources: Path) -> None:
    db = ("--db", str(two_sources))
    default = json.loads(cli("stats", "2021", "--json", *db).stdout)
    everything = json.loads(cli("stats", "2021", "--all-claims", "--json", *db).stdout)
    retracted = "foreign_capital_actually_used@2021#fixture-bulletin"
    assert retracted not in {row["id"] for row in default}
    assert retracted in {row["id"] for row in everything}
    growth = json.loads(cli("growth", "--all-claims", "--json", *db).stdout)
    assert retracted in {row["id"] for row in growth}


def test_a_conflict_and_a_corroboration_are_flagged_in_tables(two_sources: Path) -> None:
    table = cli("stats", "2021", "--format", "md", "--db", str(two_sources)).stdout
    trade = next(line for line in table.splitlines() if "| Goods imports and exports |" in line)
    assert "CONFLICT with goods_trade@2021#fixture-bulletin" in trade
    gdp = next(line for line in table.splitlines() if "| Gross regional product |" in line)
    assert "also reported by gdp@2021#fixture-bulletin" in gdp
