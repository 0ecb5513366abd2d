"""The installed `dz` under pipes, Ctrl-C and a C locale, and what an internal bug looks like.

Pipes, signals and locales are properties of a real process, so those tests run the `dz`
entry point installed beside this Python, in a shell pipeline where the issue says so.
"""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest
from helpers import installed_dz
from typer.testing import CliRunner

from dzcli import queries
from dzcli.cli import app
from dzcli.read import default_store_path

pytestmark = pytest.mark.slow  # every test runs the installed dz in a process

runner = CliRunner()
DZ = installed_dz()
COPIES = 3000  # enough rows that the output is far larger than a pipe's buffer (64 KiB)


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped store plus COPIES more projects and 2021 statistics."""
    data: dict[str, Any] = json.loads(default_store_path().read_text(encoding="utf-8"))
    project = next(iter(data["projects"].values()))
    stat = next(r for r in data["stats"].values() if r["id"] == "gdp@2021")
    for n in range(COPIES):
        data["projects"][str(1000 + n)] = copy.deepcopy(project) | {"id": f"project-{n}"}
        data["stats"][str(1000 + n)] = copy.deepcopy(stat) | {"id": f"m{n}@2021", "metric": f"m{n}"}
    path = tmp_path_factory.mktemp("big") / "facts.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def run(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [DZ, *argv], capture_output=True, env=env, timeout=60, check=False, stdin=subprocess.DEVNULL
    )


def pipeline(command: str, reader: str, store: Path, tmp_path: Path) -> tuple[bytes, int, bytes]:
    """`dz COMMAND --db STORE | READER` in bash: what the reader printed, dz's exit status
    as the shell reports it, and everything dz wrote to stderr."""
    errors = tmp_path / "stderr"
    done = subprocess.run(
        [
            "bash",
            "-c",
            f'"$DZ" {command} --db "$DB" 2>"$ERR" | {reader}; exit "${{PIPESTATUS[0]}}"',
        ],
        env={**os.environ, "DZ": DZ, "DB": str(store), "ERR": str(errors)},
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.stderr == b""  # nothing from the shell either
    return done.stdout, done.returncode, errors.read_bytes()


# --- pipes ---------------------------------------------------------------------------------


def test_table_into_head_stops_quietly(big_store: Path, tmp_path: Path) -> None:
    # Every row (--limit 0): a table bigger than any pipe buffer, still being written.
    whole = run("projects", "--limit", "0", "--db", str(big_store))
    assert len(whole.stdout) > 10 * 65536 and whole.returncode == 0

    shown, status, errors = pipeline("projects --limit 0", "head -1", big_store, tmp_path)

    assert shown == whole.stdout.split(b"\n")[0] + b"\n"
    assert errors == b""
    # The shell's status for a process ended by SIGPIPE, as for `yes | head -1`.
    assert status == 128 + signal.SIGPIPE


def test_json_into_head_stops_quietly(big_store: Path, tmp_path: Path) -> None:
    whole = run("stats", "2021", "--json", "--db", str(big_store))
    assert len(whole.stdout) > 10 * 65536 and whole.returncode == 0

    shown, status, errors = pipeline("stats 2021 --json", "head -c 10", big_store, tmp_path)

    assert shown == whole.stdout[:10]
    assert errors == b""
    assert status == 128 + signal.SIGPIPE


def test_small_output_into_head(tmp_path: Path) -> None:
    shown, status, errors = pipeline("projects", "head -1", default_store_path(), tmp_path)
    assert shown.decode().startswith("High-Tech Industrial Park") and errors == b""
    assert status in (0, 128 + signal.SIGPIPE)  # dz may have finished before head closed


# --- Ctrl-C --------------------------------------------------------------------------------


def as_at_a_terminal() -> None:
    """In the child: Ctrl-C as a terminal delivers it. A shell starts a background job
    (`pytest … &`) with SIGINT ignored, and every child inherits that, so without this the
    test would measure how dz was started rather than what it does on Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_while_reading_the_store(tmp_path: Path) -> None:
    # A FIFO as the store: dz blocks reading it, inside the command, until we write to it.
    fifo = tmp_path / "facts.json"
    os.mkfifo(fifo)
    process = subprocess.Popen(
        [DZ, "stats", "2021", "--db", str(fifo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=as_at_a_terminal,
    )
    writer = os.open(fifo, os.O_WRONLY)  # returns once dz has opened the FIFO to read it
    try:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        os.close(writer)
    assert (process.returncode, out, err) == (130, b"", b"dz: interrupted\n")


def test_ctrl_c_while_writing_a_table(big_store: Path) -> None:
    # --limit 0: every row, far more than a pipe holds (a table is otherwise cut at 100 rows,
    # which fits in the pipe and lets dz finish before the signal comes).
    process = subprocess.Popen(
        [DZ, "projects", "--limit", "0", "--db", str(big_store)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=as_at_a_terminal,
    )
    assert process.stdout is not None
    process.stdout.read(1)  # dz is writing, and the pipe is about to be full: it will block
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (130, b"dz: interrupted\n")


# --- locale --------------------------------------------------------------------------------


def c_locale(*, utf8_mode: str | None = "0") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONIO"))}
    env["LC_ALL"] = "C"
    if utf8_mode is not None:
        env["PYTHONUTF8"] = utf8_mode
    return env


@pytest.mark.parametrize("utf8_mode", ["0", None], ids=["PYTHONUTF8=0", "PYTHONUTF8-unset"])
def test_c_locale_reads_and_prints_chinese(utf8_mode: str | None) -> None:
    env = c_locale(utf8_mode=utf8_mode)

    table = run("parks", "--lang", "zh", env=env)
    assert (table.returncode, table.stderr) == (0, b"")
    assert "京津冀协同发展产业示范区" in table.stdout.decode("utf-8")

    found = run("search", "威讯", "--json", env=env)  # a Chinese argument is read as typed
    assert (found.returncode, found.stderr) == (0, b"")
    assert "weixun-dezhou" in {row["id"] for row in json.loads(found.stdout.decode("utf-8"))}

    park = run("projects", "--park", "高新产业园", "--json", env=env)
    assert park.returncode == 0
    assert [row["id"] for row in json.loads(park.stdout)] == ["hi-tech-park-infrastructure"]

    help_text = run("--help", env=env)
    assert help_text.returncode == 0 and "德州经济技术开发区" in help_text.stdout.decode("utf-8")


def test_c_locale_error_is_one_clean_line() -> None:
    failed = run("projects", "--park", "不存在的园区", env=c_locale())
    assert (failed.returncode, failed.stdout) == (1, b"")
    message = failed.stderr.decode("utf-8")
    assert message.startswith("dz: error: no park matches '不存在的园区'; ")
    assert message.count("\n") == 1 and "Traceback" not in message


def test_c_locale_store_with_a_chinese_path(tmp_path: Path) -> None:
    store = tmp_path / "德州.json"
    store.write_bytes(default_store_path().read_bytes())
    shown = run("show", "gdp@2021", "--json", "--db", str(store), env=c_locale())
    assert (shown.returncode, shown.stderr) == (0, b"")
    assert json.loads(shown.stdout)[0]["source"]["quote"].startswith("2021年,地区生产总值")


# --- internal errors -----------------------------------------------------------------------


def broken_parks(_store: object, _park: object = None) -> list[dict[str, Any]]:
    secret = "LOCAL-VALUE-7F3A"  # a local variable: --debug must not print it
    raise RuntimeError(f"boom\n\x1b[31m ({len(secret)})")


def test_internal_error_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "parks", broken_parks)
    result = runner.invoke(app, ["parks"])
    assert (result.exit_code, result.stdout) == (70, "")
    assert result.stderr == (
        "dz: internal error: RuntimeError: boom\\n\\x1b[31m (16); rerun with --debug for details\n"
    )


def test_internal_error_message_is_kept_short(monkeypatch: pytest.MonkeyPatch) -> None:
    def huge(_store: object, _park: object = None) -> list[dict[str, Any]]:
        raise ValueError("x" * 10_000)

    monkeypatch.setattr(queries, "parks", huge)
    result = runner.invoke(app, ["parks"])
    assert result.exit_code == 70
    # "ValueError: " and 187 x's make 199 characters, then an ellipsis: 200.
    assert result.stderr == (
        "dz: internal error: ValueError: " + "x" * 187 + "…; rerun with --debug for details\n"
    )


def test_debug_shows_the_traceback_without_locals(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "parks", broken_parks)
    result = runner.invoke(app, ["--debug", "parks"])
    assert (result.exit_code, result.stdout) == (70, "")
    assert result.stderr.startswith("Traceback (most recent call last):\n")
    assert result.stderr.endswith("RuntimeError: boom\n\x1b[31m (16)\n")
    assert 'raise RuntimeError(f"boom\\n\\x1b[31m ({len(secret)})")' in result.stderr
    assert "LOCAL-VALUE-7F3A" not in result.stderr
    assert "locals" not in result.stderr and "╭" not in result.stderr  # no Rich traceback


@pytest.mark.parametrize("argv", [["--version"], ["stats", "2021", "--json"], ["check"]])
def test_a_full_disk_is_one_error_line(argv: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [DZ, *argv], stdout=full, stderr=subprocess.PIPE, timeout=60, check=False
        )
    assert done.returncode == 1
    assert done.stderr == b"dz: error: cannot write output: no space left on device\n"


def test_a_closed_stdout_is_one_error_line() -> None:
    done = subprocess.run(
        [DZ, "--version"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=60,
        check=False,
        preexec_fn=lambda: os.close(1),
    )
    assert (done.returncode, done.stderr) == (
        1,
        b"dz: error: cannot write output: stdout is closed\n",
    )


def test_tables_are_utf8_whatever_pythonioencoding_says() -> None:
    env = dict(os.environ, PYTHONIOENCODING="latin-1")
    done = run("stats", "2022", "--lang", "zh", env=env)
    assert (done.returncode, done.stderr) == (0, b"")
    assert "规模以上工业增加值" in done.stdout.decode("utf-8")


def test_a_device_is_not_read_as_a_store() -> None:
    done = run("stats", "--db", "/dev/zero")
    assert (done.returncode, done.stdout) == (1, b"")
    assert done.stderr == b"dz: error: cannot read store /dev/zero: is a device, not a file\n"
