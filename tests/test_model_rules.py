"""`dz check`'s rules for what issue 9's model says: claims ranked, parts within wholes,
further quotes and Chinese names found in the report."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from helpers import record_of, require_sources, shipped

from dzcli import check


def lines(data: object, sources: Path | None = None) -> list[str]:
    return [problem.line() for problem in check.audit(data, sources)]


def second_claim(data: dict[str, Any], of: str, value: float, rank: str, **extra: Any) -> None:
    original = record_of(data, "stats", of)
    factor = original["base_value"] / original["value"]
    stats = data["stats"]
    stats[str(max(map(int, stats)) + 1)] = (
        copy.deepcopy(original)
        | {
            "id": f"{of}#dezhou-etdz-2022-bis",
            "value": value,
            "base_value": round(value * factor),
            "claim_rank": rank,
            "source": {**original["source"], "doc": "dezhou-etdz-2022-bis"},
        }
        | extra
    )
    sources = data["sources"]
    bis = copy.deepcopy(next(iter(sources.values()))) | {"id": "dezhou-etdz-2022-bis"}
    sources[str(max(map(int, sources)) + 1)] = bis


def test_the_shipped_store_has_no_claim_relation_or_provenance_fault() -> None:
    assert lines(shipped()) == []


def test_an_unranked_conflict_is_an_error_until_one_claim_is_preferred() -> None:
    data = shipped()
    second_claim(data, "gdp@2021", 320, "normal")
    assert lines(data) == [
        "stats gdp@2021#dezhou-etdz-2022-bis: error: claims: claims for gdp in 2021 disagree "
        "(320 亿元 here, 317.19 亿元 in gdp@2021) and none is preferred: rank one `preferred` "
        "(dz prefer ID) or retract one"
    ]
    record_of(data, "stats", "gdp@2021#dezhou-etdz-2022-bis")["claim_rank"] = "preferred"
    assert lines(data) == []


def test_agreeing_claims_need_no_rank() -> None:
    data = shipped()
    second_claim(data, "gdp@2021", 317.2, "normal")  # 317.19 within 317.2's rounding
    assert lines(data) == []


def test_two_preferred_claims_and_an_unexplained_retraction_are_errors() -> None:
    data = shipped()
    record_of(data, "stats", "gdp@2021")["claim_rank"] = "preferred"
    second_claim(data, "gdp@2021", 317.19, "preferred")
    assert lines(data) == [
        "stats gdp@2021#dezhou-etdz-2022-bis: error: claims: gdp in 2021 already has a preferred "
        "claim: gdp@2021"
    ]
    record_of(data, "stats", "gdp@2021#dezhou-etdz-2022-bis")["claim_rank"] = "deprecated"
    assert lines(data) == [
        "stats gdp@2021#dezhou-etdz-2022-bis: error: claims: a deprecated claim needs a rank_reason"
    ]


def test_a_part_larger_than_its_whole_is_an_error_even_across_currencies() -> None:
    data = shipped()
    # 1757.5 万美元 ≈ 11433.5 万元 (the report's equivalent) of 5.5 亿元 = 55000 万元: fine.
    assert lines(data) == []
    record_of(data, "stats", "services_trade@2021").update(value=1, base_value=100_000_000)
    assert lines(data) == [
        "relations filed-amount-in-services-trade: error: arithmetic: the part "
        "(11433.5 万元) is larger than the whole (1 亿元)"
    ]


def test_more_members_named_than_the_whole_counts_is_an_error() -> None:
    data = shipped()
    record_of(data, "parks", "jjj-demo-zone")["figures"][0].update(value=1, base_value=1)
    assert lines(data) == [
        "relations named-parks-of-jjj-zone: error: arithmetic: 2 members are "
        "named, but jjj-demo-zone#park_count counts 1"
    ]


def test_a_relation_names_only_what_exists() -> None:
    data = shipped()
    record_of(data, "relations", "named-parks-of-jjj-zone")["members"].append("no-such-park")
    assert lines(data) == [
        "relations named-parks-of-jjj-zone: error: reference: members "
        "'no-such-park' is not a record or figure id"
    ]


def test_a_further_quote_names_a_field_of_its_record() -> None:
    data = shipped()
    person = record_of(data, "people", "zhang-liang")
    person["quotes"] = [{**person["source"], "supports": "salary"}]
    assert lines(data) == [
        "people zhang-liang: error: provenance: quotes[0].supports 'salary' is not a field here"
    ]


@pytest.fixture
def sources() -> Path:
    return require_sources()


def test_a_further_quote_is_found_in_the_report(sources: Path) -> None:
    data = shipped()
    person = record_of(data, "people", "zhang-liang")
    person["quotes"] = [{"doc": "dezhou-etdz-2022", "quote": "张良是董事长", "supports": "role"}]
    assert lines(data, sources) == [
        "people zhang-liang: error: provenance: quotes[0].quote '张良是董事长' is not in the "
        "text of dezhou-etdz-2022"
    ]


def test_a_chinese_name_not_marked_as_dz_s_label_is_in_the_report(sources: Path) -> None:
    data = shipped()
    assert lines(data, sources) == []
    record_of(data, "metrics", "gdp")["name_zh"] = "国内生产总值"
    assert lines(data, sources) == [
        "metrics gdp: error: provenance: name_zh '国内生产总值' is not in the text of "
        "dezhou-etdz-2022; mark it name_zh_by_dz if it is dz's own label"
    ]


def test_a_person_speaks_for_and_a_statement_is_about_a_record_in_the_store() -> None:
    data = shipped()
    record_of(data, "people", "zhang-liang")["organisation"] = "no-such-group"
    record_of(data, "statements", "jinglu-shugu-aim")["subject"] = "no-such-park"
    assert lines(data) == [
        "people zhang-liang: error: reference: organisation 'no-such-group' is not an id in "
        "the store",
        "statements jinglu-shugu-aim: error: reference: subject 'no-such-park' is not an id in "
        "the store",
    ]
