"""The installed `dz` console script, run as a user would, from a folder outside the repo."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from helpers import installed_dz

pytestmark = pytest.mark.slow  # every test runs the installed dz in a process


def test_installed_dz_answers_from_another_folder(tmp_path: Path) -> None:
    result = subprocess.run(
        [installed_dz(), "stats", "2021", "--json"],
        cwd=tmp_path,
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    rows = json.loads(result.stdout.decode("utf-8"))
    assert {row["metric"]: row["value"] for row in rows}["gdp"] == 317.19


def test_installed_dz_reports_errors_in_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [installed_dz(), "stats", "1999"],
        cwd=tmp_path,
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (1, b"")
    assert result.stderr.decode() == "dz: error: no statistics for 1999 (available: 2021, 2022)\n"
