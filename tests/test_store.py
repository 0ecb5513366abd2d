from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import BAD_STORES, OLD_MTIME_NS, Setup, snapshot_tree
from hypothesis import given, settings
from hypothesis import strategies as st

from dzcli.model.errors import BadUsage, DzError, LookupFailed, StoreError
from dzcli.model.kinds import TABLES
from dzcli.read import default_store_path, open_store, resolve_store_path
from dzcli.read import file as store_file


@pytest.mark.parametrize(
    ("setup", "reason"), [case[1:] for case in BAD_STORES], ids=[case[0] for case in BAD_STORES]
)
def test_bad_store_is_refused_without_touching_anything(
    tmp_path: Path,
    store_data: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    setup: Setup,
    reason: str,
) -> None:
    path = tmp_path / "facts.json"
    setup(path, store_data, monkeypatch)
    if path.exists():
        os.utime(path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
    before = snapshot_tree(tmp_path)

    with pytest.raises(StoreError) as excinfo:
        open_store(path)

    message = str(excinfo.value)
    assert message.startswith(f"cannot read store {path}: ")
    assert reason in message
    assert snapshot_tree(tmp_path) == before


def test_missing_store_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "facts.json"
    with pytest.raises(StoreError, match="no such file"):
        open_store(path)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_valid_store_is_not_touched(store_copy: Path) -> None:
    os.utime(store_copy, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
    before = snapshot_tree(store_copy.parent)
    store = open_store(store_copy)
    for table in TABLES:
        store.records(table)
    store.find("gdp")
    assert snapshot_tree(store_copy.parent) == before


def test_store_is_read_once(store_copy: Path) -> None:
    store = open_store(store_copy)
    store_copy.write_bytes(b"garbage")
    assert [r["id"] for r in store.records("stats")] == ["gdp-2020", "gdp-2021", "gdp-2022"]


def test_records_in_document_id_order(store_copy: Path) -> None:
    # The file holds stats as "10", "2", "1": numeric order differs from file and string order.
    records = open_store(store_copy).records("stats")
    assert [r["id"] for r in records] == ["gdp-2020", "gdp-2021", "gdp-2022"]
    assert all(type(r) is dict for r in records)


def test_records_of_empty_and_unknown_table(store_copy: Path) -> None:
    store = open_store(store_copy)
    assert store.records("events") == []
    with pytest.raises(ValueError, match="unknown table 'stat'"):
        store.records("stat")


def test_by_id(store_copy: Path) -> None:
    stats = open_store(store_copy).by_id("stats")
    assert list(stats) == ["gdp-2020", "gdp-2021", "gdp-2022"]
    assert stats["gdp-2021"]["value"] == 1


def test_find(store_copy: Path) -> None:
    store = open_store(store_copy)
    assert store.find("gdp-2021") == (  # as listings show it: beside its metric's names
        "stats",
        {
            "id": "gdp-2021",
            "metric": "gdp",
            **dict.fromkeys(["name_zh", "name_en", "category"]),
            "period": "2021",
            "value": 1,
        },
    )
    assert store.find("gdp")[0] == "metrics"


def test_find_missing_offers_candidates(store_copy: Path) -> None:
    store = open_store(store_copy)
    with pytest.raises(
        LookupFailed, match=r"^no record with id 'gdp-2012'; did you mean "
    ) as excinfo:
        store.find("gdp-2012")
    assert "gdp-2021" in excinfo.value.candidates
    with pytest.raises(LookupFailed, match=r"^no record with id 'zzzzzz'$") as excinfo:
        store.find("zzzzzz")
    assert excinfo.value.candidates == []


def test_resolve_store_path_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DZ_DB", str(tmp_path / "env.json"))
    assert resolve_store_path(tmp_path / "opt.json") == tmp_path / "opt.json"
    assert resolve_store_path(str(tmp_path / "opt.json")) == tmp_path / "opt.json"
    assert resolve_store_path(None) == tmp_path / "env.json"
    monkeypatch.setenv("DZ_DB", "")
    assert resolve_store_path(None) == default_store_path()
    monkeypatch.delenv("DZ_DB")
    assert resolve_store_path(None) == default_store_path()


def test_resolve_store_path_rejects_empty_option(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DZ_DB", raising=False)
    with pytest.raises(BadUsage):
        resolve_store_path("")


def test_default_store_path_prefers_packaged_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dzcli import locations

    module = tmp_path / "src" / "dzcli" / "locations.py"
    monkeypatch.setattr(locations, "__file__", str(module))
    assert default_store_path() == tmp_path / "data" / "facts.json"
    packaged = module.parent / "data" / "facts.json"
    packaged.parent.mkdir(parents=True)
    packaged.write_text("{}")
    assert default_store_path() == packaged


def test_exit_codes() -> None:
    assert issubclass(StoreError, DzError) and StoreError.exit_code == 1
    assert issubclass(LookupFailed, DzError) and LookupFailed.exit_code == 1
    assert issubclass(BadUsage, DzError) and BadUsage.exit_code == 2


@pytest.mark.slow  # starts a Python process
def test_data_layer_imports_no_cli_libraries() -> None:
    code = (
        "import sys, dzcli; assert 'tinydb' not in sys.modules; "
        "import dzcli.read, dzcli.queries; bad = {'typer', 'rich', 'click'} & set(sys.modules); "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from([*TABLES, "1", "id", "x"]), children, max_size=9)
    ),
    max_leaves=30,
)


@pytest.mark.slow  # a Hypothesis search
@settings(max_examples=200, deadline=None)
@given(value=json_values)
def test_any_json_is_opened_or_refused_cleanly(
    tmp_path_factory: pytest.TempPathFactory, value: object
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "facts.json"
    path.write_text(json.dumps(value))
    try:
        store = open_store(path)
    except StoreError as e:
        assert str(e).startswith(f"cannot read store {path}: ")
    else:
        for table in TABLES:
            assert all(isinstance(r["id"], str) for r in store.records(table))


def test_periods_sort_by_their_first_month() -> None:
    from dzcli.model.periods import sort_key

    given = ["2021-10/2021-12", "2022-Q1", "2021", "2021-Q4", "2021-Q1", "2021-01/2021-11"]
    assert sorted(given, key=sort_key) == [
        "2021",
        "2021-Q1",
        "2021-01/2021-11",
        "2021-10/2021-12",
        "2021-Q4",
        "2022-Q1",
    ]


# --- limits: refused before the file is read whole -----------------------------------------


def test_a_store_larger_than_any_dz_store_is_refused_by_its_size(tmp_path: Path) -> None:
    from dzcli.model.limits import MAX_STORE_BYTES

    path = tmp_path / "facts.json"
    with path.open("wb") as f:  # sparse: takes no disk space, and must never be read
        f.write(b"{")
        f.truncate(MAX_STORE_BYTES + 1)
    with pytest.raises(StoreError, match=r"not a dz store \(larger than 2 GiB\)$"):
        open_store(path)


def test_a_fifo_is_capped_as_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    monkeypatch.setattr(store_file, "MAX_STORE_BYTES", 1000)
    fifo = tmp_path / "facts.json"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as f:
            f.write(b"{" + b" " * 5000)

    writer = threading.Thread(target=write)
    writer.start()
    with pytest.raises(StoreError, match=r"larger than"):
        open_store(fifo)
    writer.join(timeout=10)


def test_a_file_that_cannot_start_a_store_is_refused_from_its_first_bytes(
    tmp_path: Path,
) -> None:
    import threading

    # A FIFO whose writer stays open: reading it whole would wait for the writer to close.
    fifo = tmp_path / "facts.json"
    os.mkfifo(fifo)
    done = threading.Event()

    def write() -> None:
        with open(fifo, "wb") as f:
            f.write(b" \n\t[1, 2, ")
            f.flush()
            done.wait(timeout=10)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        with pytest.raises(StoreError) as excinfo:
            open_store(fifo)
        assert str(excinfo.value).endswith(
            "not a dz store (it starts with '[', and a store is a JSON object)"
        )
        assert not done.is_set()
    finally:
        done.set()
        writer.join(timeout=10)
