"""Tables that read well at 80 and 120 columns, and the questions people ask: filters, `dz show`
by name, ranked search, Chinese throughout, a CSV for Excel."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from helpers import on_a_terminal
from rich.cells import cell_len
from typer.testing import CliRunner

from dzcli.cli import app
from dzcli.output.views import amount

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> str:
    result = runner.invoke(app, list(args), env=env)
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    return result.stdout


def rows(*args: str) -> list[dict[str, Any]]:
    return json.loads(run(*args, "--json"))  # type: ignore[no-any-return]


def fail(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert result.stdout == ""
    return result.exit_code, result.stderr


def terminal(columns: int, *args: str) -> list[str]:
    shown = on_a_terminal(*args, "--no-color", env={"TERM": "xterm", "COLUMNS": str(columns)})
    return shown.replace("\r\n", "\n").rstrip("\n").split("\n")


# --- tables that fit ------------------------------------------------------------------------

LISTINGS = [
    ["enterprises"],
    ["projects"],
    ["parks"],
    ["events"],
    ["stats", "2021"],
    ["growth"],
    ["targets"],
    ["search", "威讯"],
    ["show", "威讯"],
    ["growth", "--chart"],
]


WITH_IDS = {"enterprises", "projects", "parks", "events", "search"}  # the tables with an ID column


def amounts(record: dict[str, Any]) -> list[str]:
    """Every number with its unit a table shows of the record: its value and its figures'."""
    found = []
    if record.get("value") is not None and record.get("unit") not in (None, "%"):
        found.append(amount(record["value"], record["unit"], record.get("approx")))
    for figure in record.get("figures") or []:
        found.append(amount(figure["value"], figure["unit"], figure.get("approx")))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("args", LISTINGS, ids=" ".join)
@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_terminal_table_fits_and_breaks_no_id_nor_amount(
    args: list[str], columns: int, lang: str
) -> None:
    lines = terminal(columns, *args, "--lang", lang)
    assert max(cell_len(line) for line in lines) <= columns
    if "--chart" in args:
        return
    for record in rows(*args):
        if args[0] in WITH_IDS:
            assert any(record["id"] in line for line in lines), record["id"]
        for shown in amounts(record) if args[0] != "search" else []:
            assert any(shown in line for line in lines), shown


# The lines each took with the layout before this one (Rich's table, every column squeezed),
# on the store of that time (with issue 9's notes), under `script` with `stty cols 80`, and the
# records it listed then: a store that lists more records is allowed as many more lines.
LINES_BEFORE = {
    ("enterprises", "en"): (223, 22),
    ("enterprises", "zh"): (127, 22),
    ("projects", "en"): (163, 11),
    ("projects", "zh"): (112, 11),
    ("parks", "en"): (96, 6),
    ("parks", "zh"): (60, 6),
}


@pytest.mark.slow
@pytest.mark.parametrize(("command", "lang"), sorted(LINES_BEFORE))
def test_at_80_columns_the_big_listings_take_half_the_lines(command: str, lang: str) -> None:
    lines_before, records_before = LINES_BEFORE[(command, lang)]
    budget = lines_before * len(rows(command)) / records_before / 2
    assert len(terminal(80, command, "--lang", lang)) <= budget


@pytest.mark.slow
def test_a_long_cell_goes_under_its_row_with_a_label_at_80_columns() -> None:
    lines = terminal(80, "enterprises", "--lang", "en")
    assert lines[2].split("┃")[1:-1] == [" Name" + " " * 40, " ID" + " " * 29]
    weixun = lines.index(next(line for line in lines if "│ weixun-dezhou" in line))
    under = lines[weixun + 1 : weixun + 9]
    assert under[0].startswith("│   Role: Dezhou plant")
    assert any(
        line.startswith("│   Figures: Operating revenue (2021-01/2021-11): 53 亿元")
        for line in under
    )
    # a threshold crossed (突破50亿元) reads as "more than", never as revenue of 50 亿元
    assert any(
        line.startswith("│       Revenue threshold passed (突破) (2021): >50 亿元")
        for line in under
    )


@pytest.mark.slow
def test_the_growth_chart_keeps_its_columns_aligned_at_80() -> None:
    lines = terminal(80, "growth", "--chart", "--lang", "en")
    rates = [line for line in lines if "│" in line]
    assert len({cell_len(line[: line.index("│")]) for line in rates}) == 1
    shares = lines[lines.index("Shares") + 1 :]
    bar = "██████████████░░░░░░"
    [row] = [line for line in shares if bar in line]
    start = row.index(bar) + len(bar) + 2  # where the whole's name starts
    assert row[start:].startswith("Value added of")
    after = shares[shares.index(row) + 1 :]
    assert after and all(cell_len(line) <= 80 for line in after)
    whole = [line[start:] for line in after if len(line) > start and line[start - 1] == " "]
    assert " ".join([row[start:], *whole]).split()[-2:] == ["designated", "size"]


@pytest.mark.parametrize(("env", "width"), [({"COLUMNS": "60"}, 60), ({}, 100)])
def test_a_piped_table_is_laid_out_for_columns_else_100(env: dict[str, str], width: int) -> None:
    lines = run("parks", env=env).splitlines()
    assert max(cell_len(line) for line in lines) == width


def test_wide_puts_each_row_on_one_line() -> None:
    lines = run("enterprises", "--wide").splitlines()
    assert len(lines) == 4 + 1 + len(rows("enterprises"))  # title, borders, heading, rows


# --- filters ----------------------------------------------------------------------------------


def test_parks_of_a_park_are_it_and_its_sub_parks_with_figures() -> None:
    zone = rows("parks", "京津冀")
    assert [(r["id"], r["depth"]) for r in zone] == [
        ("jjj-demo-zone", 0),
        ("hi-tech-park", 1),
        ("electronic-information-park", 1),
    ]
    assert zone[0]["figures"]
    assert [r["id"] for r in rows("parks", "hi-tech-park")] == ["hi-tech-park"]
    code, stderr = fail("parks", "京津翼")
    assert code == 1 and stderr.startswith("dz: error: no park matches '京津翼'; ")
    assert "jjj-demo-zone" in stderr


def test_enterprises_by_name_and_by_park_with_a_park_column() -> None:
    assert [r["id"] for r in rows("enterprises", "威讯联合")] == ["weixun-dezhou"]
    assert [r["id"] for r in rows("enterprises", "威讯")] == ["weixun-dezhou", "weixun-company"]
    assert [r["id"] for r in rows("enterprises", "Qilu Equity")] == ["qilu-equity-exchange"]
    settled = rows("enterprises", "--park", "京津冀")
    assert {r["id"] for r in settled} == {
        "zhongji-huanyu-certification",
        "yingwang-technology",
        "haipenghui-precision",
    }
    assert {r["park_name_zh"] for r in settled} == {"京津冀协同发展产业示范区"}
    assert "│ 京津冀协同发展产业示范区 │" in run("enterprises", "--park", "京津冀", "--lang", "zh")
    assert fail("enterprises", "nobody-of-that-name")[0] == 1


def test_targets_by_metric_and_category_and_why_there_is_no_actual() -> None:
    capital = rows("targets", "--category", "capital_markets")
    assert {r["metric"] for r in capital} == {
        "ipo_approvals",
        "neeq_listings",
        "qilu_equity_exchange_listings",
    }
    assert all(r["why_not"] == "no_actual" and r["actual"] is None for r in capital)
    [trade] = rows("targets", "--metric", "goods_trade")
    assert trade["why_not"] is None and trade["required_growth"]["value_pct"] > 0
    table = run("targets", "--category", "capital_markets", "--lang", "en", "--wide")
    assert table.count("— (no earlier actual)") == 3


def test_a_year_of_targets_counts_the_open_ended_aims_it_leaves_out() -> None:
    every = rows("targets")
    open_ended = [r for r in every if r["period"] is None]
    assert len(open_ended) == 2
    table = run("targets", "2022", "--lang", "en")
    assert table.endswith(
        "2 open-ended aims (no year) not shown: `dz targets` without a year lists them.\n"
    )
    assert "另有2项未定年份的目标未列出" in run("targets", "2022", "--lang", "zh")
    assert "open-ended" in run("targets", "2022", "--format", "md", "--lang", "en")
    # The data formats carry the rows only.
    assert [r["period"] for r in rows("targets", "2022")] == ["2022"] * (len(every) - 2)
    assert "open-ended" not in run("targets", "2022", "--format", "csv")


def test_growth_of_a_period_and_a_bare_year() -> None:
    of_2021 = rows("growth", "--period", "2021")
    assert of_2021 and {r["period"] for r in of_2021} == {"2021"}
    assert rows("growth", "2021") == of_2021
    assert {r["period"] for r in rows("growth", "--period", "2022")} == {"2022-Q1"}
    assert [r["metric"] for r in rows("growth", "gdp", "--period", "2021")] == ["gdp"]
    assert fail("growth", "--period", "20x1")[0] == 2


def test_industry_labels_as_tables_print_them() -> None:
    printed = rows("projects", "--industry", "electronic information")
    assert printed == rows("projects", "--industry", "electronic_information")
    assert printed == rows("projects", "--industry", "电子信息")
    assert len(printed) == 5


# --- dz show ----------------------------------------------------------------------------------


def test_show_by_full_name_alias_and_several_at_once() -> None:
    assert [r["id"] for r in rows("show", "威讯联合半导体(德州)有限公司")] == ["weixun-dezhou"]
    both = rows("show", "威讯联合半导体(德州)有限公司", "hi-tech-park", "gdp@2021")
    assert [(r["type"], r["id"]) for r in both] == [
        ("enterprise", "weixun-dezhou"),
        ("park", "hi-tech-park"),
        ("stat", "gdp@2021"),
    ]
    code, stderr = fail("show", "no-such-name")
    assert code == 1 and stderr.startswith("dz: error: no record with id 'no-such-name'")


def test_show_of_a_part_several_records_share_shows_each_enterprise_first() -> None:
    shown = rows("show", "威讯")
    assert shown[0]["id"] == "weixun-dezhou"
    assert {r["id"] for r in shown} >= {"weixun-semiconductor", "weixun-founded"}
    table = run("show", "威讯", "--lang", "en")
    assert table.startswith("enterprise: Qorvo Semiconductor (Dezhou) Co., Ltd.")


def test_show_a_derived_id_with_its_formula(two_year_store: Path) -> None:
    db = ["--db", str(two_year_store)]
    derived = [r for r in rows("growth", "gdp", *db) if r["kind"] == "derived"]
    assert derived
    for row in derived:
        [shown] = rows("show", row["id"], *db)
        assert shown == {"type": "stat", **row}
    table = run("show", derived[0]["id"], *db, "--lang", "en", "--wide")
    assert "│ formula " in table and derived[0]["formula"] in table
    code, stderr = fail("show", "derived:gdp@1999", *db)
    assert code == 1 and "did you mean" in stderr


def test_show_lays_out_figures_and_sources_not_json() -> None:
    table = run("show", "weixun-dezhou", "--lang", "en", "--wide")
    assert "{" not in table and '"value"' not in table
    assert re.search(r"│   Operating revenue +│ 53 亿元 \(2021-01/2021-11\) +│", table)
    assert re.search(r"│     source +│ 「2021年,威讯联合半导体", table)
    zh = run("show", "weixun-dezhou", "--lang", "zh", "--wide")
    assert re.search(r"│ 中文名称 +│ 威讯联合半导体\(德州\)有限公司", zh)
    assert re.search(r"│   营业收入 +│ 53 亿元", zh)
    assert "│ 类型 " in zh and "│ 企业 " in zh


# --- search -----------------------------------------------------------------------------------


def test_search_finds_every_word_in_any_order() -> None:
    found = [r["id"] for r in rows("search", "innovation fund")]
    assert "innovation-fund-established" in found
    assert [r["id"] for r in rows("search", "fund innovation")] == found
    assert rows("search", "innovation zzzz") == []


def test_search_ranks_names_before_notes_before_shared_quotes() -> None:
    found = rows("search", "有研")
    areas = [r["matched_in"] for r in found]
    assert areas == sorted(areas, key=["names", "notes", "quotes"].index)
    named = [r for r in found if r["matched_in"] == "names"]
    assert named and all("有研" in (r["name_zh"] or "") for r in named)
    assert found[-1]["field"].endswith("quote")  # co-mentions, in a shared sentence, last
    assert [r["id"] for r in rows("search", "有研", "--in", "names")] == [r["id"] for r in named]
    quoted = rows("search", "有研", "--in", "quotes")
    assert quoted and all(r["field"].endswith("quote") for r in quoted)
    assert fail("search", "有研", "--in", "titles")[0] == 2


def test_search_shows_the_field_that_matched() -> None:
    table = run("search", "innovation fund", "--lang", "en", "--wide")
    assert "│ name_en " in table


# --- Chinese throughout ---------------------------------------------------------------------


# Four English words in a row (an id such as hi-tech-park is one word).
ENGLISH_SENTENCE = re.compile(r"(?<![-\w])[A-Za-z]{2,}(?:[ ,;:'’]+[A-Za-z]{2,}){3,}(?![-\w])")  # noqa: RUF001


@pytest.fixture
def chinese_notes(tmp_path: Path, facts_db: Path) -> Path:
    """The shipped store with a Chinese note and role beside every English one (a fixture: the
    store's own Chinese notes come with the model issue's data)."""
    data = json.loads(facts_db.read_text(encoding="utf-8"))
    for table in data.values():
        for record in table.values():
            for owner in [record, *(record.get("figures") or [])]:
                if owner.get("note"):
                    owner["note_zh"] = "中文备注。"
                if owner.get("role"):
                    owner["role_zh"] = "中文角色"
    store = tmp_path / "zh.json"
    store.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return store


@pytest.mark.parametrize(
    "args",
    [
        ["stats", "2021"],
        ["growth"],
        ["targets"],
        ["targets", "2022"],
        ["parks"],
        ["projects"],
        ["enterprises"],
        ["events"],
        ["show", "weixun-dezhou", "jjj-demo-zone"],
    ],
    ids=" ".join,
)
@pytest.mark.parametrize("fmt", ["table", "md"])
def test_chinese_tables_hold_no_english_sentence(
    chinese_notes: Path, args: list[str], fmt: str
) -> None:
    text = run(*args, "--db", str(chinese_notes), "--lang", "zh", "--format", fmt, "--wide")
    if args[0] == "show":  # the record's English fields are shown as the data they are
        text = "\n".join(
            line
            for line in text.splitlines()
            if not re.search(r"(英文|_en|\(英文\)|source|出处|原文)", line)
        )
    assert ENGLISH_SENTENCE.search(text) is None, ENGLISH_SENTENCE.search(text)


# --- a CSV for Excel and for scripts --------------------------------------------------------


def test_csv_with_a_byte_order_mark_and_without_a_header() -> None:
    plain = run("parks", "--format", "csv")
    assert run("parks", "--format", "csv", "--bom") == "\ufeff" + plain
    assert run("parks", "--format", "csv", "--no-header") == plain.split("\n", 1)[1]
    tsv = run("parks", "--format", "tsv")
    assert run("parks", "--format", "tsv", "--no-header") == tsv.split("\n", 1)[1]
    for extra in (["--bom"], ["--no-header"]):
        code, stderr = fail("parks", "--json", *extra)
        assert code == 2 and "is for --format csv or tsv" in stderr


def test_show_writes_a_threshold_as_more_than_never_as_the_value() -> None:
    """突破50亿元 is more than 50 亿元: `dz show` must not print it as revenue of 50 亿元."""
    result = runner.invoke(app, ["show", "weixun-dezhou", "--format", "md"])
    assert result.exit_code == 0
    assert "\\>50 亿元 (2021)" in result.stdout  # Markdown escapes ">"
    assert "| 50 亿元 (2021)" not in result.stdout
