"""dz's one JSON encoder (msgspec): the layout of the standard encoder, and every value kept."""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from test_fuzz import HOSTILE

from dzcli.output import machine_json

# Any text UTF-8 can carry (a store cannot hold a lone surrogate: the validator refuses it).
text = st.one_of(st.sampled_from(HOSTILE), st.text(st.characters(codec="utf-8")))


def values_with(floats: st.SearchStrategy[float]) -> st.SearchStrategy[list[dict[str, Any]]]:
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30), floats, text
    )
    values = st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=4)
        ),
        max_leaves=20,
    )
    return st.lists(st.dictionaries(text, values, max_size=6), max_size=5)


# Floats that Python and msgspec both write without an exponent: 0, and 1e-4 <= |x| < 1e16.
plain_floats = st.one_of(
    st.just(0.0),
    st.floats(min_value=1e-4, max_value=1e16, exclude_max=True),
    st.floats(min_value=-1e16, max_value=-1e-4, exclude_min=True),
)
any_rows = values_with(st.floats(allow_nan=False, allow_infinity=False))
plain_rows = values_with(plain_floats)
_LINE_BREAKS = re.compile("[\u0085\u2028\u2029]")


def joined(chunks: Any) -> bytes:
    return b"".join(chunks)


@given(plain_rows)
@example([{"\u2028": "a\u2029b\x85c\x1b[31m\x7f", "": [{}, [], None]}])
def test_json_is_laid_out_as_the_standard_encoder_lays_it_out(records: list[Any]) -> None:
    expected = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    assert joined(machine_json.json_chunks(records)) == expected.encode("utf-8")


@given(plain_rows)
@example([{"line": "one\u2028two\u2029three\x85four\nfive"}])
@example([])
def test_jsonl_is_one_standard_line_a_row(records: list[Any]) -> None:
    lines = (
        _LINE_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(r, ensure_ascii=False))
        for r in records
    )
    expected = "".join(line + "\n" for line in lines).encode("utf-8")
    written = joined(machine_json.jsonl_chunks(records))
    assert written == expected
    assert len(written.decode("utf-8").splitlines()) == len(records)


@given(any_rows)
@example([{"rate": 1e-07, "big": 1e16, "small": 1e-05, "int": 2**70, "neg": -0.0}])
def test_every_value_reads_back_as_it_was(records: list[Any]) -> None:
    """msgspec spells some floats its own way (1e-7 for 1e-07): the same number."""
    assert json.loads(joined(machine_json.json_chunks(records))) == records
    lines = joined(machine_json.jsonl_chunks(records)).decode("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == records


@given(any_rows, st.integers(min_value=1, max_value=4))
@example([], 1)
@example([{"a": 1}, {"b": [1e-07]}, {"c": {}}], 2)
def test_chunks_join_to_the_whole(records: list[Any], size: int) -> None:
    whole_json = machine_json.json_bytes(records)
    whole_jsonl = joined(machine_json.jsonl_chunks(records))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(machine_json, "CHUNK_ROWS", size)
        assert joined(machine_json.json_chunks(records)) == whole_json
        assert joined(machine_json.jsonl_chunks(records)) == whole_jsonl


def test_rows_already_encoded_are_written_as_they_are() -> None:
    rows = [msgspec.Raw(b'{"a":1.50,"b":"x"}'), {"c": [1, 2]}]
    assert json.loads(joined(machine_json.json_chunks(rows))) == [
        {"a": 1.5, "b": "x"},
        {"c": [1, 2]},
    ]
    assert b'"a": 1.50' in joined(machine_json.json_chunks(rows))  # the number as written
