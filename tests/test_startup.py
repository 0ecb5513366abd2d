"""What `dz` imports at start-up: nothing it does not need (how long it takes is the benchmark's).

Each command runs as a user runs it, through the installed `dz` entry point, with Python's
import-time report (`-X importtime`, set through PYTHONPROFILEIMPORTTIME) listing every module
it imported.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from helpers import installed_dz
from typer.testing import CliRunner

from dzcli import __version__
from dzcli.cli import app

pytestmark = pytest.mark.slow  # every test runs the installed dz in a process

runner = CliRunner()

# Every listing command, with --json: machine output must never pay for Rich.
JSON_COMMANDS = [
    ["stats", "2021", "--json"],
    ["stats", "--json"],
    ["growth", "--json"],
    ["targets", "--json"],
    ["parks", "--json"],
    ["projects", "--park", "高新产业园", "--json"],
    ["enterprises", "--json"],
    ["events", "--json"],
    ["show", "gdp@2021", "--json"],
    ["search", "威讯", "--json"],
    ["stats", "2021", "--format", "json"],
]


def imported_by(args: list[str]) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run `dz ARGS` and return the run and the top-level packages it imported."""
    done = subprocess.run(
        [installed_dz(), *args],
        env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    lines = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    assert lines, "no import-time report: the check would pass without looking"
    packages = {line.rsplit("|", 1)[1].strip().split(".")[0] for line in lines[1:]}
    return done, packages


def test_the_report_sees_what_a_table_imports() -> None:
    # The check below is only worth something if the report names rich when it is imported.
    done, packages = imported_by(["stats", "2021"])
    assert done.returncode == 0, done.stderr
    assert {"rich", "typer", "dzcli"} <= packages


def test_version_imports_neither_the_cli_nor_rich_nor_tinydb() -> None:
    done, packages = imported_by(["--version"])
    assert (done.returncode, done.stdout) == (0, f"dz {__version__}\n")
    assert not {"rich", "tinydb", "typer", "msgspec"} & packages


@pytest.mark.parametrize("args", JSON_COMMANDS, ids=" ".join)
def test_json_output_does_not_import_rich(args: list[str]) -> None:
    done, packages = imported_by(args)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("[")
    assert "rich" not in packages


@pytest.mark.slow  # starts a Python process
def test_a_small_store_is_read_without_hashing_it() -> None:
    # The shipped store is indexed in memory: nothing asks for its sha256 (OpenSSL's import).
    done, packages = imported_by(["stats", "2021", "--json"])
    assert done.returncode == 0, done.stderr
    assert not {"hashlib", "_hashlib"} & packages


def test_fast_version_says_what_the_cli_says() -> None:
    fast = subprocess.run(
        [installed_dz(), "--version"], capture_output=True, text=True, check=True, timeout=60
    )
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert fast.stdout == result.stdout == f"dz {__version__}\n"
    assert fast.stderr == ""


@pytest.mark.parametrize("args", [["--version", "--debug"], ["--debug", "--version"]])
def test_version_among_other_options_goes_through_the_cli(args: list[str]) -> None:
    done = subprocess.run(
        [installed_dz(), *args], capture_output=True, text=True, check=False, timeout=60
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, f"dz {__version__}\n", "")


def test_python_dash_m_runs_dz() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dzcli", "stats", "2021", "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert '"id": "gdp@2021"' in done.stdout
