"""Big outputs for people: tables cut at a documented number of rows, floods of problems
summarised by `dz check`."""

from __future__ import annotations

import json
import subprocess

import pytest
from helpers import installed_dz

from dzcli import check
from dzcli.check import Family, Problem, Severity
from dzcli.cli.options import TABLE_ROWS

pytestmark = pytest.mark.slow  # every test here runs the installed dz

DZ = installed_dz()


def dz(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DZ, *args], capture_output=True, text=True, check=False)


def test_a_table_is_cut_at_its_limit_with_one_line_saying_how_to_see_the_rest() -> None:
    ids = [row["id"] for row in json.loads(dz("events", "--json").stdout)]
    cut = dz("events", "--no-color", "--limit", "2")
    assert cut.returncode == 0
    shown = [event for event in ids if event in cut.stdout]
    assert shown == ids[:2]
    left = len(ids) - 2
    assert cut.stderr.splitlines() == [
        f"dz: {left} more rows not shown; --limit N shows N, --limit 0 all of them, "
        "and --json, --format jsonl, csv or tsv every row"
    ]
    assert dz("events", "--no-color", "--limit", "0").stderr == ""


def test_markdown_is_cut_too() -> None:
    cut = dz("events", "--format", "md", "--limit", "3")
    assert len(cut.stdout.splitlines()) == 2 + 3  # heading, alignment, rows
    assert "more rows not shown" in cut.stderr


def test_the_default_limit_leaves_a_small_table_whole() -> None:
    done = dz("events", "--no-color")
    ids = [row["id"] for row in json.loads(dz("events", "--json").stdout)]
    assert len(ids) < TABLE_ROWS and done.stderr == ""
    assert all(event in done.stdout for event in ids)


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv"])
def test_limit_cuts_every_format_and_says_nothing_of_the_rest(fmt: str) -> None:
    whole = dz("events", "--format", fmt)
    done = dz("events", "--format", fmt, "--limit", "3")
    assert (done.returncode, done.stderr) == (0, "")
    if fmt == "json":
        assert json.loads(done.stdout) == json.loads(whole.stdout)[:3]
    else:
        header = 0 if fmt == "jsonl" else 1
        assert done.stdout.splitlines() == whole.stdout.splitlines()[: header + 3]
    assert dz("events", "--format", fmt, "--limit", "0").stdout == whole.stdout


def problem(rule: str, severity: Severity = Severity.error) -> Problem:
    return Problem("x", "stats", Family.schema, "missing field 'note_zh'", severity, rule)


def test_a_flood_shows_each_rules_first_problems_then_counts_the_rest() -> None:
    flood = check.Flood(per_rule=2)
    found = [problem("validator")] * 5 + [problem("growth-rates", Severity.warning)] * 3
    shown = [p for p in found if flood.admit(p)]
    assert [p.rule for p in shown] == ["validator"] * 2 + ["growth-rates"] * 2
    assert (flood.errors, flood.warnings) == (5, 3)
    assert flood.left_out() == [
        "… 3 more problems found by validator (the first 2 are above; "
        "dz check --all shows every one)",
        "… 1 more problems found by growth-rates (the first 2 are above; "
        "dz check --all shows every one)",
    ]


def test_every_problem_when_asked() -> None:
    flood = check.Flood(per_rule=None)
    assert all(flood.admit(problem("validator")) for _ in range(500))
    assert flood.left_out() == [] and flood.errors == 500
