"""Fixtures only; helpers that are not fixtures are in helpers.py."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import pytest
from helpers import BULLETIN, sample_store

WriteStore = Callable[[Path, bytes], Path]


def _write_bytes(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


@pytest.fixture
def store_data() -> dict[str, Any]:
    """A fresh copy of the sample store, to be altered by a test."""
    return sample_store()


@pytest.fixture
def write_store() -> WriteStore:
    """Write arbitrary bytes as a store file and return its path."""
    return _write_bytes


@pytest.fixture
def store_copy(tmp_path: Path) -> Path:
    """Path of a small valid dz store written to a temporary directory."""
    return _write_bytes(tmp_path / "facts.json", json.dumps(sample_store(), indent=2).encode())


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point HOME, DZ_HOME, XDG_DATA_HOME and XDG_CACHE_HOME at an empty temporary folder, so
    that no test (nor any dz it starts) reads or writes the real home, a user's store or the
    user's cache of read notes (dzcli.read_cache) there."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("DZ_HOME", str(home / "dz"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("DZ_NO_CACHE", raising=False)
    return home


@pytest.fixture(autouse=True)
def facts_db(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point DZ_DB at a private copy of the shipped store, so no test can touch the real one."""
    from dzcli.read import default_store_path

    copy = tmp_path_factory.mktemp("db") / "facts.json"
    shutil.copy2(default_store_path(), copy)
    monkeypatch.setenv("DZ_DB", str(copy))
    # DZ_PAGER and PAGER: a developer's pager must not change what a test on a terminal sees.
    for var in (
        "NO_COLOR",
        "FORCE_COLOR",
        "LC_ALL",
        "LC_MESSAGES",
        "LANG",
        "COLUMNS",
        "DZ_PAGER",
        "PAGER",
        "LESS",
    ):
        monkeypatch.delenv(var, raising=False)
    return copy


@pytest.fixture(autouse=True)
def processes_only_when_slow(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A test that starts a process (the installed dz, a shell, a pseudo-terminal) must be
    marked slow, so that `pytest -m "not slow"` stays fast; this makes a missing mark fail."""
    if request.node.get_closest_marker("slow") is not None:
        return

    def refuse(*args: Any, **kwargs: Any) -> NoReturn:
        pytest.fail(f"{request.node.nodeid} starts a process: mark it @pytest.mark.slow")

    monkeypatch.setattr(subprocess, "Popen", refuse)


@pytest.fixture
def two_year_store(tmp_path: Path, facts_db: Path) -> Path:
    """The shipped store plus a GDP value for 2020 (300 亿元), so 2020→2021 growth computes."""
    data = json.loads(facts_db.read_text(encoding="utf-8"))
    gdp = next(r for r in data["stats"].values() if r["id"] == "gdp@2021")
    data["stats"]["999"] = {
        **gdp,
        "id": "gdp@2020",
        "period": "2020",
        "value": 300,
        "base_value": 30_000_000_000,
        "yoy_pct": None,
    }
    store = tmp_path / "two-years.json"
    store.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return store


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user store (DZ_HOME, not DZ_DB) made from the shipped store and its sources, with
    bulletin.txt (helpers.BULLETIN) in the working folder; the store's path."""
    from dzcli.read import default_store_path

    monkeypatch.delenv("DZ_DB", raising=False)
    home = tmp_path / "home"
    shutil.copytree(default_store_path().parent / "sources", home / "sources")
    shutil.copy2(default_store_path(), home / "facts.json")
    (tmp_path / "bulletin.txt").write_text(BULLETIN, encoding="utf-8")
    monkeypatch.setenv("DZ_HOME", str(home))
    monkeypatch.chdir(tmp_path)
    return home / "facts.json"
