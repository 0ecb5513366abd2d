"""The fast JSON writer writes exactly what the standard encoder writes, for any rows."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from test_fuzz import HOSTILE

from dzcli.output import machine_json

# Any text UTF-8 can carry (lone surrogates are what the writers may refuse: tested below).
text = st.one_of(st.sampled_from(HOSTILE), st.text(st.characters(codec="utf-8")))
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    text,
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=4)),
    max_leaves=20,
)
rows = st.lists(st.dictionaries(text, values, max_size=6), max_size=5)

_LINE_BREAKS = re.compile("[\u0085\u2028\u2029]")


def standard_json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def standard_jsonl(records: list[Any]) -> bytes:
    lines = (
        _LINE_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(r, ensure_ascii=False))
        for r in records
    )
    return "".join(line + "\n" for line in lines).encode("utf-8")


@pytest.fixture(autouse=True)
def always_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use msgspec whatever the number of rows: that is the path under test."""
    monkeypatch.setattr(machine_json, "MSGSPEC_FROM_ROWS", 0)


@given(rows)
@example([{"rate": 1e-07, "big": 1e16, "small": 1e-05, "int": 2**70, "neg": -0.0}])
@example([{"\u2028": "a\u2029b\x85c\x1b[31m\x7f", "": [{}, [], None]}])
def test_json_is_the_standard_encoders(records: list[dict[str, Any]]) -> None:
    assert machine_json.json_bytes(records, len(records)) == standard_json(records)


@given(rows)
@example([{"rate": 1e-07, "line": "one\u2028two\u2029three\x85four\nfive"}])
@example([])
def test_jsonl_is_the_standard_encoders(records: list[dict[str, Any]]) -> None:
    assert machine_json.jsonl_bytes(records) == standard_jsonl(records)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_any_float_is_spelled_as_python_spells_it(number: float) -> None:
    assert machine_json.json_bytes([number], 1) == standard_json([number])


def test_ordinary_rows_take_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without this the equality above would hold trivially if msgspec were never used."""
    records = [{"id": "gdp@2021", "value": 317.19, "base_value": 31719000000, "note": "德州"}]
    expected_json, expected_jsonl = standard_json(records), standard_jsonl(records)

    def refuse(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("the standard encoder was used")

    monkeypatch.setattr(machine_json.json, "dumps", refuse)
    assert machine_json.json_bytes(records, 1) == expected_json
    assert machine_json.jsonl_bytes(records) == expected_jsonl


def test_a_lone_surrogate_fails_as_the_standard_writer_fails() -> None:
    with pytest.raises(UnicodeEncodeError):
        machine_json.json_bytes([{"text": "\ud800"}], 1)
    with pytest.raises(UnicodeEncodeError):
        machine_json.jsonl_bytes([{"text": "\ud800"}])


@given(rows, st.integers(min_value=1, max_value=4))
@example([], 1)
@example([{"a": 1}, {"b": [1e-07]}, {"c": {}}], 2)
def test_chunks_join_to_the_whole(records: list[dict[str, Any]], size: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(machine_json, "CHUNK_ROWS", size)
        assert b"".join(machine_json.json_chunks(records)) == standard_json(records)
        assert b"".join(machine_json.jsonl_chunks(records)) == standard_jsonl(records)
        # Rows as a listing streams them, one at a time (the count is not known up front).
        assert b"".join(machine_json.json_chunks(iter(records))) == standard_json(records)
        assert b"".join(machine_json.jsonl_chunks(iter(records))) == standard_jsonl(records)
