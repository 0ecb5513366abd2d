"""`--lang zh` all through: codes, field names and the change log in Chinese, and the language
tags and locales people write (zh-CN, zh_CN, zh-Hans, en-US)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from dzcli.cli import app
from dzcli.model import kinds
from dzcli.output import contract
from dzcli.output.views import CODES_ZH, FIELD_ZH, Lang, lang_of

runner = CliRunner()


def table(*args: str, env: dict[str, str] | None = None) -> str:
    result = runner.invoke(app, [*args, "--wide"], env=env)
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    return result.stdout


def cells(text: str, column: int) -> list[str]:
    """The cells of one column of a table (0 the first), row by row."""
    return [
        line.split("│")[column + 1].strip()
        for line in text.splitlines()
        if line.startswith("│") and len(line.split("│")) > column + 2
    ]


# --- language tags ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "lang"),
    [
        ("zh", Lang.zh),
        ("zh-CN", Lang.zh),
        ("zh_CN", Lang.zh),
        ("zh-Hans", Lang.zh),
        ("zh-Hant-TW", Lang.zh),
        ("zh_CN.UTF-8", Lang.zh),
        ("ZH", Lang.zh),
        ("en", Lang.en),
        ("en-US", Lang.en),
        ("en_GB.UTF-8", Lang.en),
        ("fr", None),
        ("C", None),
        ("", None),
        ("zhx", None),
    ],
)
def test_a_tag_or_locale_names_its_language_by_its_first_part(tag: str, lang: Lang | None) -> None:
    assert lang_of(tag) is lang


@pytest.mark.parametrize("tag", ["zh-CN", "zh_CN", "zh-Hans", "zh_CN.UTF-8"])
def test_lang_takes_the_tags_people_write(tag: str) -> None:
    assert table("stats", "2021", "--lang", tag) == table("stats", "2021", "--lang", "zh")


def test_lang_en_us_is_english() -> None:
    assert table("parks", "--lang", "en-US") == table("parks", "--lang", "en")


def test_an_unknown_lang_is_a_usage_error_that_says_what_is_taken() -> None:
    result = runner.invoke(app, ["parks", "--lang", "fr"])
    assert result.exit_code == 2
    assert result.stderr == (
        "dz: error: Invalid value for '--lang': 'fr' is not zh or en "
        "(zh-CN, zh_CN, en-US… are taken too)\n"
    )


# --- dz show: codes in Chinese ---------------------------------------------------------------


def shown(*args: str) -> dict[str, str]:
    """`dz show … --lang zh` as field label → value (the first of each label)."""
    text = table("show", *args, "--lang", "zh")
    pairs: dict[str, str] = {}
    for label, value in zip(cells(text, 0), cells(text, 1), strict=True):
        pairs.setdefault(label, value)
    return pairs


def test_dz_show_in_chinese_gives_the_codes_in_chinese() -> None:
    gdp = shown("gdp@2021")
    assert gdp["价格口径"] == "可比价"  # basis: real
    assert gdp["口径依据"] == "统计惯例"  # basis_by: convention
    assert gdp["性质"] == "实际"  # nature: actual
    assert gdp["取得方式"] == "报告"  # kind: reported
    assert gdp["采信等级"] == "一般"  # claim_rank: normal
    assert gdp["类别"] == "经济"  # category: economy
    assert gdp["基本单位"] == "元"  # base_unit: CNY
    english = table("show", "gdp@2021", "--lang", "en")
    assert "│ basis_by " in english and "convention" in english


def test_no_english_code_is_left_in_a_chinese_dz_show(facts_db: Path) -> None:
    data = json.loads(facts_db.read_text(encoding="utf-8"))
    ids = [
        r["id"]
        for name in ("stats", "targets", "projects", "statements", "relations")
        for r in data[name].values()
    ]
    text = table("show", *ids, "--lang", "zh")
    values = set(cells(text, 1))
    codes = {code for words in CODES_ZH.values() for code in words}
    # A code that is also Chinese-free text a record may hold would be a record's own words:
    # none of these is (the check is on whole cells).
    assert not values & codes, sorted(values & codes)


def test_every_closed_vocabulary_of_the_registry_has_its_chinese_words() -> None:
    vocabularies = {
        "basis": kinds.BASES,
        "basis_by": kinds.BASIS_BY,
        "nature": kinds.NATURES,
        "bound": kinds.BOUNDS,
        "claim_rank": kinds.CLAIM_RANKS,
        "status": kinds.STATUSES,
        "topic": kinds.TOPICS,
        "relation": kinds.RELATIONS,
    }
    for field, codes in vocabularies.items():
        assert set(CODES_ZH[field]) == set(codes), field


def test_every_field_name_of_every_listing_has_a_chinese_label() -> None:
    names = {
        re.sub(r"\[.*", "", part)
        for kind in contract.KINDS - {"check"}  # dz check has no table: it prints lines
        for path, _ in contract.field_paths(kind)
        for part in path.split(".")
    }
    assert sorted(names - set(FIELD_ZH)) == []


# --- dz search: field names in Chinese ------------------------------------------------------


def test_dz_search_in_chinese_names_the_field_that_matched_in_chinese() -> None:
    fields = cells(table("search", "威讯", "--lang", "zh"), 3)
    assert "中文名称" in fields and "原文" not in fields
    assert "出处.原文" in fields  # source.quote
    assert any(re.fullmatch(r"点名成员\[[0-9]+\]", field) for field in fields)  # members_zh[5]
    assert not any(re.search("[a-z]{3}", field) for field in fields), fields
    english = cells(table("search", "威讯", "--lang", "en"), 3)
    assert "name_zh" in english and "source.quote" in english


# --- dz log: a few lines an entry ------------------------------------------------------------


def logged_store(tmp_path: Path, facts_db: Path, entries: int, ids: int) -> Path:
    data = json.loads(facts_db.read_text(encoding="utf-8"))
    names = [f"metric_{n}@2023" for n in range(ids)]
    data["log"] = {
        str(n): {
            "id": f"log:{n}",
            "time": f"2024-01-{n:02}T10:00:00Z",
            "command": "dz import bulletin-2023.csv",
            "added": names[:-8],
            "changed": names[-8:],
            "retracted": [],
            "doc": "dezhou-etdz-2022",
            "previous": [],
        }
        for n in range(1, entries + 1)
    }
    store = tmp_path / "logged.json"
    store.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return store


def log_table(store: Path, lang: str, columns: int) -> list[str]:
    result = runner.invoke(
        app, ["log", "--db", str(store), "--lang", lang], env={"COLUMNS": str(columns)}
    )
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


@pytest.mark.parametrize("columns", [80, 120])
def test_dz_log_takes_a_few_lines_an_entry_and_counts_the_ids_beyond_the_first(
    tmp_path: Path, facts_db: Path, columns: int
) -> None:
    store = logged_store(tmp_path, facts_db, entries=10, ids=58)
    lines = log_table(store, "en", columns)
    assert len(lines) <= 5 + 4 * 10  # title, frame and heading; at most 4 lines an entry
    assert all(cell_len(line) <= columns for line in lines)
    text = "\n".join(lines)
    assert text.count("added 50: metric_0@2023, metric_1@2023, metric_2@2023 and 47 more") == 10
    assert text.count("changed 8: metric_50@2023, metric_51@2023, metric_52@2023 and 5 more") == 10
    assert "metric_3@2023" not in text


def test_dz_log_in_chinese_says_what_changed_in_chinese(tmp_path: Path, facts_db: Path) -> None:
    store = logged_store(tmp_path, facts_db, entries=1, ids=10)
    text = "\n".join(log_table(store, "zh", 80))
    assert "新增2项: metric_0@2023, metric_1@2023" in text
    assert "修改8项: metric_2@2023, metric_3@2023, metric_4@2023 及其余5项" in text
    assert "added" not in text and "changed" not in text


def test_dz_log_json_still_lists_every_id(tmp_path: Path, facts_db: Path) -> None:
    store = logged_store(tmp_path, facts_db, entries=2, ids=58)
    result = runner.invoke(app, ["log", "--db", str(store), "--json"])
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    assert [len(row["added"]) + len(row["changed"]) for row in rows] == [58, 58]
