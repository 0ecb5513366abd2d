"""`dz check --json`: the problems and the summary of the text report, as one JSON object that
`dz schema check` describes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import REPO, record_of, shipped
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from dzcli.check import SHOWN_PER_RULE
from dzcli.cli import app

runner = CliRunner()


def broken_store(tmp_path: Path) -> Path:
    """Three errors and a warning (those of test_check's text report)."""
    data = shipped()
    record_of(data, "stats", "gdp@2021")["value"] = "317.19"
    record_of(data, "stats", "goods_trade@2021")["period"] = 2021
    record_of(data, "stats", "services_trade_reported_amount@2021")["equivalent"]["value"] = 200
    store = tmp_path / "facts.json"
    store.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return store


def check(*args: str) -> tuple[int, str, dict[str, Any]]:
    result = runner.invoke(app, ["check", *args])
    assert result.stderr == ""
    document: dict[str, Any] = json.loads(result.stdout)
    return result.exit_code, result.stdout, document


def schema() -> Draft202012Validator:
    printed = runner.invoke(app, ["schema", "check"])
    assert printed.exit_code == 0
    return Draft202012Validator(json.loads(printed.stdout))


def test_a_clean_store_is_ok_with_no_problems() -> None:
    code, _, document = check("--json", "--sources", str(REPO / "data" / "sources"))
    assert code == 0
    assert document["problems"] == [] and document["not_shown"] == []
    summary = document["summary"]
    assert summary["ok"] is True and (summary["errors"], summary["warnings"]) == (0, 0)
    assert summary["records"] > 100 and summary["source_texts"] == 1
    assert summary["quotes_found"] > 100
    schema().validate(document)


def test_the_problems_are_those_of_the_text_report_field_by_field(tmp_path: Path) -> None:
    store = broken_store(tmp_path)
    code, _, document = check("--db", str(store), "--json")
    text = runner.invoke(app, ["check", "--db", str(store)]).stdout.splitlines()
    assert code == 1
    lines = [
        f"{p['table']} {p['record_id']}: {p['severity']}: {p['family']}: {p['message']}"
        for p in document["problems"]
    ]
    assert lines == text[:-1]
    assert [p["rule"] for p in document["problems"]][:2] == ["validator", "validator"]
    summary = document["summary"]
    assert (summary["ok"], summary["errors"], summary["warnings"]) == (False, 3, 1)
    assert text[-1].startswith(f"failed: {summary['records']} records and {summary['figures']}")
    schema().validate(document)


def test_the_output_is_json_as_dz_writes_every_document(tmp_path: Path) -> None:
    _, out, document = check("--db", str(broken_store(tmp_path)), "--json")
    assert out == json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    assert "万美元" in out  # UTF-8, not \u escapes


def test_a_flood_lists_each_rules_first_problems_and_counts_the_rest(tmp_path: Path) -> None:
    data = shipped()
    for record in data["stats"].values():
        del record["note_zh"]
    many = dict(data["stats"])
    for n in range(SHOWN_PER_RULE + 20):  # copies with their own ids: each misses note_zh too
        copy = dict(next(iter(many.values())))
        data["stats"][str(10_000 + n)] = {**copy, "id": f"copy-{n}@2021"}
    store = tmp_path / "flood.json"
    store.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    _, _, document = check("--db", str(store), "--json")
    _, _, everything = check("--db", str(store), "--json", "--all")
    assert everything["not_shown"] == []
    summary = everything["summary"]
    assert len(everything["problems"]) == summary["errors"] + summary["warnings"]
    assert document["summary"] == summary
    found = sum(problem["rule"] == "validator" for problem in everything["problems"])
    assert found > SHOWN_PER_RULE
    listed = [problem for problem in document["problems"] if problem["rule"] == "validator"]
    assert listed == [p for p in everything["problems"] if p["rule"] == "validator"][:100]
    assert {"rule": "validator", "count": found - SHOWN_PER_RULE} in document["not_shown"]
    schema().validate(document)
