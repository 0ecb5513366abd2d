"""One renderer, every format: what each prints parses back to the JSON rows, --fields picks and
orders fields everywhere, pipes are never cut, and tables line up in Chinese."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from typer.testing import CliRunner

from dzcli.cli import app
from dzcli.output.render import md_cell, tsv_cell
from dzcli.output.views import transpose

runner = CliRunner()

LISTINGS: list[list[str]] = [
    ["stats", "2021"],
    ["stats", "2022"],
    ["growth"],
    ["targets"],
    ["parks"],
    ["projects"],
    ["enterprises"],
    ["events"],
    ["show", "gdp@2021"],
    ["show", "jjj-demo-zone"],
    ["search", "威讯"],
]
ids = [" ".join(args) for args in LISTINGS]


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


def fail(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def json_rows(*args: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(run(*args, "--format", "json"))
    return rows


def at(row: dict[str, Any], path: str) -> Any:
    value: Any = row
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def as_cell(value: Any) -> str:
    """The documented cell of a CSV/TSV: null empty, text as is, anything else as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def leaves(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict) and value:
        found: dict[str, Any] = {}
        for key, item in value.items():
            found.update(leaves(item, f"{prefix}.{key}" if prefix else key))
        return found
    return {prefix: value}


# The characters str.splitlines breaks at besides \n and \r, which TSV writes as \uXXXX.
LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def read_tsv(text: str) -> list[list[str]]:
    unescape = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"}
    unescape |= {f"\\u{ord(char):04x}": char for char in LINE_BREAKS}
    escaped = re.compile("|".join(re.escape(escape) for escape in unescape))
    return [
        [escaped.sub(lambda m: unescape[m.group()], cell) for cell in line.split("\t")]
        for line in text.split("\n")[:-1]
    ]


def with_long_quote(facts_db: Path, tmp_path: Path) -> tuple[Path, str]:
    """A store whose gdp@2021 has a 200-character quote and note (wider than any terminal)."""
    quote = ("2021年,地区生产总值达到317.19亿元," * 10)[:199] + "尾"
    assert len(quote) == 200
    data = json.loads(facts_db.read_text(encoding="utf-8"))
    gdp = next(r for r in data["stats"].values() if r["id"] == "gdp@2021")
    gdp["source"]["quote"] = quote
    gdp["note"] = "A note as long as the quote: " + quote
    store = tmp_path / "long.json"
    store.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return store, quote


# --- every format parses back to the JSON rows --------------------------------------------------


@pytest.mark.parametrize("args", LISTINGS, ids=ids)
def test_json_and_json_shorthand_agree(args: list[str]) -> None:
    assert run(*args, "--json") == run(*args, "--format", "json") == run(*args, "-f", "json")
    assert json_rows(*args)


@pytest.mark.parametrize("args", LISTINGS, ids=ids)
def test_jsonl_is_one_row_per_line(args: list[str]) -> None:
    text = run(*args, "--format", "jsonl")
    assert text.endswith("\n")
    assert [json.loads(line) for line in text.splitlines()] == json_rows(*args)


@pytest.mark.parametrize("args", LISTINGS, ids=ids)
def test_csv_parses_back_to_the_json_rows(args: list[str]) -> None:
    rows = json_rows(*args)
    header, *records = list(csv.reader(io.StringIO(run(*args, "--format", "csv"))))
    assert len(records) == len(rows)
    for row, record in zip(rows, records, strict=True):
        assert record == [as_cell(at(row, column)) for column in header]
        # Nothing is lost: every field with a value has its column (objects spelled out).
        assert {path for path, value in leaves(row).items() if value is not None} <= set(header)


@pytest.mark.parametrize("args", LISTINGS, ids=ids)
def test_tsv_parses_back_to_the_same_cells_as_csv(args: list[str]) -> None:
    tsv = read_tsv(run(*args, "--format", "tsv"))
    assert tsv == list(csv.reader(io.StringIO(run(*args, "--format", "csv"))))


@pytest.mark.parametrize("args", LISTINGS, ids=ids)
def test_markdown_is_a_pipe_table_with_a_line_per_row(args: list[str]) -> None:
    lines = run(*args, "--format", "md").splitlines()
    rows = json_rows(*args)
    # show: a line per field, and one per nested field or figure
    expected = len(transpose(rows)) if args[0] == "show" else len(rows)
    assert len(lines) == expected + 2
    assert re.fullmatch(r"\| (---:?)( \| ---:?)* \|", lines[1])
    unescaped_pipes = [len(re.findall(r"(?<!\\)\|", line)) for line in lines]
    assert set(unescaped_pipes) == {lines[1].count("|")}


def test_csv_flattens_nested_fields_with_dotted_names_and_lists_as_json() -> None:
    header, *records = list(csv.reader(io.StringIO(run("parks", "--format", "csv"))))
    assert "source.quote" in header and "source" not in header
    zone = dict(zip(header, records[0], strict=True))
    assert zone["id"] == "jjj-demo-zone"
    assert json.loads(zone["aliases"]) == ["京津冀协同发展产业示范园"]
    assert json.loads(zone["figures"])[0]["key"] == "park_count"
    assert zone["parent"] == ""  # null
    assert zone["depth"] == "0"


# Every leaf of schemas/stat.schema.json, in its order.
STAT_HEADER = (
    "id,metric,name_zh,name_en,category,period,value,unit,base_value,base_unit,yoy_pct,"
    "share_pct,share_of,rank,rank_scope,vs_city_avg_pp,equivalent.value,equivalent.unit,"
    "equivalent.base_value,equivalent.base_unit,equivalent.approx,"
    "equivalent.converted_from.value,equivalent.converted_from.unit,approx,kind,formula,"
    "inputs.value,inputs.yoy_pct,inputs.from,inputs.previous_value,note,source.doc,"
    "source.quote,converted_from.value,converted_from.unit,"
    # issue 9's fields, added at the end so that earlier columns keep their places
    "basis,basis_by,bound,nature,claim_rank,rank_reason,note_zh,quotes,corroborated_by,"
    "disputed_by,"
    # issue 21's: whose rate a revision shows, and (--all-claims) which claim answers
    "yoy_from,answered_by,"
    # issue 18's: whose figure it is, and the areas its rank and its comparison are in
    "area,rank_area,vs_avg_area"
)


@pytest.mark.parametrize(
    "args",
    [
        ["stats", "2021"],
        ["stats", "2022"],  # no equivalent, no conversion, no derived row
        ["stats", "2021", "--metric", "gdp", "--unit", "亿元"],  # nothing converted
        ["stats", "2021", "--unit", "万元"],  # some converted
        ["growth"],  # derived rows with formula and inputs
        ["growth", "gdp"],
    ],
    ids=" ".join,
)
@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_the_header_is_every_field_of_the_kind_whatever_the_rows(args: list[str], fmt: str) -> None:
    header = run(*args, "--format", fmt).splitlines()[0]
    assert header == (STAT_HEADER if fmt == "csv" else STAT_HEADER.replace(",", "\t"))


def test_the_header_with_previous_values_is_the_header_without(
    two_year_store: Path,
) -> None:
    computed = run("growth", "gdp", "--db", str(two_year_store), "--format", "csv")
    assert "inputs.previous_value" in computed  # the store where such a row exists
    assert computed.splitlines()[0] == STAT_HEADER


def empty_store(tmp_path: Path) -> Path:
    from dzcli.model.kinds import TABLES

    store = tmp_path / "empty.json"
    store.write_text(json.dumps({table: {} for table in TABLES}), encoding="utf-8")
    return store


@pytest.mark.parametrize(
    "args",
    [["targets"], ["parks"], ["projects"], ["enterprises"], ["events"], ["search", "威讯"]],
    ids=" ".join,
)
def test_an_empty_listing_has_the_header_of_a_full_one(tmp_path: Path, args: list[str]) -> None:
    full = run(*args, "--format", "csv").splitlines()[0]
    empty = run(*args, "--db", str(empty_store(tmp_path)), "--format", "csv")
    assert empty == full + "\n"
    # The fields dz adds to what the store holds are columns too, rows or none.
    added = {"targets": "actual.value", "parks": "depth", "projects": "park_name_en"}
    assert added.get(args[0], "id") in empty.strip().split(",")


def test_an_empty_listing_prints_its_header_or_nothing() -> None:
    assert run("search", "no-such-text", "--format", "csv") == (
        "type,id,name_zh,name_en,field,text,source.doc,source.quote,matched_in\n"
    )
    assert run("search", "no-such-text", "--format", "jsonl") == ""
    assert json.loads(run("search", "no-such-text", "--json")) == []
    assert run("search", "no-such-text", "--format", "md").count("\n") == 2
    assert run("search", "no-such-text") == "Nothing matches.\n"


def test_tsv_escapes_tabs_and_newlines_so_a_record_stays_one_line(
    facts_db: Path, tmp_path: Path
) -> None:
    data = json.loads(facts_db.read_text(encoding="utf-8"))
    gdp = next(r for r in data["stats"].values() if r["id"] == "gdp@2021")
    gdp["note"] = "tab\there\nnewline \\ backslash"
    store = tmp_path / "tabs.json"
    store.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    text = run("stats", "2021", "--db", str(store), "--format", "tsv", "--fields", "id,note")
    assert "gdp@2021\ttab\\there\\nnewline \\\\ backslash\n" in text
    assert ["gdp@2021", gdp["note"]] in read_tsv(text)


def test_tsv_escapes_every_line_break_and_keeps_other_characters_raw(
    facts_db: Path, tmp_path: Path
) -> None:
    data = json.loads(facts_db.read_text(encoding="utf-8"))
    kept = ("gdp@2021", "general_public_budget_revenue@2021")
    data["stats"] = {k: r for k, r in data["stats"].items() if r["id"] in kept}
    gdp, revenue = data["stats"].values()
    gdp["note"] = "a\u2028b\u2029c\u0085d\x0ce\x1ef \\u2028"
    revenue["note"] = "esc\x1b[31m bidi\u202e"
    store = tmp_path / "two.json"
    store.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    args = ["stats", "2021", "--db", str(store), "--fields", "id,note"]
    text = run(*args, "--format", "tsv")
    assert text.splitlines() == [
        "id\tnote",
        "gdp@2021\ta\\u2028b\\u2029c\\u0085d\\u000ce\\u001ef \\\\u2028",
        "general_public_budget_revenue@2021\tesc\x1b[31m bidi\u202e",  # data, as it is
    ]
    assert read_tsv(text) == [["id", "note"], [kept[0], gdp["note"]], [kept[1], revenue["note"]]]


@pytest.mark.slow  # a Hypothesis search
@given(st.text(st.characters(codec="utf-8") | st.sampled_from("\\\t\r\n" + LINE_BREAKS)))
def test_a_tsv_cell_is_one_line_that_reads_back(text: str) -> None:
    cell = tsv_cell(text)
    assert "\t" not in cell
    assert cell.splitlines() == ([cell] if cell else [])
    assert read_tsv(cell + "\n") == [[text]]


def test_jsonl_keeps_unicode_line_separators_inside_the_line(
    facts_db: Path, tmp_path: Path
) -> None:
    data = json.loads(facts_db.read_text(encoding="utf-8"))
    gdp = next(r for r in data["stats"].values() if r["id"] == "gdp@2021")
    gdp["note"] = "one\u2028two\u0085three"
    store = tmp_path / "ls.json"
    store.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    text = run("stats", "2021", "--db", str(store), "--format", "jsonl")
    assert len(text.splitlines()) == 11  # str.splitlines splits on U+2028 and NEL
    assert any(json.loads(line)["note"] == gdp["note"] for line in text.splitlines())


@given(st.text(max_size=40))
def test_a_markdown_cell_never_ends_the_cell_or_adds_markup(text: str) -> None:
    cell = md_cell(text).replace("<br>", "")  # a line break is the one markup added
    assert "\n" not in cell
    assert not re.search(r"(?<!\\)(\\\\)*\|", cell.replace("\\\\", ""))
    for mark in "*`[]<>~":
        assert cell.count(mark) == cell.count("\\" + mark)


def test_markdown_escapes_markup_and_keeps_snake_case() -> None:
    assert md_cell("a|b") == "a\\|b"
    assert md_cell("*bold* [link](x) <b>") == "\\*bold\\* \\[link\\](x) \\<b\\>"
    assert md_cell("five_key_industries") == "five_key_industries"
    assert md_cell("_emphasis_") == "\\_emphasis\\_"
    assert md_cell("two\nlines") == "two<br>lines"


@pytest.mark.parametrize(
    ("lang", "zone", "sub_park"),
    [
        ("zh", "京津冀协同发展产业示范区", "高新产业园"),
        ("en", "Beijing", "High-Tech Industrial Park"),
    ],
)
def test_markdown_marks_a_sub_park_where_a_table_indents_it(
    lang: str, zone: str, sub_park: str
) -> None:
    lines = run("parks", "--format", "md", "--lang", lang).splitlines()
    assert lines[2].startswith(f"| {zone}")
    assert lines[3].startswith(f"| └ {sub_park}")
    table = run("parks", "--lang", lang)
    assert re.search(f"│   {sub_park}", table)  # a terminal table: indented by two spaces
    assert "└ " not in table


def test_markdown_indents_deeper_sub_parks_with_spaces_markdown_keeps(
    facts_db: Path, tmp_path: Path
) -> None:
    data = json.loads(facts_db.read_text(encoding="utf-8"))
    parks = {r["id"]: r for r in data["parks"].values()}
    parks["electronic-information-park"]["parent"] = "hi-tech-park"
    store = tmp_path / "deep.json"
    store.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    lines = run("parks", "--db", str(store), "--format", "md").splitlines()
    assert lines[3].startswith("| └ High-Tech Industrial Park |")
    assert lines[4].startswith("| &nbsp;&nbsp;└ Electronic Information Industrial Park |")


def test_markdown_of_projects_has_the_park_as_a_column() -> None:
    lines = run("projects", "--format", "md", "--lang", "zh").splitlines()
    assert lines[0] == "| 园区 | 项目 | 编号 | 状态 | 产业 | 备注 |"
    assert lines[2].startswith(
        "| 高新产业园 | 高新产业园项目 | hi-tech-park-infrastructure | 施工 |"
    )
    assert lines[-1].startswith("| 未说明园区 |")


def test_markdown_right_aligns_numbers_and_follows_the_language() -> None:
    lines = run("stats", "2021", "--format", "md", "--lang", "zh").splitlines()
    assert lines[:2] == [
        "| 指标 | 时期 | 数值 | 同比 | 说明 |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    trade = next(line for line in lines if line.startswith("| 货物进出口额 |"))
    # The rank, then the Chinese note on the rate's basis (note_zh), in the reader's language.
    assert trade.startswith(
        "| 货物进出口额 | 2021 | 112 亿元 | +19.2% | 列全市第2位; 增速按现价计算"
    )


def test_json_and_format_must_agree() -> None:
    code, stdout, stderr = fail("stats", "2021", "--json", "--format", "csv")
    assert (code, stdout) == (2, "")
    assert (
        stderr == "dz: error: --json means --format json; it cannot be combined with --format csv\n"
    )
    assert run("stats", "2021", "--json", "--format", "json") == run("stats", "2021", "--json")


def test_an_unknown_format_is_a_usage_error() -> None:
    code, _, stderr = fail("stats", "--format", "xml")
    assert code == 2
    assert stderr == (
        "dz: error: Invalid value for '--format' / '-f': 'xml' is not one of 'table', 'json', "
        "'jsonl', 'csv', 'tsv', 'md'.\n"
    )


# --- --fields --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv", "md", "table"])
def test_fields_pick_and_order_in_every_format(fmt: str) -> None:
    text = run("stats", "2021", "--fields", "value,id,unit", "--format", fmt)
    if fmt in ("json", "jsonl"):
        rows = json.loads(text) if fmt == "json" else [json.loads(x) for x in text.splitlines()]
        assert [list(row) for row in rows] == [["value", "id", "unit"]] * 11
        assert rows[1] == {"value": 317.19, "id": "gdp@2021", "unit": "亿元"}
    elif fmt in ("csv", "tsv"):
        lines = text.splitlines()
        sep = "," if fmt == "csv" else "\t"
        assert lines[0] == sep.join(["value", "id", "unit"])
        assert lines[2] == sep.join(["317.19", "gdp@2021", "亿元"])
    elif fmt == "md":
        assert text.splitlines()[:3] == [
            "| value | id | unit |",
            "| ---: | --- | --- |",
            "| 54.9 | five_key_industries_value_added@2021 | 亿元 |",
        ]
    else:
        header = next(line for line in text.splitlines() if "value" in line and "id" in line)
        assert header.index("value") < header.index("id") < header.index("unit")
        assert re.search(r"│ +317\.19 │ gdp@2021 +│ 亿元 +│", text)


def test_dotted_fields_keep_their_nesting_in_json_and_flatten_in_csv() -> None:
    rows = json_rows("stats", "2021", "--fields", "id,source.quote")
    assert rows[1] == {
        "id": "gdp@2021",
        "source": {"quote": "2021年,地区生产总值达到317.19亿元,同比增长8.6%"},
    }
    lines = run("stats", "2021", "--fields", "id,source.quote", "--format", "csv").splitlines()
    assert lines[0] == "id,source.quote"
    assert lines[2] == 'gdp@2021,"2021年,地区生产总值达到317.19亿元,同比增长8.6%"'


def test_an_object_field_is_whole_in_json_and_spelled_out_in_flat_formats() -> None:
    rows = json_rows("stats", "2021", "--fields", "source")
    assert set(rows[0]["source"]) == {"doc", "quote"}
    header = run("stats", "2021", "--fields", "source", "--format", "csv").splitlines()[0]
    assert header == "source.doc,source.quote"


def test_fields_on_show_pick_from_the_record_kind() -> None:
    assert json_rows("show", "gdp@2021", "--fields", "type,value,unit") == [
        {"type": "stat", "value": 317.19, "unit": "亿元"}
    ]
    table = run("show", "gdp@2021", "--fields", "value,source.quote", "--lang", "zh")
    assert table.startswith("统计: 地区生产总值 (gdp@2021)\n")
    assert "│ value        │ 317.19" in table
    assert "│ source.quote │ 2021年,地区生产总值达到317.19亿元,同比增长8.6% │" in table


def test_an_unknown_field_is_a_usage_error_listing_the_valid_ones() -> None:
    code, stdout, stderr = fail("stats", "2021", "--fields", "id,vale", "--format", "csv")
    assert (code, stdout) == (2, "")
    prefix = "dz: error: unknown field 'vale' for stat (did you mean 'value'?); valid fields: "
    assert stderr.startswith(prefix)
    valid = stderr.removeprefix(prefix).strip().split(", ")
    assert valid[:8] == [
        "id",
        "metric",
        "name_zh",
        "name_en",
        "category",
        "period",
        "value",
        "unit",
    ]
    assert {"source.quote", "equivalent.value", "formula", "inputs.yoy_pct"} <= set(valid)
    assert stderr.count("\n") == 1


def test_a_bare_nested_name_suggests_its_dotted_path() -> None:
    _, _, stderr = fail("search", "威讯", "--fields", "quote")
    assert stderr.startswith(
        "dz: error: unknown field 'quote' for match (did you mean 'source.quote'?)"
    )


def test_several_unknown_fields_are_named_together() -> None:
    _, _, stderr = fail("parks", "--fields", "nope,id,nada")
    assert stderr.startswith(
        "dz: error: unknown fields 'nope', 'nada' for park (did you mean 'note'?); "
        "valid fields: id,"
    )


def test_fields_needs_a_name() -> None:
    assert fail("parks", "--fields", " , ") == (
        2,
        "",
        "dz: error: --fields needs at least one field name, e.g. --fields id,value\n",
    )


def test_unknown_fields_are_caught_even_when_nothing_matches() -> None:
    code, _, stderr = fail("search", "no-such-text", "--fields", "idd", "--json")
    assert code == 2
    assert "did you mean 'id'?" in stderr


# --- pipes: nothing cut ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["stats", "2021"],
        ["show", "gdp@2021"],
        ["stats", "2021", "--fields", "id,source.quote"],
        ["search", "地区生产总值达到"],
    ],
    ids=lambda args: " ".join(args),
)
def test_a_piped_table_never_cuts_a_long_cell(
    facts_db: Path, tmp_path: Path, args: list[str]
) -> None:
    store, quote = with_long_quote(facts_db, tmp_path)
    text = run(*args, "--db", str(store), "--wide")
    where = next(line for line in text.splitlines() if quote[:20] in line)
    assert quote in where  # whole, on one line
    assert "…" not in where
    text = run(*args, "--db", str(store))  # laid out for 100 columns: wrapped, never cut
    assert max(cell_len(line) for line in text.splitlines()) <= 100
    assert quote.replace(",", "") in "".join(
        "".join(line.split("│")[-2].split()) for line in text.splitlines() if "│" in line
    ).replace(",", "")


def test_a_piped_table_is_laid_out_for_columns_else_100(facts_db: Path, tmp_path: Path) -> None:
    store, quote = with_long_quote(facts_db, tmp_path)
    args = ["show", "gdp@2021", "--db", str(store)]
    for env, width in (({"COLUMNS": "40"}, 40), ({"COLUMNS": "132"}, 132), ({}, 100)):
        result = runner.invoke(app, args, env=env)
        lines = result.stdout.splitlines()
        assert max(cell_len(line) for line in lines) == width, env
    wide = runner.invoke(app, [*args, "--wide"], env={"COLUMNS": "40"}).stdout
    assert quote in wide  # --wide: no limit, one line per field


# --- tables for people -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [["stats", "2021"], ["parks"], ["enterprises"], ["search", "威讯"]]
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_line_of_a_table_has_the_same_display_width(args: list[str], lang: str) -> None:
    title, *lines = run(*args, "--lang", lang).splitlines()
    assert title
    widths = {cell_len(line) for line in lines}
    assert len(widths) == 1, widths
    assert any(re.search(r"[\u4e00-\u9fff]", line) for line in lines)  # Chinese is in the table


def test_each_project_table_lines_up_in_chinese() -> None:
    tables = re.split(r"\n(?=[^┏┃┡│└])", run("projects", "--lang", "zh").strip())
    assert [table.splitlines()[0] for table in tables] == [
        "高新产业园",
        "太阳能(德州)小镇科技园",
        "未说明园区",
    ]
    for table in tables:
        _title, *lines = table.splitlines()
        assert len({cell_len(line) for line in lines}) == 1


def test_numbers_are_right_aligned_and_growth_signed() -> None:
    lines = run("stats", "2021").splitlines()
    gdp = next(line for line in lines if "Gross regional product" in line)
    fdi = next(line for line in lines if "Foreign capital actually used" in line)
    assert re.search(r"│ +317\.19 亿元 │ +\+8\.6% │", gdp)
    # Right-aligned: both values end in the same column.
    assert cell_len(gdp[: gdp.index("亿元") + 2]) == cell_len(fdi[: fdi.index("万美元") + 3])


def test_headings_and_names_follow_the_language() -> None:
    zh = run("stats", "2021", "--lang", "zh")
    en = run("stats", "2021", "--lang", "en")
    assert zh.startswith("统计数据\n") and "┃ 指标" in zh and "地区生产总值" in zh
    assert en.startswith("Statistics\n") and "┃ Indicator" in en and "Gross regional product" in en
    assert "Gross regional product" not in zh
    # A share names its whole, and a rank its scope, in the reader's language.
    assert "占规模以上工业增加值比重70.3%" in zh
    assert "70.3% of value added of industrial enterprises above designated size" in en
    assert "列全市第2位" in zh and "rank 2 in the city" in en


@pytest.mark.parametrize(
    ("locale", "heading"),
    [("zh_CN.UTF-8", "统计数据"), ("en_US.UTF-8", "Statistics"), ("C", "Statistics")],
)
def test_the_language_defaults_from_the_locale(locale: str, heading: str) -> None:
    result = runner.invoke(app, ["stats", "2021"], env={"LANG": locale})
    assert result.stdout.splitlines()[0] == heading
    forced = runner.invoke(app, ["stats", "2021", "--lang", "en"], env={"LC_ALL": "zh_CN.UTF-8"})
    assert forced.stdout.splitlines()[0] == "Statistics"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_machine_formats_carry_both_languages_whatever_lang_says(lang: str) -> None:
    for fmt in ("json", "csv"):
        text = run("stats", "2021", "--format", fmt, "--lang", lang)
        assert "地区生产总值" in text and "Gross regional product" in text


def test_growth_and_search_tables_speak_chinese() -> None:
    growth = run("growth", "general_public_budget_revenue", "--lang", "zh")
    assert "│ 报告 │" in growth.replace("  ", " ") or " 报告 " in growth
    assert "推算" in growth and "reported" not in growth
    search = run("search", "威讯", "--lang", "zh")
    assert " 企业 " in search and "enterprise" not in search.split("┃")[0]


# --- --unit -----------------------------------------------------------------------------------


def test_unit_converts_within_the_currency_and_keeps_what_was_reported() -> None:
    rows = {row["metric"]: row for row in json_rows("stats", "2021", "--unit", "万元")}
    gdp = rows["gdp"]
    assert (gdp["value"], gdp["unit"]) == (3171900, "万元")
    assert gdp["base_value"] == 31_719_000_000  # never converted
    assert gdp["converted_from"] == {"value": 317.19, "unit": "亿元"}
    assert "converted_from" not in rows["cross_border_ecommerce_9710_exports"]  # already 万元
    fdi = rows["foreign_capital_actually_used"]  # another currency: as reported
    assert (fdi["value"], fdi["unit"], "converted_from" in fdi) == (2136, "万美元", False)
    counts = rows["services_trade_entries"]
    assert (counts["value"], counts["unit"]) == (38, "条")
    amount = rows["services_trade_reported_amount"]
    assert amount["equivalent"]["value"] == 11433.5  # its CNY equivalent was already 万元


def test_unit_is_exact_decimal_scaling() -> None:
    rows = {row["metric"]: row for row in json_rows("stats", "2021", "--unit", "亿元")}
    assert rows["cross_border_ecommerce_9710_exports"]["value"] == 0.1362  # not 0.13620000000000002
    equivalent = rows["services_trade_reported_amount"]["equivalent"]
    assert (equivalent["value"], equivalent["unit"]) == (1.14335, "亿元")
    yuan = {row["metric"]: row for row in json_rows("stats", "2021", "--unit", "元")}
    assert yuan["gdp"]["value"] == 31_719_000_000 == yuan["gdp"]["base_value"]
    assert isinstance(yuan["gdp"]["value"], int)


@given(
    st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False),
    st.sampled_from(["元", "万元", "亿元"]),
    st.sampled_from(["元", "万元", "亿元"]),
)
def test_conversion_is_exact_and_round_trips(value: Any, source: str, target: str) -> None:
    from decimal import Decimal

    from dzcli.model.units import SCALES, convert

    number = float(value)
    [row] = convert([{"value": number, "unit": source}], target)
    shift = SCALES[source][1] - SCALES[target][1]
    assert Decimal(repr(row["value"])) == Decimal(repr(number)).scaleb(shift)
    [back] = convert([row], source)
    assert back["value"] == number


def test_unit_shows_in_tables_and_other_formats() -> None:
    line = next(x for x in run("stats", "2021", "--unit", "万元").splitlines() if "Gross" in x)
    assert "3171900 万元" in line
    csv_text = run(
        "stats", "2021", "--unit", "万元", "--format", "csv", "--fields", "id,value,unit"
    )
    assert "gdp@2021,3171900,万元" in csv_text.splitlines()


def test_unit_converts_nested_amounts() -> None:
    [goods] = [
        r for r in json_rows("targets", "2022", "--unit", "万元") if r["metric"] == "goods_trade"
    ]
    assert (goods["value"], goods["actual"]["value"], goods["actual"]["unit"]) == (
        1210000,
        1120000,
        "万元",
    )
    assert goods["required_growth"]["value_pct"] == 8.04  # a rate: unchanged
    zone = json_rows("parks", "--unit", "亿元")[0]
    area = next(f for f in zone["figures"] if f["key"] == "floor_area")
    assert (area["value"], area["unit"]) == (229, "万平方米")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["stats", "2021", "--metric", "foreign", "--unit", "亿元"],
            "dz: error: cannot express 万美元 in 亿元: --unit converts only between scales of one "
            "currency (元/万元/亿元)\n",
        ),
        (
            ["enterprises", "--unit", "美元"],  # 亿元 amounts, and a count of years
            "dz: error: cannot express 亿元 in 美元: --unit converts only between scales of one "
            "currency (美元/万美元/亿美元)\n",
        ),
        (
            ["events", "--unit", "亿美元"],  # 万元 amounts, counts of plots, years
            "dz: error: cannot express 万元 in 亿美元: --unit converts only between scales of "
            "one currency (美元/万美元/亿美元)\n",
        ),
        (
            ["stats", "2021", "--metric", "services_trade_entries", "--unit", "万美元"],
            "dz: error: nothing to express in 万美元: none of these amounts is in a currency; "
            "--unit converts only between scales of one currency (美元/万美元/亿美元)\n",
        ),
        (
            ["stats", "2021", "--unit", "kg"],
            "dz: error: Invalid value for '--unit': 'kg' is not one of "
            "'元', '万元', '亿元', '美元', '万美元', '亿美元'.\n",
        ),
    ],
)
def test_unit_refuses_across_currencies_and_units(args: list[str], message: str) -> None:
    assert fail(*args) == (2, "", message)


# --- growth --chart ----------------------------------------------------------------------------


def bars(text: str) -> dict[str, str]:
    """The bar of each chart line, by its first words."""
    return {line.split("  ")[0]: line for line in text.splitlines() if "│" in line or "█" in line}


def test_growth_chart_draws_rates_from_zero_and_shares_as_filled_bars() -> None:
    text = run("growth", "--chart")
    lines = bars(text)
    gdp = lines["Gross regional product"]
    fdi = lines["Foreign capital actually used"]
    assert gdp.endswith("+8.6%  │████")  # 8.6 / 48.44 of 24 cells, rounded
    assert fdi.endswith("+48.44%  │" + "█" * 24)  # the widest rate fills the bar
    share = next(line for line in text.splitlines() if "70.3%" in line)
    assert "70.3%  " + "█" * 14 + "░" * 6 + "  Value added of" in share  # its whole, wrapped
    assert text.startswith("Growth rates\n")
    assert "\nShares\n" in text
    assert "292.07" not in text  # implied values have no rate to draw


def test_negative_rates_grow_to_the_left_of_one_zero_line(facts_db: Path, tmp_path: Path) -> None:
    data = json.loads(facts_db.read_text(encoding="utf-8"))
    gdp = next(r for r in data["stats"].values() if r["id"] == "gdp@2021")
    gdp["yoy_pct"] = -24.22
    store = tmp_path / "negative.json"
    store.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    text = run("growth", "--chart", "--db", str(store))
    rate_lines = [line for line in text.splitlines() if "│" in line]
    axes = {cell_len(line[: line.index("│")]) for line in rate_lines}
    assert len(axes) == 1  # one zero line
    gdp_line = next(line for line in rate_lines if line.startswith("Gross regional product"))
    assert gdp_line.endswith("-24.22%  " + " " * 12 + "█" * 12 + "│")
    fdi_line = next(line for line in rate_lines if line.startswith("Foreign capital"))
    assert fdi_line.endswith(" " * 24 + "│" + "█" * 24)


def test_the_chart_speaks_chinese() -> None:
    text = run("growth", "--chart", "--lang", "zh")
    assert text.startswith("同比增速\n指标")
    assert "占比\n" in text
    assert "规模以上工业增加值" in text


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--json"], "dz: error: --chart draws for people: it needs --format table, not json\n"),
        (
            ["--format", "csv"],
            "dz: error: --chart draws for people: it needs --format table, not csv\n",
        ),
        (
            ["--format", "md"],
            "dz: error: --chart draws for people: it needs --format table, not md\n",
        ),
        (["--fields", "id"], "dz: error: --chart cannot be combined with --fields\n"),
    ],
)
def test_the_chart_is_never_in_machine_formats(extra: list[str], message: str) -> None:
    assert fail("growth", "--chart", *extra) == (2, "", message)
