from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dzcli.store import TABLES

WriteStore = Callable[[Path, bytes], Path]


def sample_store() -> dict[str, Any]:
    """A small valid dz store; document ids deliberately out of numeric order in the file."""
    data: dict[str, Any] = {name: {} for name in TABLES}
    data["stats"] = {
        "10": {"id": "gdp-2022", "metric": "gdp", "period": "2022", "value": 2},
        "2": {"id": "gdp-2021", "metric": "gdp", "period": "2021", "value": 1},
        "1": {"id": "gdp-2020", "metric": "gdp", "period": "2020", "value": 0},
    }
    data["metrics"] = {"1": {"id": "gdp", "name": "GDP", "unit": "100 million yuan"}}
    data["sources"] = {"1": {"id": "src-bulletin-2021", "title": "Statistical bulletin 2021"}}
    return data


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


SOURCES = Path(__file__).resolve().parents[2] / "shared" / "sources"
"""The source reports, beside the repo (../shared); only data-integrity tests read them."""


@pytest.fixture(autouse=True)
def facts_db(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point DZ_DB at a private copy of the shipped store, so no test can touch the real one."""
    from dzcli.store import default_store_path

    copy = tmp_path_factory.mktemp("db") / "facts.json"
    shutil.copy2(default_store_path(), copy)
    monkeypatch.setenv("DZ_DB", str(copy))
    for var in ("NO_COLOR", "FORCE_COLOR", "LC_ALL", "LC_MESSAGES", "LANG", "COLUMNS"):
        monkeypatch.delenv(var, raising=False)
    return copy


def snapshot(path: Path) -> tuple[bytes, int]:
    """A store's bytes and mtime, to assert that a read changed neither."""
    return path.read_bytes(), path.stat().st_mtime_ns


def installed_dz() -> str:
    """The `dz` console script installed beside this Python (the venv the suite runs in)."""
    beside_python = Path(sys.executable).parent / "dz"
    found = str(beside_python) if beside_python.exists() else shutil.which("dz")
    if found is None:
        pytest.fail("the dz entry point is not installed beside this Python")
    return found


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


def on_a_terminal(*args: str, env: dict[str, str]) -> str:
    """What a pseudo-terminal shows of the installed dz's output; `env` is added to ours
    without NO_COLOR, FORCE_COLOR and TERM."""
    controller, terminal = pty.openpty()
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    with subprocess.Popen(
        [installed_dz(), *args], stdout=terminal, stderr=subprocess.PIPE, env={**base, **env}
    ) as process:
        os.close(terminal)
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal closed: the program is done
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
    os.close(controller)
    assert process.returncode == 0
    return b"".join(chunks).decode("utf-8")
