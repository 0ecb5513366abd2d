"""The shipped store against the report it was read from: every quote, every number, every link."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from helpers import require_sources, shipped
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dzcli import check, queries
from dzcli.cli import app
from dzcli.model.kinds import TABLES
from dzcli.read import default_store_path, open_store

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
    for record in store["people"].values():
        organisations = ids["enterprises"] | ids["parks"]
        assert record["organisation"] is None or record["organisation"] in organisations
    for record in store["statements"].values():
        assert record["subject"] is None or record["subject"] in everything, record["id"]
    for record in store["relations"].values():
        ends = [record["whole"], *record["members"]]
        ends += [record["part"]] if record["part"] is not None else []
        for end in ends:
            assert resolve(store, end) is not None, (record["id"], end)


def resolve(store: dict[str, Any], reference: str) -> dict[str, Any] | None:
    """The record (or, for "record_id#figure_key", the figure) a relation names."""
    record_id, _, key = reference.partition("#")
    for _, record in records(store):
        if record["id"] == record_id:
            if not key:
                return record
            return next((f for f in record.get("figures", []) if f["key"] == key), None)
    return None


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
        if table in ("stats", "targets", "relations"):
            continue  # named by their metric, or by what they relate
        zh, en = ("text_zh", "text_en") if table == "statements" else ("name_zh", "name_en")
        assert record[zh] and record[en], record["id"]
        assert record[en] != record[zh], record["id"]


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


# --- issue 9: what each number is, and the facts the audit found missing ---------------------

CJK = re.compile(r"[\u4e00-\u9fff]")


def by_id(store: dict[str, Any], table: str) -> dict[str, dict[str, Any]]:
    return {record["id"]: record for record in store[table].values()}


def figure(store: dict[str, Any], table: str, record_id: str, key: str) -> dict[str, Any]:
    return next(f for f in by_id(store, table)[record_id]["figures"] if f["key"] == key)


def test_every_extra_quote_is_in_the_report_and_backs_a_field(
    store: dict[str, Any], report: str
) -> None:
    docs = {record["id"] for record in store["sources"].values()}
    with_quotes = 0
    for _, record in records(store):
        with_quotes += bool(record["quotes"])
        for quote in record["quotes"]:
            assert quote["doc"] in docs, record["id"]
            assert flat(quote["quote"]) in report, (record["id"], quote["quote"])
            assert quote["supports"] in record, (record["id"], quote["supports"])
            assert flat(quote["quote"]) != flat(record["source"]["quote"]), record["id"]
    assert with_quotes >= 9  # the audit's nine records whose note or role cites another sentence


def test_every_note_and_role_is_also_in_chinese(store: dict[str, Any]) -> None:
    for _, record in records(store):
        for part in parts(record):
            for field in ("note", "role"):
                if field not in part:
                    continue
                text, chinese = part[field], part[f"{field}_zh"]
                assert (text is None) == (chinese is None), (record["id"], field)
                if chinese is not None:
                    assert chinese != text and len(CJK.findall(chinese)) > len(chinese) / 3, (
                        record["id"],
                        chinese,
                    )


def test_labels_not_in_the_report_are_marked_as_dz_own(store: dict[str, Any], report: str) -> None:
    own = []
    for table, record in records(store):
        labelled = [record] if table in ("metrics", "events") else []
        for part in labelled + record.get("figures", []):
            in_report = flat(part["name_zh"]) in report
            assert part["name_zh_by_dz"] is not in_report, (record["id"], part["name_zh"])
            own += [part["name_zh"]] if part["name_zh_by_dz"] else []
    assert "行动年限" in own


GROWTH_BASIS = {
    "five_key_industries_value_added@2021": "real",
    "above_scale_industrial_value_added@2022-Q1": "real",
    "gdp@2021": "real",
    "general_public_budget_revenue@2021": "nominal",
    "goods_trade@2021": "nominal",
    "foreign_capital_actually_used@2021": "nominal",
}


def test_every_growth_rate_has_its_basis_and_says_it_is_a_convention(
    store: dict[str, Any],
) -> None:
    for stat in store["stats"].values():
        assert stat["basis"] == GROWTH_BASIS.get(stat["id"]), stat["id"]
        assert (stat["basis"] is None) == (stat["yoy_pct"] is None), stat["id"]
        if stat["basis"] is None:
            assert stat["basis_by"] is None, stat["id"]
            continue
        assert stat["basis_by"] == "convention", stat["id"]  # the report never says
        assert "statistics bureau's convention" in stat["note"], stat["id"]
        assert "统计部门" in stat["note_zh"] and "惯例" in stat["note_zh"], stat["id"]


def test_each_stat_is_the_one_actual_claim_of_its_metric_and_period(store: dict[str, Any]) -> None:
    for stat in store["stats"].values():
        assert (stat["nature"], stat["bound"]) == ("actual", None), stat["id"]
        assert (stat["claim_rank"], stat["rank_reason"]) == ("normal", None), stat["id"]


TARGET_NATURES = {
    "target:goods_trade@2022": ("target", None),  # 确保…完成
    "target:cross_border_ecommerce_trade@2022": ("target", None),
    "target:ipo_approvals@2022": ("plan", None),  # 将实现
    "target:neeq_listings@2022": ("plan", None),
    "target:qilu_equity_exchange_listings@2022": ("plan", None),
    "target:electronic_information_cluster_output@open": ("expected", "tier"),  # 建成投产后,将形成
    "target:industrial_cluster_scale@open": ("plan", "tier"),  # 力争
}


def test_targets_say_whether_they_are_commitments_aims_or_projections(
    store: dict[str, Any],
) -> None:
    found = {t["id"]: (t["nature"], t["bound"]) for t in store["targets"].values()}
    assert found == TARGET_NATURES


def test_a_tier_is_a_level_not_an_approximation(store: dict[str, Any]) -> None:
    tiers = 0
    for _, record in records(store):
        for part in parts(record):
            if "bound" not in part:
                continue
            quoted_tier = re.search(r"\d+亿级|千亿元级", part["source"]["quote"]) is not None
            assert (part["bound"] == "tier") == quoted_tier, record["id"]
            if part["bound"] == "tier":
                tiers += 1
                assert part["approx"] is False, record["id"]  # 级 is not 约
                assert "lower bound" in part["note"] and "not “about" in part["note"], record["id"]
    assert tiers == 2


def test_a_threshold_crossed_is_a_lower_bound_not_a_value(store: dict[str, Any]) -> None:
    milestone = figure(store, "enterprises", "weixun-dezhou", "revenue_milestone")
    assert (milestone["value"], milestone["unit"], milestone["bound"]) == (50, "亿元", "lower")
    assert "threshold" in milestone["note"] and "门槛" in milestone["note_zh"]
    for _, record in records(store):
        for part in parts(record):
            if "突破" in part["source"]["quote"] and "bound" in part:
                assert part["bound"] == "lower", record["id"]


def test_expectations_and_plans_are_not_actuals(store: dict[str, Any]) -> None:
    for _, record in records(store):
        for part in parts(record):
            if "nature" not in part or record in store["statements"].values():
                continue
            quote = part["source"]["quote"]
            if "预计" in quote or "全面达产后" in quote:
                assert part["nature"] == "expected", (record["id"], part.get("key"))
            elif "力争" in quote or "将实现" in quote:
                assert part["nature"] == "plan", (record["id"], part.get("key"))
    investment = figure(store, "parks", "jjj-demo-zone", "total_investment")
    assert (investment["nature"], investment["approx"]) == ("actual", True)  # stated plainly
    assert "dz's reading" in investment["note"] and "planned" in investment["note"]


def test_plans_are_statements_not_events(store: dict[str, Any]) -> None:
    events, statements = by_id(store, "events"), by_id(store, "statements")
    for moved in ("opening-up-platforms-planned", "approval-reform-2022"):
        assert moved not in events
        assert (statements[moved]["topic"], statements[moved]["nature"]) == ("plan", "plan")
    assert statements["approval-reform-2022"]["period"] == "2022"
    for event in events.values():
        assert not re.search("力争|规划|拟", event["source"]["quote"]), event["id"]


def test_construction_started_is_not_under_construction(store: dict[str, Any]) -> None:
    words = {"落地开工": "construction_started", "施工": "under_construction"}
    started = []
    for project in store["projects"].values():
        if project["status_zh"] in words:
            assert project["status"] == words[project["status_zh"]], project["id"]
        started += [project["id"]] if project["status"] == "construction_started" else []
    assert sorted(started) == [
        "northern-emergency-rescue-zone",
        "youyan-sputtering-targets",
        "zhongji-huanyu",
    ]


def identified_by_dz(record: dict[str, Any]) -> bool:
    return "dz's identification" in record["note"] and "dz的判断" in record["note_zh"]


def test_qorvo_grinm_and_dhc_have_names_an_english_reader_knows(store: dict[str, Any]) -> None:
    enterprises, projects = by_id(store, "enterprises"), by_id(store, "projects")
    qorvo = enterprises["weixun-dezhou"]
    assert qorvo["name_en"] == "Qorvo Semiconductor (Dezhou) Co., Ltd."
    assert "Weixun Lianhe Semiconductor (Dezhou) Co., Ltd." in qorvo["aliases"]
    assert identified_by_dz(qorvo)
    assert "Qorvo" in projects["weixun-semiconductor"]["name_en"]
    assert identified_by_dz(projects["weixun-semiconductor"])
    grinm = [r for r in [*projects.values(), *enterprises.values()] if "有研" in r["name_zh"]]
    assert len(grinm) == 6
    for record in grinm:
        assert "GRINM" in record["name_en"] and identified_by_dz(record), record["id"]
    for project in projects.values():
        if "靶材" in project["name_zh"]:
            assert "sputtering targets" in project["name_en"], project["id"]
    assert "target materials" not in default_store_path().read_text(encoding="utf-8")
    assert projects["donghua-software"]["name_en"].startswith("DHC Software")
    assert identified_by_dz(projects["donghua-software"])


def test_search_finds_qorvo_the_company_and_its_project() -> None:
    found = {
        (row["type"], row["id"])
        for row in queries.search(open_store(default_store_path()), "qorvo")
    }
    assert {("enterprise", "weixun-dezhou"), ("project", "weixun-semiconductor")} <= found


PEOPLE = {
    "zhang-liang": ("张良", "Zhang Liang", "战略发展部部长", "jianneng-group"),
    "duan-shugang": ("段树刚", "Duan Shugang", "总经理", "weixun-dezhou"),
    "sun-zhiwu": ("孙志武", "Sun Zhiwu", "招商总监", "jinglu-shugu-park"),
    "etdz-leaders": ("德州经开区党工委、管委会主要负责同志", None, None, None),
    "li-yuanyuan": ("李媛媛", "Li Yuanyuan", None, None),
}


@pytest.mark.parametrize("person_id", PEOPLE)
def test_people_are_named_with_their_roles(
    store: dict[str, Any], report: str, person_id: str
) -> None:
    name_zh, name_en, role_zh, organisation = PEOPLE[person_id]
    person = by_id(store, "people")[person_id]
    assert person["name_zh"] == name_zh and name_zh in flat(person["source"]["quote"])
    assert name_en is None or person["name_en"] == name_en  # pinyin, family name first
    assert person["organisation"] == organisation
    if role_zh is not None:
        assert person["role_zh"] == role_zh and role_zh in report
        assert role_zh in person["role"]  # the report's word beside the English


def test_people_facts_live_in_people_not_in_notes(store: dict[str, Any]) -> None:
    people = store["people"].values()
    for table, record in records(store):
        if table == "people":
            continue
        for person in people:
            # 相关负责同志 is named inside 管委会相关负责同志: a longer name is someone else.
            longer = [
                p["name_zh"]
                for p in people
                if person["name_zh"] in p["name_zh"] != person["name_zh"]
            ]
            for field in ("note", "role"):
                text = record.get(field) or ""
                for name in longer:
                    text = text.replace(name, "")
                if person["name_zh"] in text:
                    assert f"person {person['id']}" in text, (record["id"], field)


def test_the_february_meeting_has_its_speakers_and_the_positioning_they_stated(
    store: dict[str, Any],
) -> None:
    meeting = by_id(store, "events")["work-mobilisation-meeting-2022"]
    assert meeting["refs"] == ["etdz-leaders", "zone-positioning"]
    positioning = by_id(store, "statements")["zone-positioning"]
    assert positioning["topic"] == "positioning"
    assert positioning["items_zh"] == ["京津冀产业承接地", "科技成果转化中心", "多元人才集聚高地"]


STATEMENTS = {
    "jinglu-shugu-aim": ("jinglu-shugu-park", "aim", "中国城市大数据产业研发·投资·运营商", []),
    "jinglu-shugu-model": (
        "jinglu-shugu-park",
        "model",
        "政府立园",
        ["政府立园", "企业运作", "统一规划", "资源共享"],
    ),
    "jinglu-shugu-firms-moved-in": ("jinglu-shugu-park", "status", "人驻", []),
    "management-company-model": (None, "model", "“管委会+公司”模式", []),
    "state-capital-structure": (None, "status", "基本形成", ["布局科学", "主业清晰", "实体运营"]),
    "investment-promotion-methods": (
        None,
        "method",
        "招大培强",
        ["招大培强", "产业链招商", "以企招企"],
    ),
    "trade-measures": (
        None,
        "measure",
        "跨境电商",
        ["跨境电商", "公共海外仓", "互联网+外贸", "以技术、品牌、质量、服务为核心的外贸竞争新优势"],
    ),
    "caption-3-ic-module-testing-platform": (None, "caption", "集成电路模组测试公共服务平台", []),
    "caption-7-dongziyuan": (None, "caption", "董子园风景区", []),
}


@pytest.mark.parametrize("statement_id", STATEMENTS)
def test_the_missing_facts_are_statements(
    store: dict[str, Any], report: str, statement_id: str
) -> None:
    subject, topic, words, items_zh = STATEMENTS[statement_id]
    statement = by_id(store, "statements")[statement_id]
    assert (statement["subject"], statement["topic"]) == (subject, topic)
    assert words in statement["text_zh"]
    assert statement["items_zh"] == items_zh
    assert len(statement["items_en"]) == len(items_zh)


def test_every_statement_quotes_its_own_words(store: dict[str, Any], report: str) -> None:
    for statement in store["statements"].values():
        text = flat(statement["text_zh"])
        assert text in flat(statement["source"]["quote"]) and text in report, statement["id"]
        for item in statement["items_zh"]:
            assert flat(item) in report, (statement["id"], item)


def test_the_misprint_is_quoted_as_printed(store: dict[str, Any], report: str) -> None:
    moved_in = by_id(store, "statements")["jinglu-shugu-firms-moved-in"]
    assert "企业的人驻" in report and "人驻" in moved_in["source"]["quote"]
    assert "入驻" in moved_in["note"] and "misprint" in moved_in["note"]


RELATIONS = {
    "filed-amount-in-services-trade": (
        "part_of",
        "services_trade_reported_amount@2021",
        "services_trade@2021",
        [],
    ),
    "named-parks-of-jjj-zone": (
        "named_members",
        None,
        "jjj-demo-zone#park_count",
        ["高新产业园", "电子信息产业园"],
    ),
    "named-fields-of-the-five": (
        "named_members",
        None,
        "five_key_industries_value_added",
        ["新能源", "新材料", "新一代信息技术"],
    ),
    "named-alliances-of-the-five": (
        "named_members",
        None,
        "party-building-alliances#alliances",
        ["高端装备", "新一代信息技术产业"],
    ),
    "named-filing-firms": (
        "named_members",
        None,
        "services_trade_reporting_enterprises@2021",
        ["兆维铁塔", "德建集团", "美利达", "科兴天然气", "中大贝莱特", "威讯半导体"],
    ),
}


def test_parts_and_named_members_are_relations(store: dict[str, Any], report: str) -> None:
    found = {
        r["id"]: (r["relation"], r["part"], r["whole"], r["members_zh"])
        for r in store["relations"].values()
    }
    assert found == RELATIONS
    for relation in store["relations"].values():
        assert len(relation["members_en"]) == len(relation["members_zh"]), relation["id"]
        assert relation["members"] == [] or len(relation["members"]) == len(relation["members_zh"])
        quote = flat(relation["source"]["quote"])
        assert all(flat(member) in quote for member in relation["members_zh"]), relation["id"]
        assert quote in report, relation["id"]


def test_named_members_are_fewer_than_the_whole(store: dict[str, Any]) -> None:
    for relation in store["relations"].values():
        whole = resolve(store, relation["whole"])
        assert whole is not None
        if relation["relation"] == "named_members" and "value" in whole:
            assert len(relation["members_zh"]) < whole["value"], relation["id"]


def test_each_part_is_at_most_its_whole_through_the_reports_own_equivalent(
    store: dict[str, Any],
) -> None:
    for relation in store["relations"].values():
        if relation["relation"] != "part_of":
            continue
        part, whole = resolve(store, relation["part"]), resolve(store, relation["whole"])
        assert part is not None and whole is not None
        if part["base_unit"] != whole["base_unit"]:
            part = part["equivalent"]  # the report's own equivalent, never a rate of dz's
        assert part["base_unit"] == whole["base_unit"], relation["id"]
        assert part["base_value"] <= whole["base_value"], relation["id"]


def test_qorvo_dezhou_is_one_of_the_twelve_filing_firms(store: dict[str, Any]) -> None:
    qorvo = by_id(store, "enterprises")["weixun-dezhou"]
    assert "one of the 12 enterprises filing services-trade entries" in qorvo["role"]
    assert any(
        "12家企业填报信息" in q["quote"] and q["supports"] == "role" for q in qorvo["quotes"]
    )
    filers = by_id(store, "relations")["named-filing-firms"]
    assert "weixun-dezhou" in filers["members"]


def test_links_resting_on_a_name_or_an_unclear_sentence_say_so(store: dict[str, Any]) -> None:
    projects, enterprises = by_id(store, "projects"), by_id(store, "enterprises")
    for project_id in ("zhongji-huanyu", "weixun-semiconductor"):
        assert projects[project_id]["enterprise"] is not None
        assert "only by the shared name" in projects[project_id]["note"], project_id
        assert "仅基于名称相同" in projects[project_id]["note_zh"], project_id
    unclear = [
        enterprises["kairong-investment"],
        enterprises["yingwang-technology"],
        by_id(store, "events")["kairong-yingwang-credit-contract"],
        by_id(store, "events")["yingwang-first-tranche"],
    ]
    for record in unclear:
        assert "ambiguous" in record["note"] and "并不明确" in record["note_zh"], record["id"]


def test_enterprises_settling_in_keep_the_reports_words(store: dict[str, Any]) -> None:
    for enterprise in store["enterprises"].values():
        if "确定入驻" not in enterprise["source"]["quote"]:
            continue
        assert enterprise["park"] == "jjj-demo-zone", enterprise["id"]
        assert "确定入驻" in enterprise["role"] and "names no place" in enterprise["note"]
        assert any(q["supports"] == "park" for q in enterprise["quotes"]), enterprise["id"]


def test_jianneng_is_to_be_strengthened_in_its_role_and_in_the_reform(
    store: dict[str, Any],
) -> None:
    role = by_id(store, "enterprises")["jianneng-group"]["role"]
    reform = by_id(store, "events")["soe-reform-three-year-action"]["note"]
    assert "to be strengthened (做强)" in role and "to be strengthened (做强)" in reform


# --- issue 20: the bilingual audit, item by item ----------------------------------------------

CHINESE_FIELDS = ("name_zh", "role_zh", "note_zh", "text_zh")


def chinese_texts(store: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(record id, field, text) of every Chinese text of records and figures."""
    for _, record in records(store):
        for part in parts(record):
            for field in CHINESE_FIELDS:
                if isinstance(part.get(field), str):
                    yield record["id"], field, part[field]


def test_1_the_first_community_licence_keeps_the_reports_qualifier(store: dict[str, Any]) -> None:
    """The report: 德州首张在社区通过智能审批设备“秒批秒办”的个体工商户营业执照 - the first in a
    community, not Dezhou's first licence ever."""
    first = [(rid, field, text) for rid, field, text in chinese_texts(store) if "首张" in text]
    assert len(first) >= 3
    for record_id, field, text in first:
        assert "德州首张在社区" in text, (record_id, field, text)
    role = by_id(store, "people")["li-yuanyuan"]["role_zh"]
    assert "德州首张在社区通过智能审批设备“秒批秒办”的个体工商户营业执照" in role


def test_2_standing_trade_measures_are_apart_from_the_next_steps(store: dict[str, Any]) -> None:
    statements = by_id(store, "statements")
    for statement in statements.values():
        quote = flat(statement["source"]["quote"])
        for item in statement["items_zh"]:
            assert flat(item) in quote, (statement["id"], item)  # from its own words
    next_steps = statements["trade-measures"]
    assert next_steps["nature"] == "plan" and "坚持" not in next_steps["source"]["quote"]
    assert next_steps["source"]["quote"].startswith("下一步")
    [standing] = [s for s in statements.values() if s["source"]["quote"].startswith("坚持")]
    assert (standing["topic"], standing["nature"]) == ("measure", "actual")
    said = standing["text_zh"] + next_steps["text_zh"]
    for words in (
        "挖掘存量、扩大增量",
        "引导外贸企业扩大进出口规模",
        "鼓励先进技术设备、关键零部件和战略资源型产品进口",
        "加快培育以技术、品牌、质量、服务为核心的外贸竞争新优势",
        "出口退税资金池",
    ):
        assert words in said, words
    assert standing["speaker"] == next_steps["speaker"] == "etdz-leaders"


def test_3_the_innovation_community_plan_is_translated_clause_by_clause(
    store: dict[str, Any],
) -> None:
    text_en = by_id(store, "statements")["innovation-community-plan"]["text_en"]
    for words in ("coordinated development", "across sectors", "at scale", "overall breakthrough"):
        assert words in text_en, words
    assert "across sectors and scale" not in text_en


def test_4_the_founding_in_1957_is_claimed_of_weixun_not_of_qorvo(store: dict[str, Any]) -> None:
    events, enterprises = by_id(store, "events"), by_id(store, "enterprises")
    parent = enterprises["weixun-company"]
    assert parent["name_zh"] == "威讯公司" and identified_by_dz(parent)
    founded = events["weixun-founded"]
    assert founded["refs"] == ["weixun-company"]  # the parent, not the Dezhou plant
    assert identified_by_dz(founded)
    for event in events.values():
        if event["id"].startswith("weixun-"):
            assert "威讯公司" in event["name_en"] and "Qorvo" not in event["name_en"], event["id"]
            assert "weixun-company" in event["refs"], event["id"]


def test_5_youyan_yijin_is_grikin_with_its_transliteration_kept(store: dict[str, Any]) -> None:
    yijin = by_id(store, "projects")["youyan-yijin-ic-targets"]
    assert yijin["name_en"].startswith("GRIKIN Advanced Materials")
    assert "Youyan Yijin integrated-circuit sputtering targets" in yijin["aliases"]
    assert identified_by_dz(yijin) and "GRIKIN" in yijin["note"] and "GRIKIN" in yijin["note_zh"]
    found = queries.search(open_store(default_store_path()), "Youyan Yijin")
    assert ("project", "youyan-yijin-ic-targets") in {(row["type"], row["id"]) for row in found}


PLAN_WORDS = re.compile("力争|拟|将|规划|计划")


def test_6_an_amount_is_a_plan_only_where_its_words_say_so(store: dict[str, Any]) -> None:
    for table, record in records(store):
        for part in parts(record):
            if part.get("nature") == "plan" and table != "statements":
                assert PLAN_WORDS.search(part["source"]["quote"]), (record["id"], part.get("key"))
    for key in ("floor_area", "total_investment"):
        total = figure(store, "parks", "jjj-demo-zone", key)
        assert total["nature"] == "actual", key  # stated plainly
        assert "dz's reading" in total["note"] and "dz的理解" in total["note_zh"], key


def test_7_no_relation_is_stored_that_the_report_does_not_state(store: dict[str, Any]) -> None:
    twelve, eighteen = (
        "services_trade_reporting_enterprises@2021",
        "registered_services_trade_enterprises@2021",
    )
    for relation in store["relations"].values():
        assert {relation["part"], relation["whole"]} != {twelve, eighteen}, relation["id"]
        assert "does not say" not in (relation["note"] or ""), relation["id"]
    stats = by_id(store, "stats")
    assert "does not say that the 12 are among" in stats[eighteen]["note"]
    assert "without saying that the 12 are among the 18" in stats[twelve]["note"]


def test_8_the_reform_measures_are_parallel_not_one_inside_another(store: dict[str, Any]) -> None:
    reform = by_id(store, "events")["soe-reform-three-year-action"]
    assert "Within it" not in reform["note"] and "其中包括" not in reform["note_zh"]
    assert "parallel measures" in reform["note"] and "并列" in reform["note_zh"]
    founded = by_id(store, "enterprises")["park-development-investment"]
    assert "three-year" not in founded["role"] and "三年行动" not in founded["role_zh"]


def test_9_the_red_chain_is_party_building_by_dz_reading(store: dict[str, Any]) -> None:
    red = by_id(store, "projects")["red-chain-pilot"]
    assert "dz's reading" in red["note"] and "dz的理解" in red["note_zh"]
    assert "党建" not in red["source"]["quote"]  # so the note says where it reads it
    assert any("党建" in q["quote"] and q["supports"] == "note" for q in red["quotes"])


CAPTION = re.compile(r"[①②③④⑤⑥⑦⑧][^①②③④⑤⑥⑦⑧-]+")


def test_10_every_photo_caption_is_quoted_by_a_record(store: dict[str, Any], report: str) -> None:
    captions = CAPTION.findall(report[report.index("①") :])
    assert len(captions) == 8
    quoted = {
        flat(quote["quote"])
        for _, record in records(store)
        for quote in [record["source"], *record["quotes"]]
    }
    for caption in captions:
        assert any(caption in quote for quote in quoted), caption


# The passages the report quotes from an unnamed official, and who says them.
QUOTED_OFFICIALS = {
    "建能集团发挥国有独资公司的规模效应": "管委会相关负责同志",
    "这些进驻的项目可形成产业配套": "管委会相关负责同志",
    "带来的不仅是进出口额和利税的增长": "相关负责同志",
}


@pytest.mark.parametrize("words", QUOTED_OFFICIALS)
def test_11_the_quoted_officials_are_people_and_their_words_statements(
    store: dict[str, Any], report: str, words: str
) -> None:
    people = by_id(store, "people")
    [statement] = [s for s in store["statements"].values() if words in s["text_zh"]]
    speaker = people[statement["speaker"]]
    assert speaker["name_zh"] == QUOTED_OFFICIALS[words]
    # the words quoted end with the name of whoever says them (“…”管委会相关负责同志说)
    said = [statement["source"]] + [q for q in statement["quotes"] if q["supports"] == "speaker"]
    assert any(
        re.search(f"”{speaker['name_zh']}(说|介绍)$", flat(quote["quote"])) for quote in said
    )
    assert speaker["role_zh"] and speaker["role"]


def test_11_a_statement_told_by_a_person_names_them_as_its_speaker(
    store: dict[str, Any],
) -> None:
    people = by_id(store, "people")
    spoken = 0
    for statement in store["statements"].values():
        told_by = re.findall(r"\(person ([a-z-]+)\)", statement["note"] or "")
        assert statement["speaker"] is None or statement["speaker"] in people, statement["id"]
        if told_by:
            assert statement["speaker"] == told_by[0], statement["id"]
        spoken += statement["speaker"] is not None
    assert spoken >= 10
    committee = by_id(store, "enterprises")["etdz-management-committee"]
    assert people["etdz-management-committee-official"]["organisation"] == committee["id"]


@pytest.mark.parametrize(
    "words", ["全面深化“放管服”改革", "对接京津冀的桥头堡", "为打造改革开放示范区提供了充沛动能"]
)
def test_12_the_reform_the_bridgehead_and_the_aim_are_statements(
    store: dict[str, Any], words: str
) -> None:
    assert any(words in s["text_zh"] for s in store["statements"].values()), words


def test_13_roles_cover_every_clause_of_their_quote(store: dict[str, Any]) -> None:
    enterprises = by_id(store, "enterprises")
    gaochuang, investment = (
        enterprises["gaochuang-centre"],
        enterprises["park-development-investment"],
    )
    assert "企业技术交易、人才项目申报" in gaochuang["role_zh"]
    assert "technology transactions" in gaochuang["role"] and "talent" in gaochuang["role"]
    assert "产业引导基金及产业链投资导师" in investment["role_zh"]
    assert "industrial guidance funds" in investment["role"] and "mentors" in investment["role"]
    [aggregation] = [s for s in store["statements"].values() if "多维度的资源聚合" in s["text_zh"]]
    assert (aggregation["subject"], aggregation["speaker"]) == ("jinglu-shugu-park", "sun-zhiwu")


def test_14_a_chinese_role_says_what_its_english_says(store: dict[str, Any]) -> None:
    enterprises = by_id(store, "enterprises")
    jianneng, gaochuang = enterprises["jianneng-group"], enterprises["gaochuang-centre"]
    assert "拳头" in jianneng["role_zh"] and "拳头" in jianneng["role"]
    assert "scale" in jianneng["role"]
    assert "引进" in gaochuang["role_zh"] and "bringing in" in gaochuang["role"]
    assert "等" in gaochuang["role_zh"] and "(等)" in gaochuang["role"]


UNNATURAL_CHINESE = [
    re.compile("期间(?:为|按)"),  # a statistic's period is its 统计时期
    re.compile("并未出现[。；]"),  # what does not appear?
    re.compile("在改革中被重组"),
    re.compile("^“[^”]+”，没有确切日期"),  # a fragment
    re.compile("(?:^|[。；])(?:未给出|仅为|仅见于)"),  # who does not give it? what is it?
    re.compile("据[^，。；]*介绍[。；]"),  # 据…介绍 opens a clause it never writes
    re.compile("dz(?:认为|理解)[^。]*dz的判断"),  # dz's reading, said twice in one sentence
    re.compile("这一对应是"),  # the noun is 对应关系
    re.compile("统计部门统计"),
]


def test_15_the_chinese_reads_as_a_chinese_editor_would_write_it(store: dict[str, Any]) -> None:
    for record_id, field, text in chinese_texts(store):
        for pattern in UNNATURAL_CHINESE:
            assert not pattern.search(text), (record_id, field, text)
    for enterprise in store["enterprises"].values():
        role = enterprise["role_zh"] or ""
        assert not role.startswith(enterprise["name_zh"]), enterprise["id"]  # not named twice
    for stat in store["stats"].values():
        if "期间" in (stat["note"] or "") or "Period 2021" in (stat["note"] or ""):
            assert "统计时期" in stat["note_zh"], stat["id"]


QUOTED = re.compile("“([^”]*)”")
ELLIPSIS = re.compile("……|…")


def test_15_what_the_chinese_puts_in_quotation_marks_is_the_reports_words(
    store: dict[str, Any], report: str
) -> None:
    """“…” in a Chinese text quotes the report (an ellipsis marks what is left out); a word of
    dz's own, or a reading it rules out, is written without quotation marks."""
    for record_id, field, text in chinese_texts(store):
        for quoted in QUOTED.findall(text):
            if not CJK.search(quoted):
                continue  # a Latin name: “Qorvo” does not appear in the report
            for piece in ELLIPSIS.split(quoted):
                assert flat(piece) in report, (record_id, field, quoted)


LATIN_WORD = re.compile(r"[\w@#:./+-]*[A-Za-z][\w@#:./+-]*", re.ASCII)
NAME_IN_PARENTHESES = re.compile(r"[\u4e00-\u9fff]\([^()]*\)")


def test_15_running_chinese_uses_full_width_punctuation(store: dict[str, Any], report: str) -> None:
    """，。：；（）and …… in Chinese prose; half-width marks only inside the report's own words (a
    quotation, a name it prints as 英望科技(山东)有限公司) and in ids or Latin names."""
    for record_id, field, text in chinese_texts(store):
        if field == "text_zh":
            continue  # the report's words, verbatim
        assert not re.search("(?<!…)…(?!…)", text), (record_id, field, text)
        prose = LATIN_WORD.sub("", QUOTED.sub("", text))
        names = NAME_IN_PARENTHESES.findall(prose)
        assert all(flat(name) in report for name in names), (record_id, field, names)
        prose = NAME_IN_PARENTHESES.sub("", prose)
        assert not re.search(r"[,;:?!()]", prose), (record_id, field, text)


def cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_16_growth_in_chinese_shows_its_formula_in_chinese_and_the_value_with_its_unit() -> None:
    table = cli("growth", "--lang", "zh", "--format", "md")
    assert "value / (1 + yoy_pct / 100)" not in table
    assert "推算: 本期数值 ÷ (1 + 同比增速 ÷ 100)" in table
    assert "和数值29.73亿元推算" in table and "和数值2136万美元推算" in table
    english = cli("growth", "--format", "md")
    assert "derived: value / (1 + yoy_pct / 100)" in english and "to 29.73 亿元 in 2021" in english
    derived = [row for row in json.loads(cli("growth", "--json")) if row["kind"] == "derived"]
    assert derived and {row["formula"] for row in derived} == {"value / (1 + yoy_pct / 100)"}


def test_17_relations_count_with_the_measure_word_of_what_is_counted() -> None:
    table = cli("relations", "--lang", "zh", "--format", "md")
    assert "填报信息企业 (2021):点名6家(兆维铁塔" in table  # firms: 家
    assert "产业园区:点名2个(高新产业园" in table  # parks: 个
    assert "党建联盟:点名2个(高端装备" in table


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_18_a_stats_notes_state_each_fact_once(lang: str) -> None:
    table = cli("stats", "2021", "--lang", lang, "--format", "md")
    [revenue] = [line for line in table.splitlines() if "29.73" in line]
    assert revenue.count("1.79") == 1
    [filed] = [line for line in table.splitlines() if "1757.5" in line]
    assert filed.count("11433.5") == 1


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_18_a_threshold_crossed_reads_as_more_than(lang: str) -> None:
    for fmt in ("table", "md"):
        shown = cli("enterprises", "威讯联合", "--lang", lang, "--format", fmt)
        assert "≥" not in shown
        assert (">50 亿元" if fmt == "table" else "\\>50 亿元") in shown


NOT_NEGATIVE = {"CNY", "USD", "m2", "count", "year"}


def amount_paths(store: dict[str, Any]) -> Iterator[tuple[str, str, int | None]]:
    """(table, record id, figure index or None) of every amount that cannot be negative."""
    for table, record in records(store):
        stated = table in ("stats", "targets") and record["value"] is not None
        if stated and record["base_unit"] in NOT_NEGATIVE:
            yield table, record["id"], None
        for index, part in enumerate(record.get("figures", [])):
            if part["base_unit"] in NOT_NEGATIVE:
                yield table, record["id"], index


def negative_lines(data: dict[str, Any]) -> list[str]:
    return [p.line() for p in check.audit(data, None) if "cannot be negative" in p.line()]


def test_20_no_amount_of_money_area_count_or_time_may_be_negative() -> None:
    data = shipped()
    assert negative_lines(data) == []
    paths = list(amount_paths(data))
    assert len(paths) > 25
    for table, record_id, index in paths:
        data = shipped()
        record = next(r for r in data[table].values() if r["id"] == record_id)
        amount = record if index is None else record["figures"][index]
        amount.update(value=-amount["value"] or -1, base_value=-amount["base_value"] or -1)
        assert any(
            line.startswith(f"{table} {record_id}: error: plausibility:")
            for line in negative_lines(data)
        ), (record_id, index)


@given(st.floats(max_value=-1e-6, min_value=-1e9, allow_nan=False))
@settings(max_examples=30, deadline=None)
def test_20_a_negative_floor_area_fails_dz_check(area: float) -> None:
    data = shipped()
    zone = next(r for r in data["parks"].values() if r["id"] == "jjj-demo-zone")
    floor = next(f for f in zone["figures"] if f["key"] == "floor_area")
    floor.update(value=area, base_value=area * 10**4)
    assert any(
        line.startswith("parks jjj-demo-zone: error: plausibility: figures[1].value is -")
        and line.endswith("but an area cannot be negative")
        for line in negative_lines(data)
    )


# --- issue 18: the area the report ties a park, project or enterprise to ---------------------

PLACED = ("parks", "projects", "enterprises")

# Read by hand against the report, sentence by sentence: the records it names as the zone's own
# (its parks and projects, its state-owned firms, the firms it counts). Every other park,
# project and enterprise stays null: the report does not say, or dz would be guessing.
AREAS_READ_BY_HAND = {
    ("parks", "jjj-demo-zone"): "dezhou-etdz",  # 作为经开区对接京津冀的桥头堡
    ("parks", "solar-town-tech-park"): "dezhou-etdz",  # 经开区管委会盘活闲置资产
    ("projects", "northern-emergency-rescue-zone"): "dezhou-etdz",  # 经开区…抓实抓紧…落地开工
    ("projects", "zhongji-huanyu"): "dezhou-etdz",
    ("projects", "youyan-sputtering-targets"): "dezhou-etdz",
    ("projects", "youyan-12-inch-wafers"): "dezhou-etdz",  # …经开区电子信息产业不断壮大
    ("projects", "youyan-yijin-ic-targets"): "dezhou-etdz",
    ("projects", "donghua-software"): "dezhou-etdz",
    ("projects", "youyan-8-inch-wafers"): "dezhou-etdz",
    ("projects", "weixun-semiconductor"): "dezhou-etdz",
    ("projects", "jinglu-shugu-empowerment-centre"): "dezhou-etdz",  # 经开区将依托…
    ("projects", "red-chain-pilot"): "dezhou-etdz",  # 经开区…实施“红链领航”突破项目
    ("enterprises", "jianneng-group"): "dezhou-etdz",  # 经开区…做强建能实业集团
    ("enterprises", "gaochuang-centre"): "dezhou-etdz",  # 经开区…重组高创中心
    ("enterprises", "park-development-investment"): "dezhou-etdz",  # 经开区…新成立
    ("enterprises", "kairong-investment"): "dezhou-etdz",  # 经开区…改组
    ("enterprises", "aolian-industrial-internet"): "dezhou-etdz",  # 成为全区…第一家
    ("enterprises", "weixun-dezhou"): "dezhou-etdz",  # 威讯德州公司来到经开区
    ("enterprises", "zhaowei-tower"): "dezhou-etdz",  # 数据显示,2021年全区… (the 12 filers)
    ("enterprises", "dejian-group"): "dezhou-etdz",
    ("enterprises", "meilida"): "dezhou-etdz",
    ("enterprises", "kexing-natural-gas"): "dezhou-etdz",
    ("enterprises", "zhongda-beilaite"): "dezhou-etdz",
    ("enterprises", "etdz-management-committee"): "dezhou-etdz",  # 德州经开区党工委、管委会
}


def names_of(record: dict[str, Any]) -> list[str]:
    return [record["name_zh"], *record["aliases"]]


def quote_names_area(quote: str, area_id: str, store: dict[str, Any]) -> bool:
    """Whether a quote names the area by its name or an alias, once the names that merely
    contain one are taken out: another area's (德州经开区 is the zone, not the city 德州) and a
    firm's or park's (威讯德州公司 says nothing of the city). The area's own management
    committee (经开区管委会) is the area acting, so its name does name the area."""
    areas = by_id(store, "areas")
    own = names_of(areas[area_id])
    others = [r for i, r in areas.items() if i != area_id]
    others += [r for table in PLACED for r in store[table].values()]
    own_bodies = {f"{name}管委会" for name in own}
    merely_containing = {
        name
        for record in others
        for name in names_of(record)
        if any(mine in name for mine in own) and name not in own_bodies
    }
    for name in sorted(merely_containing, key=len, reverse=True):
        quote = quote.replace(name, "")
    return any(name in quote for name in own)


def test_an_area_is_named_by_its_aliases_not_inside_another_name(
    store: dict[str, Any],
) -> None:
    assert quote_names_area("全区已基本形成", "dezhou-etdz", store)
    assert quote_names_area("德州经开区党工委", "dezhou-etdz", store)
    assert not quote_names_area("德州经开区党工委", "dezhou-city", store)
    assert quote_names_area("是德州首张", "dezhou-city", store)
    assert not quote_names_area("威讯德州公司来到经开区", "dezhou-city", store)
    assert quote_names_area("经开区管委会盘活闲置资产", "dezhou-etdz", store)
    assert not quote_names_area("兆维铁塔、德建集团", "dezhou-etdz", store)


def test_a_record_with_an_area_quotes_the_words_that_name_it(
    store: dict[str, Any], report: str
) -> None:
    placed = 0
    for table in PLACED:
        for record in store[table].values():
            if record["area"] is None:
                continue
            placed += 1
            for_area = [q["quote"] for q in record["quotes"] if q["supports"] == "area"]
            assert for_area, record["id"]
            assert all(flat(quote) in report for quote in for_area), record["id"]
            assert any(quote_names_area(q, record["area"], store) for q in for_area), record["id"]
    assert placed == len(AREAS_READ_BY_HAND)


def test_the_areas_of_parks_projects_and_enterprises_are_those_read_by_hand(
    store: dict[str, Any],
) -> None:
    stored = {
        (table, record["id"]): record["area"]
        for table in PLACED
        for record in store[table].values()
        if record["area"] is not None
    }
    assert stored == AREAS_READ_BY_HAND


def test_a_record_without_an_area_has_no_quote_for_one(store: dict[str, Any]) -> None:
    """A partner from elsewhere (展誉数谷(北京)), a client (苹果), a parent abroad (威讯公司),
    or a record the report does not place: null, and no quote claims otherwise."""
    unplaced = [r for t in PLACED for r in store[t].values() if r["area"] is None]
    assert {"zhanyu-shugu", "apple", "weixun-company"} <= {r["id"] for r in unplaced}
    for record in unplaced:
        assert all(q["supports"] != "area" for q in record["quotes"]), record["id"]
