"""`dz check`'s quick reader gives what the standard reader gives: the same records, the same
repeated keys, the same proof of types, for any way a store file may be written."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_check import field_names, json_values
from test_check_proof import COMPLETE

from dzcli.check import proof, reading
from dzcli.check.reading import DuplicateKey, KeyCounter
from dzcli.model.errors import StoreError
from dzcli.model.kinds import BY_TABLE
from dzcli.read import default_store_path
from dzcli.read.file import read_json


def standard(path: Path) -> tuple[object, list[DuplicateKey]]:
    keys = KeyCounter()
    data = read_json(path, object_pairs_hook=keys)
    return data, keys.found(data)


def quick(path: Path) -> tuple[object, list[DuplicateKey], proof.WellTyped] | None:
    return reading._read_quickly(path)


def test_the_shipped_store_is_read_quickly_and_alike(tmp_path: Path) -> None:
    path = default_store_path()
    found = quick(path)
    assert found is not None  # else the comparisons below would test the standard reader
    assert found[:2] == standard(path)
    assert json.dumps(found[0]) == json.dumps(standard(path)[0])  # key order too


def test_records_are_proven_as_the_proof_proves_them(tmp_path: Path) -> None:
    data = copy.deepcopy(COMPLETE)
    data["stats"]["1"]["value"] = "317"  # not of its kind: the proof must not hold
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    found = quick(path)
    assert found is not None
    parsed, _duplicates, well_typed = found
    assert isinstance(parsed, dict)
    verdicts = [
        (well_typed(BY_TABLE[table], record), proof.well_typed(BY_TABLE[table], record))
        for table in BY_TABLE
        for record in parsed[table].values()
    ]
    assert all(mine == theirs for mine, theirs in verdicts)
    assert not all(mine for mine, _ in verdicts)
    # Proven as they were parsed, not by the proof asked again:
    proven = getattr(well_typed, "__self__", None)
    assert isinstance(proven, proof.Parsed)
    records = [record for table in BY_TABLE for record in parsed[table].values()]
    assert sum(id(record) in proven._proven for record in records) > 50
    assert id(parsed["stats"]["1"]) not in proven._proven


RECORD = '{"id": "gdp@2021", "value": 1, "source": {"doc": "d", "quote": "q"}}'
WRITTEN_ODDLY = {
    "repeated-field": '{"id": "gdp@2021", "value": 1, "value": 2}',
    "repeated-nested": '{"id": "a", "source": {"doc": "d", "doc": "e", "quote": "q"}}',
    "repeated-thrice": '{"id": "a", "x": 1, "x": 2, "x": 3}',
    "exponent": '{"id": "a", "value": 1e2, "base_value": 1E-7}',
    "trailing-zeros": '{"id": "a", "value": 1.50, "base_value": -0}',
    "escaped": '{"\\u0069d": "\\u0061\\n\\/", "note": "\\"quoted\\""}',
    "big-integer": '{"id": "a", "value": 123456789012345678901234567890}',
    "spaced": '{ "id" : "a" ,\n\t"value"\r\n:\n1 }',
    "not-an-object": '[1, {"a": 1, "a": 2}]',
    "empty": "{}",
}


def _store_with(stats: str) -> str:
    tables = {table: {} for table in BY_TABLE}
    text = json.dumps(tables)
    return text.replace('"stats": {}', '"stats": {"1": ' + stats + ', "2": ' + RECORD + "}")


@pytest.mark.parametrize("record", WRITTEN_ODDLY.values(), ids=WRITTEN_ODDLY.keys())
def test_a_record_written_oddly_reads_as_the_standard_reader_reads_it(
    tmp_path: Path, record: str
) -> None:
    path = tmp_path / "facts.json"
    path.write_text(_store_with(record), encoding="utf-8")
    found = quick(path)
    assert found is not None
    assert found[:2] == standard(path)


REPEATED_ABOVE_RECORDS = {
    "document-id": _store_with(RECORD).replace('"2": ', '"1": '),
    "table": _store_with(RECORD).replace('"log": {}', '"log": {}, "log": {"1": {}}'),
    "escaped-document-id": _store_with(RECORD).replace('"2": ', '"\\u0031": '),
}


@pytest.mark.parametrize("text", REPEATED_ABOVE_RECORDS.values(), ids=REPEATED_ABOVE_RECORDS.keys())
def test_a_key_repeated_above_the_records_is_found_by_the_standard_reader(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / "facts.json"
    path.write_text(text, encoding="utf-8")
    assert quick(path) is None  # the quick reader cannot prove there is no repeat
    data, duplicates, _well_typed = reading.read_store(path)
    assert (data, duplicates) == standard(path)
    assert duplicates or "escaped" in text or "\\u0031" in text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    changes=st.dictionaries(field_names | st.text(max_size=3), json_values, max_size=3),
    repeated=st.sampled_from(["", '"note": 1, ', '"id": "x", ', '"source": {}, ']),
    ascii_only=st.booleans(),
)
def test_any_store_reads_as_the_standard_reader_reads_it(
    tmp_path_factory: pytest.TempPathFactory,
    changes: dict[str, Any],
    repeated: str,
    ascii_only: bool,
) -> None:
    data = copy.deepcopy(COMPLETE)
    next(iter(data["stats"].values())).update(changes)
    try:
        text = json.dumps(data, ensure_ascii=ascii_only, indent=2)
    except ValueError:  # nan cannot be written without allow_nan: it is, by default
        return
    text = text.replace('"stats": {\n    "1": {', '"stats": {\n    "1": {' + repeated, 1)
    path = tmp_path_factory.mktemp("store") / "facts.json"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        expected = standard(path)
    except StoreError as error:
        with pytest.raises(StoreError) as refused:
            reading.read_store(path)
        assert str(refused.value) == str(error)
        return
    data_read, duplicates, _well_typed = reading.read_store(path)
    assert (data_read, duplicates) == expected
