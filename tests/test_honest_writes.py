"""Issue 21: writes that cannot take a wrong number, edit and undo, names on writes, and the
Excel round trip of `dz import` (through the CLI, in process, on the `home` fixture's store).
# ruff: noqa: RUF001  (the report writes full-width commas; the quotes must too)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import doc, installed_dz, snapshot
from typer.testing import CliRunner

from dzcli.cli import app
from dzcli.read import default_store_path

GDP_2023 = "2023年，全区地区生产总值达到340.12亿元，同比增长6.5%"
REVISION = "德州经开区统计局修订说明\n经核实,2021年地区生产总值修订为318.02亿元。\n"
ADD = ["add", "stat", "--metric", "gdp", "--period", "2023", "--unit", "亿元"]


class Run:
    """The CLI in process, with sys.argv as a shell would set it (the log records it)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch

    def __call__(self, *args: str) -> Any:
        self.monkeypatch.setattr(sys, "argv", ["dz", *args])
        return CliRunner().invoke(app, list(args))

    def json(self, *args: str) -> Any:
        done = self(*args, "--json")
        assert done.exit_code == 0, done.output
        return json.loads(done.stdout)


@pytest.fixture
def dz(home: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """The `home` store with bulletin-2023 (helpers.BULLETIN) registered."""
    run = Run(monkeypatch)
    done = run("source", "add", "bulletin.txt", "--id", "bulletin-2023", "--title-zh", "统计公报",
               "--date", "2024-03")  # fmt: skip
    assert done.exit_code == 0, done.output
    return run


def refused(dz: Run, home: Path, *args: str) -> str:
    """The one error line of a refused write, which left the store as it was."""
    before = snapshot(home)
    done = dz(*args)
    assert done.exit_code == 1, done.output
    assert snapshot(home) == before
    assert done.stderr.startswith("dz: error: ") and done.stderr.count("\n") == 1
    return str(done.stderr)


# --- the value, rate, share, rank and period against the quote --------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "says"),
    [
        ("340.1", "亿元", "the value 340.1 is not a number of the quote"),
        ("40.12", "亿元", "the value 40.12 is not a number of the quote"),
        ("34", "万元", "the value 34 is not a number of the quote"),
        ("340.12", "万元", "the quote gives 340.12亿元, not 340.12 万元"),
    ],
)
def test_dz_add_refuses_a_value_that_is_not_a_whole_number_of_the_quote(
    dz: Run, home: Path, value: str, unit: str, says: str
) -> None:
    args = [*ADD[:-1], unit, "--value", value, "--source", "bulletin-2023", "--quote", GDP_2023]
    assert f"--value: provenance: {says}" in refused(dz, home, *args)


def test_dz_add_refuses_a_rate_or_a_period_the_quote_does_not_give(dz: Run, home: Path) -> None:
    base = [*ADD, "--value", "340.12", "--source", "bulletin-2023", "--quote", GDP_2023]
    rate = refused(dz, home, *base, "--yoy", "9.9")
    assert "--yoy: provenance: the rate 9.9% is not in the quote (it gives 6.5%)" in rate
    done = dz(*base, "--yoy", "6.5")
    assert done.stdout == "added gdp@2023\n", done.output
    other_year = [*base[:5], "2024", *base[6:]]
    assert "--period: provenance: 2024 is not when the quote says (the quote names 2023)" in (
        refused(dz, home, *other_year)
    )
    explained = dz(*other_year, "--note", "Period 2024: the bulletin's 2023 is a misprint")
    assert explained.stdout == "added gdp@2024\n", explained.output


# --- dz import --dry-run ------------------------------------------------------------------------


def rows_file(folder: Path, rows: list[dict[str, Any]], name: str = "rows.jsonl") -> str:
    path = folder / name
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return str(path)


def gdp_row(period: str, quote: str, **fields: Any) -> dict[str, Any]:
    row = {"metric": "gdp", "period": period, "value": 340.12, "unit": "亿元"}
    return {**row, "source": {"doc": "bulletin-2023", "quote": quote}, **fields}


def test_a_dry_run_runs_every_rule_a_real_import_runs_and_names_the_row(
    dz: Run, home: Path, tmp_path: Path
) -> None:
    good = gdp_row("2023", GDP_2023, yoy_pct=6.5)
    not_in_source = gdp_row("2023-Q1", "2023年一季度,地区生产总值达到340.12亿元")
    for bad, says in [
        (not_in_source, "row 2 (gdp@2023-Q1), field source.quote: provenance: the quote is not"),
        (
            gdp_row("1700", "地区生产总值达到340.12亿元"),
            "row 2 (gdp@1700): the store would fail",
        ),
    ]:
        path = rows_file(tmp_path, [good, bad])
        for dry in ([], ["--dry-run"]):
            assert says in refused(dz, home, "import", path, "--table", "stats", *dry)
    path = rows_file(tmp_path, [good, {"id": "gdp@2021", "note": "checked again"}])
    before = snapshot(home)
    dry = dz("import", path, "--table", "stats", "--dry-run")
    assert dry.stdout.splitlines() == [
        "would add gdp@2023",
        "would update gdp@2021",
        "would add 1, would update 1, unchanged 0",
    ], dry.output
    assert snapshot(home) == before
    done = dz("import", path, "--table", "stats")
    assert done.stdout == "added 1, updated 1, unchanged 0\n", done.output


# --- a revision without a rate ------------------------------------------------------------------


@pytest.fixture
def revised(dz: Run, home: Path) -> Run:
    """gdp@2021 (317.19 亿元, +8.6%) revised by a source that states no rate, preferred."""
    (home.parent.parent / "revision.txt").write_text(REVISION, encoding="utf-8")
    done = dz("source", "add", "revision.txt", "--id", "revision", "--title-zh", "修订说明",
              "--date", "2022-06")  # fmt: skip
    assert done.exit_code == 0, done.output
    done = dz("add", "stat", "--metric", "gdp", "--period", "2021", "--value", "318.02",
              "--unit", "亿元", "--source", "revision", "--quote",
              "经核实,2021年地区生产总值修订为318.02亿元", "--prefer")  # fmt: skip
    assert done.stdout == "added gdp@2021#revision\n", done.output
    return dz


def test_a_revision_without_a_rate_keeps_the_reported_rate_in_view(revised: Run) -> None:
    for command in (["stats", "2021", "--metric", "gdp"], ["growth", "gdp"]):
        [row] = revised.json(*command)
        assert (row["id"], row["value"], row["yoy_pct"], row["basis"], row["yoy_from"]) == (
            "gdp@2021#revision", 318.02, 8.6, "real", "gdp@2021",
        )  # fmt: skip
    [own] = [r for r in revised.json("stats", "2021") if r["metric"] == "goods_trade"]
    assert own["yoy_from"] is None
    table = revised("stats", "2021", "--metric", "gdp").stdout
    assert "+8.6%" in table and "rate as reported by gdp@2021" in table
    stored = revised.json("show", "gdp@2021#revision")[0]
    assert stored["yoy_pct"] is None  # shown, never stored


def test_printing_a_revision_and_importing_it_back_keeps_the_rate_the_other_claims(
    revised: Run, tmp_path: Path
) -> None:
    for fmt in ("csv", "jsonl"):
        out = tmp_path / f"gdp.{fmt}"
        out.write_text(revised("stats", "2021", "--format", fmt).stdout, encoding="utf-8")
        done = revised("import", str(out), "--dry-run")
        assert done.stdout.endswith("would add 0, would update 0, unchanged 11\n"), done.output


# --- --all-claims -------------------------------------------------------------------------------


def test_all_claims_show_each_claims_rank_and_no_conflict_once_one_is_preferred(
    revised: Run,
) -> None:
    assert revised("prefer", "gdp@2021#revision", "--reason", "the revised figure").exit_code == 0
    for command in ("stats", "growth"):
        rows = revised.json(command, *(["2021"] if command == "stats" else []), "--all-claims")
        gdp = {r["id"]: r for r in rows if r["metric"] == "gdp" and r["kind"] == "reported"}
        assert set(gdp) == {"gdp@2021", "gdp@2021#revision"}  # growth too: the preferred one
        assert {r["answered_by"] for r in gdp.values()} == {"gdp@2021#revision"}
        assert all(r["disputed_by"] == [] for r in gdp.values())
        table = revised(command, "gdp", "--all-claims", "--wide").stdout
        if command == "stats":
            table = revised("stats", "2021", "--metric", "gdp", "--all-claims", "--wide").stdout
        assert "CONFLICT" not in table
        assert "preferred: the revised figure" in table
        assert "normal; the answer is gdp@2021#revision" in table
    zh = revised("stats", "2021", "--metric", "gdp", "--all-claims", "--wide", "--lang", "zh")
    assert "采信: the revised figure" in zh.stdout and "矛盾" not in zh.stdout


# --- retract, add again, edit, undo ---------------------------------------------------------


def test_a_claim_retracted_and_added_again_from_its_source_is_that_claim_corrected(
    dz: Run, home: Path
) -> None:
    args = [*ADD, "--value", "340.12", "--yoy", "6.5", "--source", "bulletin-2023"]
    assert dz(*args, "--quote", GDP_2023).exit_code == 0
    again = refused(dz, home, *args, "--quote", GDP_2023)
    assert "gdp@2023 is already in the store" in again and "dz edit gdp@2023" in again
    assert dz("retract", "gdp@2023", "--reason", "misread").exit_code == 0
    done = dz(*args, "--quote", GDP_2023, "--basis", "real")
    assert done.stdout == "added gdp@2023 (in place of its source's retracted claim)\n"
    [row] = dz.json("stats", "2023")
    assert (row["id"], row["claim_rank"], row["rank_reason"], row["basis"]) == (
        "gdp@2023", "normal", None, "real",
    )  # fmt: skip
    entry = dz.json("log")[-1]
    assert entry["changed"] == ["gdp@2023"]
    assert json.loads(entry["previous"][0]["record"])["claim_rank"] == "deprecated"


def test_dz_edit_changes_the_fields_given_checked_as_dz_add_and_logs_the_reason(
    dz: Run, home: Path
) -> None:
    assert "--yoy: provenance: the rate 9.9% is not in the quote" in refused(
        dz, home, "edit", "gdp@2021", "--yoy", "9.9", "--reason", "r"
    )
    assert "would make its id gdp@2020" in refused(
        dz, home, "edit", "gdp@2021", "--period", "2020", "--reason", "r"
    )
    assert "--metric: no metric matches 'nothing'" in refused(
        dz, home, "edit", "gdp@2021", "--metric", "nothing", "--reason", "r"
    )
    done = dz("edit", "gdp@2021", "--note", "Checked.", "--basis-by", "", "--reason", "asked")
    assert done.stdout == "changed gdp@2021: basis_by, note\n", done.output
    record = dz.json("show", "gdp@2021")[0]
    assert (record["note"], record["basis_by"]) == ("Checked.", None)
    entry = dz.json("log")[-1]
    assert "--reason asked" in entry["command"] and entry["changed"] == ["gdp@2021"]
    assert dz("edit", "gdp@2021", "--reason", "r").exit_code == 2  # nothing to change


def test_dz_undo_steps_back_one_change_at_a_time_and_says_what_it_undid(
    dz: Run, home: Path
) -> None:
    shipped = json.loads(default_store_path().read_text(encoding="utf-8"))
    added = dz(*ADD, "--value", "340.12", "--source", "bulletin-2023", "--quote", GDP_2023)
    assert added.exit_code == 0, added.output
    assert dz("edit", "gdp@2021", "--note", "x", "--reason", "r").exit_code == 0
    assert "log:2 is not the last change; log:3 is" in refused(dz, home, "undo", "log:2")
    assert dz("undo", "log:3").stdout.startswith("undid log:3 (dz edit gdp@2021")
    assert dz.json("show", "gdp@2021")[0]["note"] == shipped_note(shipped)
    second = dz("undo").stdout
    assert second.startswith("undid log:2 (dz add stat") and "removed gdp@2023" in second
    assert dz("undo").stdout.startswith("undid log:1 (dz source add")
    assert refused(dz, home, "undo").endswith(
        "nothing to undo: every change in the log is undone\n"
    )
    after = json.loads(home.read_text(encoding="utf-8"))
    assert {t: v for t, v in after.items() if t != "log"} == {
        t: v for t, v in shipped.items() if t != "log"
    }
    assert [e["command"] for e in dz.json("log")][-3:] == [
        "dz undo log:3", "dz undo log:2", "dz undo log:1",
    ]  # fmt: skip


def shipped_note(data: dict[str, Any]) -> Any:
    return next(r for r in data["stats"].values() if r["id"] == "gdp@2021")["note"]


# --- names on writes, computed ids, the table told from the columns ---------------------------


@pytest.mark.parametrize(
    ("term", "metric"),
    [("地区生产总值", "gdp"), ("budget revenue", "general_public_budget_revenue")],
)
def test_a_metric_is_named_on_a_write_as_on_a_read(dz: Run, term: str, metric: str) -> None:
    args = ["add", "stat", "--metric", term, "--period", "2023", "--value", "340.12", "--unit",
            "亿元", "--source", "bulletin-2023", "--quote", GDP_2023]  # fmt: skip
    done = dz(*args)
    assert done.stdout == f"added {metric}@2023\n", done.output


def test_a_name_that_names_nothing_or_several_says_did_you_mean(dz: Run, home: Path) -> None:
    args = [*ADD, "--value", "340.12", "--source", "bulletin-2023", "--quote", GDP_2023]
    typo = [*args[:3], "地区生产总直", *args[4:]]
    assert "--metric: no metric matches '地区生产总直'; did you mean 地区生产总值 (gdp)?" in (
        refused(dz, home, *typo)
    )
    several = [*args[:3], "跨境电商", *args[4:]]
    assert "--metric: metric '跨境电商' is ambiguous: it matches 2; did you mean" in (
        refused(dz, home, *several)
    )


def test_an_import_row_without_an_id_gets_the_id_dz_add_gives(
    dz: Run, home: Path, tmp_path: Path
) -> None:
    rows = [
        gdp_row("2023", GDP_2023, yoy_pct=6.5),
        {**gdp_row("2023-Q1", "地区生产总值达到340.12亿元"), "metric": "地区生产总值"},
        {"metric": "gdp", "period": "2021", "note": "the one claim this source makes",
         "source": {"doc": "dezhou-etdz-2022",
                    "quote": "2021年,地区生产总值达到317.19亿元,同比增长8.6%"}},
    ]  # fmt: skip
    dry = dz("import", rows_file(tmp_path, rows), "--dry-run")  # no --table: only stats fit
    assert dry.stdout.splitlines() == [
        "would add gdp@2023",
        "would add gdp@2023-Q1",
        "would update gdp@2021",
        "would add 2, would update 1, unchanged 0",
    ], dry.output
    park = rows_file(tmp_path, [{"name_zh": "园", "name_en": "Park", "parent": None}], "p.jsonl")
    assert "row 1, field id: missing (a park's id is not computed)" in refused(
        dz, home, "import", park, "--table", "parks"
    )


def test_the_table_is_told_from_the_columns_only_where_one_table_has_them(
    dz: Run, tmp_path: Path
) -> None:
    shared = rows_file(
        tmp_path, [{"metric": "gdp", "period": "2025", "value": 400, "unit": "亿元"}]
    )
    done = dz("import", shared)
    assert done.exit_code == 2
    assert "the columns fit stats and targets; say which with --table" in done.stderr
    quarter = gdp_row("2023-Q1", "地区生产总值达到340.12亿元")  # targets are set for years
    done = dz("import", rows_file(tmp_path, [quarter]), "--dry-run")
    assert done.stdout.startswith("would add gdp@2023-Q1\n"), done.output


# --- Excel and pandas: BOM, TRUE/FALSE, GBK, --unit ------------------------------------------


def excel_csv(dz: Run, folder: Path, *args: str) -> Path:
    """What `dz stats 2021 --format csv --bom ARGS` prints, as Excel saves it: CRLF, TRUE."""
    printed = dz("stats", "2021", "--format", "csv", "--bom", *args).stdout_bytes
    assert printed.startswith(b"\xef\xbb\xbf")
    path = folder / "stats.csv"
    path.write_bytes(printed.replace(b",false,", b",FALSE,").replace(b"\n", b"\r\n"))
    return path


def test_a_bom_csv_with_excels_true_and_false_imports_back_unchanged(
    dz: Run, home: Path, tmp_path: Path
) -> None:
    path = excel_csv(dz, tmp_path)
    assert b",FALSE," in path.read_bytes()
    before = snapshot(home)
    done = dz("import", str(path))
    assert done.stdout == "added 0, updated 0, unchanged 11\n", done.output
    assert snapshot(home) == before


def test_a_gbk_csv_is_refused_with_how_to_save_it_or_read_with_encoding(
    dz: Run, home: Path, tmp_path: Path
) -> None:
    text = excel_csv(dz, tmp_path).read_bytes().decode("utf-8-sig")
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(text.encode("gb18030"))
    says = refused(dz, home, "import", str(gbk))
    assert 'save it as "CSV UTF-8"' in says and "--encoding gb18030" in says
    done = dz("import", str(gbk), "--encoding", "gb18030", "--dry-run")
    assert done.stdout == "would add 0, would update 0, unchanged 11\n", done.output
    assert dz("import", str(gbk), "--encoding", "klingon").exit_code == 2


def test_amounts_printed_in_another_unit_import_back_in_the_unit_reported(
    dz: Run, home: Path, tmp_path: Path
) -> None:
    path = excel_csv(dz, tmp_path, "--unit", "万元")
    before = snapshot(home)
    done = dz("import", str(path))
    assert done.stdout == "added 0, updated 0, unchanged 11\n", done.output
    assert snapshot(home) == before
    edited = path.read_bytes().replace(b",3171900,", b",3171900.0,")  # as a spreadsheet may
    path.write_bytes(edited)
    assert dz("import", str(path), "--dry-run").stdout.endswith("unchanged 11\n")
    wrong = path.read_bytes().replace(b",3171900.0,", b",3180200,")
    path.write_bytes(wrong)
    says = refused(dz, home, "import", str(path))
    assert "field value: provenance: the value 318.02 is not a number of the quote" in says


# --- the lock file and git ------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("git") is None, reason="no git on this system")
@pytest.mark.slow
def test_the_lock_file_is_kept_out_of_git_as_docs_writing_md_says(home: Path) -> None:
    assert "facts.json.lock" in doc("writing.md")
    folder = home.parent
    subprocess.run([installed_dz(), "retract", "gdp@2021", "--reason", "x"], check=True)
    assert (folder / "facts.json.lock").exists()
    lines = [line.strip() for line in doc("writing.md").splitlines()]
    setup = next(line for line in lines if line.startswith("printf") and ".gitignore" in line)
    env = {"PATH": os.environ["PATH"], "HOME": str(folder), "GIT_CONFIG_NOSYSTEM": "1"}

    def shell(command: str) -> str:
        done = subprocess.run(
            command, shell=True, cwd=folder, capture_output=True, text=True, env=env, check=True
        )
        return done.stdout

    shell("git init -q")
    shell(setup)
    shell("git add -A")
    assert "facts.json.lock" not in shell("git status --porcelain --ignored=no")
    assert {"facts.json", ".gitignore"} <= set(shell("git ls-files").split())
