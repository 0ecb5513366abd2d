"""The JSON contract: schema files in the repo, `dz schema`, and real output validated by them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import doc
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from typer.testing import CliRunner

from dzcli.cli import app
from dzcli.model.kinds import TABLES
from dzcli.output import contract

runner = CliRunner()
SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


# Every command, with arguments that give it rows, and the record kind of its JSON.
LISTINGS: list[tuple[str, list[str]]] = [
    ("stat", ["stats", "2021"]),
    ("stat", ["stats", "2022"]),
    ("stat", ["growth"]),
    ("target", ["targets"]),
    ("park", ["parks"]),
    ("project", ["projects"]),
    ("enterprise", ["enterprises"]),
    ("event", ["events"]),
    ("match", ["search", "威讯"]),
    ("match", ["search", "2021"]),
]


def run_json(*args: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def printed_schema(kind: str) -> dict[str, Any]:
    result = runner.invoke(app, ["schema", kind])
    assert result.exit_code == 0, result.output
    schema: dict[str, Any] = json.loads(result.stdout)
    return schema


def validator(kind: str) -> Draft202012Validator:
    """The schema as `dz schema` prints it: standing alone, no file references left."""
    return Draft202012Validator(printed_schema(kind))


def every_id(facts_db: Path) -> list[tuple[str, str]]:
    """(table, id) of every record in the store, for `dz show`."""
    data = json.loads(facts_db.read_text(encoding="utf-8"))
    return [(table, r["id"]) for table, records in data.items() for r in records.values()]


def leaf_paths(value: Any, prefix: str = "") -> list[str]:
    """Every dotted key path of a JSON object down to non-objects (lists are leaves)."""
    if not isinstance(value, dict):
        return [prefix]
    found = [prefix] if prefix else []
    for key, item in value.items():
        found.extend(leaf_paths(item, f"{prefix}.{key}" if prefix else key))
    return found


# --- the files -----------------------------------------------------------------------------


def test_there_is_a_schema_file_for_every_kind_and_no_stray_one() -> None:
    files = {path.name for path in SCHEMAS.glob("*.schema.json")}
    assert files == {f"{kind}.schema.json" for kind in contract.KINDS} | {"common.schema.json"}


@pytest.mark.parametrize("path", sorted(SCHEMAS.glob("*.schema.json")), ids=lambda p: p.name)
def test_every_schema_file_is_a_valid_draft_2020_12_schema(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_the_files_validate_as_they_are_with_relative_references() -> None:
    """A consumer who loads the repo's files (not `dz schema`) gets the same verdicts."""
    registry: Registry[Any] = Registry().with_resources(
        (path.name, Resource.from_contents(json.loads(path.read_text(encoding="utf-8"))))
        for path in SCHEMAS.glob("*.schema.json")
    )
    stat = json.loads((SCHEMAS / "stat.schema.json").read_text(encoding="utf-8"))
    checker = Draft202012Validator(stat, registry=registry)
    for row in run_json("growth"):
        checker.validate(row)
    assert not checker.is_valid({**run_json("stats", "2021")[0], "period": "21"})


def test_the_packaged_schemas_are_found(monkeypatch: pytest.MonkeyPatch) -> None:
    # Editable install or checkout: the repo's folder; a wheel: the copy inside the package.
    assert (contract.schema_dir() / "stat.schema.json").is_file()
    assert contract.schema_dir().resolve() in (
        SCHEMAS.resolve(),
        (Path(contract.__file__).parents[1] / "schemas").resolve(),
    )


# --- dz schema -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(contract.KINDS))
def test_dz_schema_prints_a_standalone_schema(kind: str) -> None:
    schema = printed_schema(kind)
    Draft202012Validator.check_schema(schema)
    text = json.dumps(schema)
    assert ".schema.json" not in text  # every reference to another file was inlined
    assert schema["title"] == f"dz {kind}"


def test_dz_schema_prints_utf8_not_escapes() -> None:
    result = runner.invoke(app, ["schema", "stat"])
    assert "亿元" in result.stdout
    assert "\\u" not in result.stdout


def test_dz_schema_without_a_kind_lists_the_kinds_and_their_commands() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(contract.COMMANDS)
    assert "stat        dz stats, dz growth" in lines
    assert "match       dz search" in lines


def test_dz_schema_of_an_unknown_kind_is_a_usage_error() -> None:
    result = runner.invoke(app, ["schema", "stats"])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "dz: error: Invalid value for 'KIND': 'stats' is not one of 'area', 'metric', 'stat',"
    )


def test_the_docs_link_every_schema_file() -> None:
    page = doc("json.md")
    for path in SCHEMAS.glob("*.schema.json"):
        assert f"](../schemas/{path.name})" in page


# --- real output against the schemas ----------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "args"), LISTINGS, ids=lambda v: " ".join(v) if isinstance(v, list) else v
)
def test_every_listing_validates_against_its_schema(kind: str, args: list[str]) -> None:
    rows = run_json(*args)
    assert rows
    checker = validator(kind)
    for row in rows:
        checker.validate(row)


@pytest.mark.parametrize(
    ("kind", "args"), LISTINGS, ids=lambda v: " ".join(v) if isinstance(v, list) else v
)
def test_every_field_of_the_output_is_declared(kind: str, args: list[str]) -> None:
    """The schemas are open (fields may be added), so this keeps them complete: every field
    dz prints is named, which is also what --fields accepts."""
    declared = {path for path, _ in contract.field_paths(kind)}
    for row in run_json(*args):
        assert set(leaf_paths(row)) <= declared


def test_show_validates_for_a_record_of_every_table(facts_db: Path) -> None:
    checker = validator("record")
    seen = set()
    for table, record_id in every_id(facts_db):
        [row] = run_json("show", record_id)
        checker.validate(row)
        declared = {path for path, _ in contract.field_paths(row["type"])} | {"type"}
        assert set(leaf_paths(row)) <= declared
        seen.add(table)
    assert seen == set(TABLES) - {"log"}  # the shipped store has no change logged yet


def test_a_record_of_the_wrong_type_does_not_validate() -> None:
    [row] = run_json("show", "gdp@2021")
    assert validator("record").is_valid(row)
    assert not validator("record").is_valid({**row, "type": "park"})


def test_derived_rows_need_their_formula_and_inputs() -> None:
    derived = next(row for row in run_json("growth") if row["kind"] == "derived")
    checker = validator("stat")
    assert checker.is_valid(derived)
    assert not checker.is_valid({k: v for k, v in derived.items() if k != "formula"})


def test_computed_growth_rows_validate(two_year_store: Path) -> None:
    rows = run_json("growth", "gdp", "--db", str(two_year_store))
    computed = [r for r in rows if isinstance(r.get("inputs", {}).get("from"), list)]
    assert len(computed) == 1
    for row in rows:
        validator("stat").validate(row)


@pytest.mark.parametrize(
    ("kind", "args"),
    [
        ("stat", ["stats", "2021", "--unit", "万元"]),
        ("stat", ["growth", "--unit", "元"]),
        ("target", ["targets", "--unit", "万元"]),
        ("park", ["parks", "--unit", "万元"]),
        ("enterprise", ["enterprises", "--unit", "万元"]),
        ("event", ["events", "--unit", "元"]),
    ],
)
def test_converted_output_validates(kind: str, args: list[str]) -> None:
    rows = run_json(*args)
    assert any("converted_from" in json.dumps(row) for row in rows)
    for row in rows:
        validator(kind).validate(row)
