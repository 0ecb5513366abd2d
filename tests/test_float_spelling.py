"""Which floats both JSON encoders spell alike, how a store's text vouches for its floats, and
that output vouched for is still the standard encoder's, byte for byte."""

from __future__ import annotations

import json
import math
from typing import Any

import msgspec
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from dzcli.model import float_spelling
from dzcli.model.float_spelling import Vouch, VouchedRows
from dzcli.output import machine_json

FLOATS = st.floats(allow_nan=False, allow_infinity=False)


@given(FLOATS)
@example(1e-4)
@example(-1e-4)
@example(9999999999999998.0)
@example(-0.0)
@example(0.00010000000000000002)
def test_a_float_alike_is_spelled_alike(number: float) -> None:
    if float_spelling.alike(number):
        assert msgspec.json.encode([number]) == json.dumps([number]).replace(" ", "").encode()


@pytest.mark.parametrize("number", [1e16, -1e16, 2.5e-05, 1e-07, 1.5e300])
def test_the_floats_beyond_are_spelled_otherwise(number: float) -> None:
    """The bounds are where the encoders part, not merely somewhere safe inside."""
    assert not float_spelling.alike(number)
    assert msgspec.json.encode(number) != json.dumps(number).encode()


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
def test_no_vouch_for_what_is_not_a_finite_number(number: float) -> None:
    assert not float_spelling.alike(number)


def _mantissa_and_exponent(number: float, upper: bool, plus: bool) -> str:
    mantissa, _, exponent = f"{number:.6e}".partition("e")
    sign = "+" if plus and not exponent.startswith("-") else ""
    return f"{mantissa}{'E' if upper else 'e'}{sign}{int(exponent)}"


def _spellings(number: float) -> st.SearchStrategy[str]:
    """Ways a JSON file may write `number`: Python's, with an exponent of either case and
    sign, or written out with many decimals."""
    return st.sampled_from(
        [
            repr(number),
            _mantissa_and_exponent(number, upper=False, plus=False),
            _mantissa_and_exponent(number, upper=True, plus=True),
            f"{number:.25f}",
        ]
    )


TOKENS = st.one_of(
    FLOATS.flatmap(_spellings),
    st.integers().map(str),
    st.text(alphabet="0123456789abcdefeE.-+ ", max_size=20).map(json.dumps),  # hash-like text
)


@given(st.lists(TOKENS, max_size=8), st.sampled_from([",", ", ", ",\n  "]))
@example(["1e5"], ",")
@example(['"eb27f9e1db"', "0.00001"], ",")
@example(["12345678901234567.0"], ",")
def test_text_alike_never_vouches_for_a_float_beyond(tokens: list[str], comma: str) -> None:
    text = "[" + comma.join(tokens) + "]"
    values = json.loads(text)
    if float_spelling.text_alike(text.encode()):
        assert all(float_spelling.alike(v) for v in values if isinstance(v, float))


@pytest.mark.parametrize(
    "text",
    [
        b'{"sha256": "eb27f9e1db48843f05582d2e1af0", "value": 54.9}',
        b'{"id": "zone0001e5@2021", "value": 0.0001}',
        b"[1000000000000000000, -3, 123456789012345.67]",
    ],
)
def test_text_alike_vouches_for_ordinary_text(text: bytes) -> None:
    """Hashes and ids whose digits meet an "e" are not taken for exponents."""
    assert float_spelling.text_alike(text)


def test_a_vouch_ends_at_the_first_float_beyond() -> None:
    vouch = Vouch(True)
    vouch.see(1.5, None, 10**20, "1e16")  # a big int and text are written alike
    assert vouch.alike
    vouch.see(1e16)
    assert not vouch.alike
    vouch.see(1.5)
    assert not vouch.alike


def _vouched(rows: list[dict[str, Any]], alike: bool) -> VouchedRows:
    return VouchedRows(iter(rows), Vouch(alike))


ROWS = [{"id": f"gdp@{year}", "value": 317.19 + year, "note": "德州"} for year in range(5)]


@pytest.mark.parametrize("size", [2, 100])
def test_vouched_rows_are_written_without_the_search(
    monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    def search(data: bytes) -> bool:
        raise AssertionError("vouched rows were searched")

    expected = (json.dumps(ROWS, ensure_ascii=False, indent=2) + "\n").encode()
    expected_lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in ROWS).encode()
    monkeypatch.setattr(machine_json, "CHUNK_ROWS", size)
    monkeypatch.setattr(machine_json, "MSGSPEC_FROM_ROWS", 1)
    monkeypatch.setattr(machine_json, "_own_floats", search)
    assert b"".join(machine_json.json_chunks(_vouched(ROWS, True))) == expected
    assert b"".join(machine_json.jsonl_chunks(_vouched(ROWS, True))) == expected_lines


def test_a_vouch_that_ends_midway_leaves_the_rest_to_the_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rows made after the vouch ended are searched, and written as json writes them."""
    monkeypatch.setattr(machine_json, "CHUNK_ROWS", 2)
    monkeypatch.setattr(machine_json, "MSGSPEC_FROM_ROWS", 1)
    vouch = Vouch(True)

    def made() -> Any:
        yield from ROWS[:3]
        vouch.see(1e16)
        yield {"id": "gdp@2030", "value": 1e16}

    rows = [*ROWS[:3], {"id": "gdp@2030", "value": 1e16}]
    written = b"".join(machine_json.json_chunks(VouchedRows(made(), vouch)))
    assert written == (json.dumps(rows, ensure_ascii=False, indent=2) + "\n").encode()
