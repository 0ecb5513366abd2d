"""The read note of a big store (dzcli.read_cache): a shortcut that never changes an answer.

A note is used only for the very bytes it was written for, by the same reading code; anything
else (an edited store, a broken note, other code, no cache folder) means the store is checked
again, with the same result as without a note.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from helpers import shipped, snapshot_tree

from dzcli import lazy_store, read_cache
from dzcli import store as store_module
from dzcli.model.errors import StoreError
from dzcli.store import TABLES, Store, open_store


@pytest.fixture(autouse=True)
def every_store_is_big(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only stores from store.LAZY_BYTES on get a note; make the shipped store one."""
    monkeypatch.setattr(store_module, "LAZY_BYTES", 0)


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The stores lazy_store.read has checked, in order."""
    checked: list[bytes] = []
    real = lazy_store.read

    def counting(raw: bytes) -> Any:
        checked.append(raw)
        return real(raw)

    monkeypatch.setattr(lazy_store, "read", counting)
    return checked


def write_store(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=4), encoding="utf-8")
    return path


def contents(store: Store) -> dict[str, list[tuple[str, Any, Any]]]:
    """Every record with the period and metric the Store filed it under, table by table."""
    return {
        table: [(doc_id, record, store.periods(table)) for doc_id, record in store.documents(table)]
        for table in TABLES
    }


def notes() -> list[Path]:
    folder = Path(os.environ["XDG_CACHE_HOME"]) / "dz"
    return sorted(folder.glob("*.dz-read-note")) if folder.is_dir() else []


def test_second_read_uses_the_note_and_reads_the_same(tmp_path: Path, checks: list[bytes]) -> None:
    path = write_store(tmp_path / "facts.json", shipped())
    first = contents(open_store(path))
    assert len(checks) == 1 and len(notes()) == 1
    second = open_store(path)
    assert len(checks) == 1, "the unchanged store was checked again"
    assert contents(second) == first
    stats = second.records("stats", metrics={"gdp"})
    assert stats and all(stat["metric"] == "gdp" for stat in stats)


def test_an_edited_store_is_checked_again(tmp_path: Path, checks: list[bytes]) -> None:
    data = shipped()
    path = write_store(tmp_path / "facts.json", data)
    open_store(path)
    first_stat = next(iter(data["stats"].values()))
    first_stat["value"] = 12345.5
    write_store(path, data)
    store = open_store(path)
    assert len(checks) == 2
    assert store.by_id("stats")[first_stat["id"]]["value"] == 12345.5


def test_an_edit_that_breaks_the_store_is_refused_despite_the_note(
    tmp_path: Path, checks: list[bytes]
) -> None:
    data = shipped()
    path = write_store(tmp_path / "facts.json", data)
    open_store(path)
    next(iter(data["stats"].values()))["value"] = "many"
    write_store(path, data)
    with pytest.raises(StoreError, match="malformed"):
        open_store(path)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda note: note[: len(note) // 2], id="truncated"),
        pytest.param(lambda note: b"not a note", id="garbage"),
        pytest.param(lambda note: b"", id="empty"),
    ],
)
def test_a_damaged_note_is_ignored(tmp_path: Path, checks: list[bytes], damage: Any) -> None:
    path = write_store(tmp_path / "facts.json", shipped())
    first = contents(open_store(path))
    (note,) = notes()
    note.write_bytes(damage(note.read_bytes()))
    assert contents(open_store(path)) == first
    assert len(checks) == 2


def test_a_note_with_spans_beyond_the_file_is_ignored(tmp_path: Path) -> None:
    path = write_store(tmp_path / "facts.json", shipped())
    raw = path.read_bytes()
    key = read_cache.digest(raw)
    tables = lazy_store.read(raw)
    assert tables is not None
    read_cache.remember(path, raw + b" " * 100, key, tables, lambda: True)  # spans of a longer file
    assert read_cache.recall(path, raw[:-100], key) is None


def test_a_note_by_other_reading_code_is_not_used(
    tmp_path: Path, checks: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_store(tmp_path / "facts.json", shipped())
    open_store(path)
    monkeypatch.setattr(read_cache, "_CODE", ["a validator with another rule"])
    open_store(path)
    assert len(checks) == 2


def test_no_note_without_a_cache(
    tmp_path: Path, checks: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DZ_NO_CACHE", "1")
    path = write_store(tmp_path / "facts.json", shipped())
    open_store(path)
    open_store(path)
    assert len(checks) == 2 and notes() == []


def test_a_cache_folder_that_cannot_be_made_only_costs_time(
    tmp_path: Path, checks: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    path = write_store(store_dir / "facts.json", shipped())
    assert contents(open_store(path)) == contents(open_store(path))
    assert len(checks) == 2


def test_a_refused_store_leaves_no_note(tmp_path: Path) -> None:
    data = shipped()
    next(iter(data["stats"].values()))["value"] = "many"
    path = write_store(tmp_path / "facts.json", data)
    with pytest.raises(StoreError):
        open_store(path)
    assert notes() == []


def test_a_read_writes_nothing_beside_the_store(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    path = write_store(store_dir / "facts.json", shipped())
    before = snapshot_tree(store_dir)
    open_store(path)
    open_store(path)
    assert snapshot_tree(store_dir) == before
    assert len(notes()) == 1


def test_the_cache_keeps_a_few_notes(tmp_path: Path) -> None:
    for number in range(12):
        store_dir = tmp_path / f"store-{number}"
        store_dir.mkdir()
        open_store(write_store(store_dir / "facts.json", shipped()))
    assert len(notes()) == 8
