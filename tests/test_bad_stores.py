"""Every kind of unreadable or malformed store, through every command that reads one.

Each gives one `dz: error:` line naming the store and the reason, exit 1, nothing on stdout,
and leaves the file's bytes and modification time as they were, with no new file beside it.
"""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    CASES,
    MALFORMED,
    READERS,
    UNREADABLE,
    installed_dz,
    place,
    shipped,
    snapshot_tree,
)
from typer.testing import CliRunner

from dzcli.cli import app
from dzcli.read import default_store_path
from dzcli.read.cache import CACHED_FROM_BYTES

runner = CliRunner()


@pytest.mark.parametrize("argv", READERS, ids=[" ".join(a) for a in READERS])
@pytest.mark.parametrize(
    ("content", "reason"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_bad_store_is_refused_without_a_trace(
    tmp_path: Path, argv: list[str], content: bytes | str, reason: str
) -> None:
    path = tmp_path / "facts.json"
    place(path, content)
    before = snapshot_tree(tmp_path)

    result = runner.invoke(app, [*argv, "--db", str(path)])

    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"dz: error: cannot read store {path}: {reason}")
    assert result.stderr.endswith("\n") and result.stderr.count("\n") == 1
    assert snapshot_tree(tmp_path) == before


@pytest.mark.parametrize(
    ("content", "reason"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_store_named_by_dz_db_is_refused_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes | str, reason: str
) -> None:
    path = tmp_path / "facts.json"
    place(path, content)
    before = snapshot_tree(tmp_path)
    monkeypatch.setenv("DZ_DB", str(path))

    result = runner.invoke(app, ["stats", "2021"])

    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"dz: error: cannot read store {path}: {reason}")
    assert snapshot_tree(tmp_path) == before


def padded(content: bytes) -> bytes:
    """The same store with 2000 more (valid) projects: big enough for the lazy reader."""
    data = json.loads(content)
    project = next(iter(data["projects"].values()))
    for n in range(2000):
        data["projects"][str(10_000 + n)] = {**project, "id": f"padding-{n}"}
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("content", "reason"), [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED]
)
def test_big_malformed_store_is_refused_alike(tmp_path: Path, content: bytes, reason: str) -> None:
    """A big store is indexed in the cache (read.cache); it must refuse the same records."""
    path = tmp_path / "facts.json"
    place(path, padded(content))
    assert path.stat().st_size >= CACHED_FROM_BYTES
    result = runner.invoke(app, ["stats", "2021", "--json", "--db", str(path)])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"dz: error: cannot read store {path}: {reason}\n"


def test_check_reports_every_malformed_record_at_once(tmp_path: Path) -> None:
    """What other commands refuse one record at a time, `dz check` lists together."""
    data = shipped()
    stats = {r["id"]: r for r in data["stats"].values()}
    stats["gdp@2021"]["value"] = "317.19"
    stats["goods_trade@2021"]["period"] = 2021
    parks = {r["id"]: r for r in data["parks"].values()}
    parks["hi-tech-park"]["aliases"] = [1]
    path = tmp_path / "facts.json"
    place(path, json.dumps(data).encode())
    before = snapshot_tree(tmp_path)

    result = runner.invoke(app, ["check", "--db", str(path)])

    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout.splitlines()[:3] == [
        "stats gdp@2021: error: schema: 'value' is the text '317.19', expected a number or null",
        "stats goods_trade@2021: error: schema: 'period' is a number 2021, expected a period "
        "(YYYY, YYYY-QN or YYYY-MM/YYYY-MM)",
        "parks hi-tech-park: error: schema: 'aliases[0]' is a number 1, expected text",
    ]
    assert snapshot_tree(tmp_path) == before


@pytest.mark.parametrize(
    ("content", "reason"),
    [case[1:] for case in UNREADABLE[:9]],
    ids=[case[0] for case in UNREADABLE[:9]],
)
def test_check_refuses_what_it_cannot_parse(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "facts.json"
    place(path, content)
    result = runner.invoke(app, ["check", "--db", str(path)])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"dz: error: cannot read store {path}: {reason}")


# --- no read permission --------------------------------------------------------------------

PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def _drop_file_read_override() -> None:
    """In the child, before exec: root without the capabilities that let it read any file."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) refused")


def run_without_read_permission(argv: list[str]) -> subprocess.CompletedProcess[bytes] | None:
    """Run the installed dz where the OS itself refuses to read a mode-000 file, if we can.

    As an ordinary user, chmod 000 is enough. As root (CI), which may read anything, the child
    gives up that power first; None if the kernel will not let it (then the caller simulates).
    """
    as_root = os.geteuid() == 0
    try:
        return subprocess.run(
            [installed_dz(), *argv],
            capture_output=True,
            timeout=60,
            check=False,
            preexec_fn=_drop_file_read_override if as_root else None,
        )
    except subprocess.SubprocessError:
        return None


@pytest.mark.slow  # runs the installed dz in a process
def test_no_read_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "facts.json"
    place(path, default_store_path().read_bytes())
    path.chmod(0)
    before = snapshot_tree(tmp_path)
    expected = f"dz: error: cannot read store {path}: permission denied\n"

    done = run_without_read_permission(["stats", "2021", "--db", str(path)])
    if done is not None:
        assert (done.returncode, done.stdout) == (1, b"")
        assert done.stderr.decode() == expected
    else:  # the kernel would not drop root's power: have Python's open fail as the OS would
        real_open = Path.open

        def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)

        monkeypatch.setattr(Path, "open", refuse)
        result = runner.invoke(app, ["stats", "2021", "--db", str(path)])
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", expected)
    path.chmod(0o600)
    assert snapshot_tree(tmp_path) == before


def test_missing_store_is_not_created_even_in_a_missing_folder(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "facts.json"
    result = runner.invoke(app, ["stats", "--db", str(path)])
    assert (result.exit_code, result.stderr) == (
        1,
        f"dz: error: cannot read store {path}: no such file\n",
    )
    assert list(tmp_path.iterdir()) == []
