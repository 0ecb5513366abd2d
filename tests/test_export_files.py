"""What an export leaves on disk: files with the permissions the umask gives, and never a
file named `-` for a user who meant stdout."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dzcli.cli import app

runner = CliRunner()
EXPORTS = ["sqlite", "datapackage", "parquet"]


@pytest.mark.parametrize("what", EXPORTS)
def test_an_export_to_stdout_is_refused_and_writes_nothing(
    what: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["export", what, "-"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"dz: error: dz export {what} writes a ")
    assert "not stdout: give a path, e.g. dz export " in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_file_named_dash_is_written_when_named_as_a_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["export", "sqlite", "./-"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "-").is_file()


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o002])
def test_an_export_follows_the_umask_like_any_new_file(
    mask: int, tmp_path: Path, umask: None
) -> None:
    os.umask(mask)
    database = tmp_path / "facts.db"
    assert runner.invoke(app, ["export", "sqlite", str(database)]).exit_code == 0
    package = tmp_path / "package"
    assert runner.invoke(app, ["export", "datapackage", str(package)]).exit_code == 0
    parquet = tmp_path / "parquet"
    assert runner.invoke(app, ["export", "parquet", str(parquet)]).exit_code == 0
    files = [database, tmp_path / "facts.metadata.json", *package.iterdir(), *parquet.iterdir()]
    assert {mode(path) for path in files} == {0o666 & ~mask}
    assert {mode(package), mode(parquet)} == {0o777 & ~mask}


def test_replacing_an_export_gives_the_umask_s_permissions_too(tmp_path: Path, umask: None) -> None:
    database = tmp_path / "facts.db"
    database.write_bytes(b"old")
    database.chmod(0o600)
    assert runner.invoke(app, ["export", "sqlite", str(database), "--force"]).exit_code == 0
    assert mode(database) == 0o644
