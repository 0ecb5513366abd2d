"""The writer's one form (dzcli.writes.layout) and its byte-kept tables (dzcli.writes.spliced):
a write keeps the bytes of every record it leaves alone and splices in the rest, and the file
it writes is exactly the one form of the changed data."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dzcli.model.errors import StoreError
from dzcli.model.kinds import BY_TABLE
from dzcli.writes import layout
from dzcli.writes.spliced import SplicedTable
from dzcli.writes.storage import LockedAtomicStorage

DATA: dict[str, Any] = {
    "metrics": {"1": {"id": "gdp", "name_zh": "地区生产总值"}, "2": {"id": "gva"}},
    "stats": {
        str(n): {"id": f"gdp@{2000 + n}", "metric": "gdp", "value": n * 1.5, "note": None}
        for n in range(1, 8)
    },
    "log": {},
}


def _written(tables: layout.Tables) -> bytes:
    return b"".join(layout.render(tables, layout.edits(tables)))


def test_a_store_left_alone_is_written_back_byte_for_byte() -> None:
    raw = layout.dump(DATA)
    tables = layout.split(raw)
    assert tables is not None and list(tables) == list(DATA)
    assert tables["stats"]["3"] == DATA["stats"]["3"]  # read, not changed
    assert not any(where for where, _ in layout.edits(tables).values())
    assert _written(tables) == raw


def test_changes_are_spliced_into_the_one_form() -> None:
    raw = layout.dump(DATA)
    tables = layout.split(raw)
    assert tables is not None
    expected = copy.deepcopy(DATA)
    tables["stats"]["1"]["value"] = 99  # the first record, changed in place as TinyDB does
    expected["stats"]["1"]["value"] = 99
    tables["stats"]["4"] = {"id": "gdp@2004", "metric": "gdp", "value": "四"}
    expected["stats"]["4"] = {"id": "gdp@2004", "metric": "gdp", "value": "四"}
    del tables["stats"]["7"]  # the last
    del expected["stats"]["7"]
    tables["stats"]["8"] = {"id": "gdp@2008"}
    expected["stats"]["8"] = {"id": "gdp@2008"}
    tables["log"]["1"] = {"id": "log:1"}
    expected["log"]["1"] = {"id": "log:1"}
    tables["relations"] = SplicedTable()
    expected["relations"] = {}
    assert _written(tables) == layout.dump(expected)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(range(1, 8)), unique=True),
    st.lists(st.sampled_from(range(1, 8)), unique=True),
    st.integers(0, 3),
)
def test_any_mix_of_changes_writes_what_json_dumps_would(
    changed: list[int], removed: list[int], added: int
) -> None:
    tables = layout.split(layout.dump(DATA))
    assert tables is not None
    expected = copy.deepcopy(DATA)
    for n in changed:
        tables["stats"][str(n)]["note"] = f"改{n}"
        expected["stats"][str(n)]["note"] = f"改{n}"
    for n in removed:
        del tables["stats"][str(n)]
        del expected["stats"][str(n)]
    for n in range(added):
        key = str(tables["stats"].next_doc_id())
        tables["stats"][key] = expected["stats"][key] = {"id": f"new{n}"}
    assert _written(tables) == layout.dump(expected)
    assert list(tables["stats"]) == list(expected["stats"])
    assert len(tables["stats"]) == len(expected["stats"])


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(DATA).encode(),  # compact
        json.dumps(DATA, indent=4, ensure_ascii=False).encode() + b"\n",
        layout.dump(DATA).replace(b'\n  "stats": {\n    "1"', b'\n  "stats": {\n   "1"'),
        b"[]\n",
    ],
)
def test_a_file_in_another_form_is_not_split(text: bytes) -> None:
    assert layout.split(text) is None


def test_a_record_is_found_by_a_value_it_holds_written_either_way() -> None:
    data = copy.deepcopy(DATA)
    raw = layout.dump(data).replace(
        "地区生产总值".encode(), b"\\u5730\\u533a\\u751f\\u4ea7\\u603b\\u503c"
    )
    tables = layout.split(raw)
    assert tables is not None
    needles = {json.dumps("地区生产总值", ensure_ascii=a).encode() for a in (False, True)}
    assert list(tables["metrics"].mentioning(needles)) == ["1"]
    assert list(tables["stats"].mentioning([b'"gdp@2003"'])) == ["3"]
    assert list(tables["stats"].mentioning([b'"gdp"'])) == [str(n) for n in range(1, 8)]
    # Read but equal to what the file holds: its escaped bytes stay as they are.
    assert tables["metrics"]["1"]["name_zh"] == "地区生产总值"
    assert _written(tables) == raw


def test_a_new_document_id_is_never_one_the_file_holds() -> None:
    data = copy.deepcopy(DATA)
    data["stats"] = {"9": {"id": "a"}, "3": {"id": "b"}, "10": {"id": "c"}, "4": {"id": "d"}}
    tables = layout.split(layout.dump(data))
    assert tables is not None
    given = []
    for _ in range(5):  # as TinyDB's insert asks, one document after the other
        given.append(tables["stats"].next_doc_id())
        tables["stats"][given[-1]] = {"id": f"new{given[-1]}"}
    assert given == [5, 6, 7, 8, 11]  # after the last in the file, never 9 or 10 again
    assert tables["log"].next_doc_id() == 1
    assert "10" in tables["stats"] and 10 in tables["stats"] and "12" not in tables["stats"]


def test_a_broken_record_is_a_store_error_not_a_crash() -> None:
    raw = layout.dump(DATA).replace(b'"id": "gdp@2003"', b'"id": gdp@2003')
    tables = layout.split(raw)
    assert tables is not None
    assert tables["stats"]["2"]["id"] == "gdp@2002"
    with pytest.raises(StoreError, match="not valid JSON"):
        tables["stats"]["3"]
    with pytest.raises(StoreError, match="not valid JSON"):
        tables["stats"].originals()


def test_a_small_store_with_a_record_out_of_form_is_read_whole_and_written_in_form(
    tmp_path: Path,
) -> None:
    store = tmp_path / "facts.json"
    data = {table: {} for table in BY_TABLE} | copy.deepcopy(DATA)
    raw = layout.dump(data).replace(b'    "3": {', b'    "3":  {')  # not found by its id
    assert json.loads(raw) == data and layout.split(raw) is not None
    store.write_bytes(raw)
    storage = LockedAtomicStorage(store)
    try:
        storage.read()["stats"]["3"]["note"] = "改"
        assert storage.commit() is True
    finally:
        storage.close()
    data["stats"]["3"]["note"] = "改"
    assert store.read_bytes() == layout.dump(data)
