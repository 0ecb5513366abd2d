"""The registry of record kinds is the one source: the schemas, the contract and the validator
all follow it, so a field added there and forgotten elsewhere fails here."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dzcli.model import kinds, validate
from dzcli.model.fieldtypes import FieldType
from dzcli.output import contract


def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (contract.schema_dir() / f"{name}.schema.json").read_text(encoding="utf-8")
    )
    return loaded


@pytest.mark.parametrize("kind", kinds.KINDS, ids=lambda k: k.name)
def test_every_field_of_a_kind_is_in_its_schema_and_required(kind: kinds.RecordKind) -> None:
    declared = schema(kind.name)
    assert set(kind.fields) <= set(declared["properties"])
    required = set(declared["required"])
    for branch in declared.get("allOf", []):  # a stat: every field where kind is "reported"
        if branch["if"]["properties"]["kind"] == {"const": "reported"}:
            required |= set(branch["then"]["required"])
    assert set(kind.fields) <= required


@pytest.mark.parametrize("kind", kinds.KINDS, ids=lambda k: k.name)
def test_a_vocabulary_in_the_registry_is_the_enum_of_its_schema(kind: kinds.RecordKind) -> None:
    properties = schema(kind.name)["properties"]
    for name, field in kind.fields.items():
        if field.choices and name != "kind":
            enum = properties[name]["enum"]
            assert [e for e in enum if e is not None] == list(field.choices), name
            assert (None in enum) == field.optional, name


def test_figures_in_the_shared_schema_follow_the_registry() -> None:
    figure = schema("common")["$defs"]["figure"]
    fields: dict[str, FieldType] = dict(kinds.FIGURE.fields or {})
    assert set(fields) <= set(figure["properties"])
    assert set(fields) <= set(figure["required"])


def test_show_lists_every_kind_and_the_contract_follows_the_registry() -> None:
    names = [kind.name for kind in kinds.KINDS]
    assert schema("record")["properties"]["type"]["enum"] == names
    assert list(contract.COMMANDS)[: len(names)] == names
    assert set(validate.RECORD_FIELDS) == set(kinds.TABLES)


def test_names_and_tables_are_unique() -> None:
    assert len(kinds.BY_NAME) == len(kinds.KINDS) == len(kinds.BY_TABLE)
