"""The installed `dz` console script, run as a user would, from a folder outside the repo."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def installed_dz() -> str:
    beside_python = Path(sys.executable).parent / "dz"
    found = str(beside_python) if beside_python.exists() else shutil.which("dz")
    if found is None:
        pytest.fail("the dz entry point is not installed beside this Python")
    return found


def test_installed_dz_answers_from_another_folder(tmp_path: Path) -> None:
    result = subprocess.run(
        [installed_dz(), "stats", "2021", "--json"],
        cwd=tmp_path, capture_output=True, check=False, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    rows = json.loads(result.stdout.decode("utf-8"))
    assert {row["metric"]: row["value"] for row in rows}["gdp"] == 317.19


def test_installed_dz_reports_errors_in_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [installed_dz(), "stats", "1999"], cwd=tmp_path, capture_output=True, check=False, timeout=60
    )
    assert (result.returncode, result.stdout) == (1, b"")
    assert result.stderr.decode() == "dz: error: no statistics for 1999 (available: 2021, 2022)\n"
