"""What several test files share that is not a fixture: stores to start from, snapshots that
show a write, the installed `dz`, the source reports, and the catalogue of bad stores.

Test files import it as `from helpers import ...`: pytest puts tests/ on sys.path (it has no
__init__.py), whether dz is installed editably or not. Fixtures live in conftest.py.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import shutil
import struct
import subprocess
import sys
import termios
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dzcli.model.kinds import TABLES
from dzcli.read import default_store_path

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
DOCS = REPO / "docs"


def doc(name: str) -> str:
    """The text of docs/NAME (commands.md, json.md, …)."""
    return (DOCS / name).read_text(encoding="utf-8")


# --- stores to start from ------------------------------------------------------------------


def shipped() -> dict[str, Any]:
    """A fresh, parsed copy of the store shipped with dz, to be altered by a test."""
    data: dict[str, Any] = json.loads(default_store_path().read_text(encoding="utf-8"))
    return data


def record_of(data: dict[str, Any], table: str, record_id: str) -> dict[str, Any]:
    """The record of `table` whose id is `record_id` (to change it in place)."""
    found: dict[str, Any] = next(r for r in data[table].values() if r["id"] == record_id)
    return found


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


def many_metrics(copies: int) -> dict[str, Any]:
    """The shipped store with each metric and its statistics repeated `copies` times more,
    under metric ids of their own."""
    data = shipped()
    next_doc = 1 + max(int(doc) for table in data.values() for doc in table)
    for table, key in (("metrics", "id"), ("stats", "metric")):
        for record in list(data[table].values()):
            for copy in range(copies):
                twin = {**record, key: f"{record[key]}_{copy}"}
                if table == "stats":
                    twin["id"] = f"{twin['metric']}@{record['period']}"
                data[table][str(next_doc)] = twin
                next_doc += 1
    return data


BULLETIN = "德州统计公报\n2023年，全区地区生产总值达到340.12亿元，同比增长6.5%。\n"
"""A second source to register (bulletin.txt beside the `home` fixture's store)."""


# --- snapshots: a read must change nothing -------------------------------------------------

OLD_MTIME_NS = 1_000_000_000 * 1_000_000_000  # 2001-09-09: any write would move it to "now"


def snapshot(path: Path) -> tuple[bytes, int]:
    """A store's bytes and mtime, to assert that a read changed neither."""
    return path.read_bytes(), path.stat().st_mtime_ns


def snapshot_tree(directory: Path) -> dict[str, tuple[bytes | None, int]]:
    """Every entry under `directory` with its bytes (None for a directory) and mtime, to
    assert that a read changed, created and removed nothing there."""
    return {
        str(entry.relative_to(directory)): (
            None if entry.is_dir() else _read(entry),
            entry.stat().st_mtime_ns,
        )
        for entry in sorted(directory.rglob("*"))
    }


def _read(path: Path) -> bytes:
    # Builtin open, not Path.open: the no-permission cases patch Path.open.
    with open(path, "rb") as f:
        return f.read()


# --- the installed dz ----------------------------------------------------------------------


def installed_dz() -> str:
    """The `dz` console script installed beside this Python (the venv the suite runs in)."""
    beside_python = Path(sys.executable).parent / "dz"
    found = str(beside_python) if beside_python.exists() else shutil.which("dz")
    if found is None:
        pytest.fail("the dz entry point is not installed beside this Python")
    return found


def on_a_terminal(*args: str, env: dict[str, str]) -> str:
    """What a pseudo-terminal shows of the installed dz's output; `env` is added to ours
    without NO_COLOR, FORCE_COLOR and TERM, and with no pager (DZ_PAGER empty) unless `env`
    names one."""
    controller, terminal = pty.openpty()
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    base["DZ_PAGER"] = ""
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


# Run as dz's parent: a session of its own whose controlling terminal is the one named first.
_IN_A_SESSION = (
    "import os, sys; os.setsid(); os.close(os.open(sys.argv[1], os.O_RDWR)); "
    "os.execv(sys.argv[2], sys.argv[2:])"
)


def in_a_terminal(
    *args: str, env: dict[str, str], rows: int = 24, columns: int = 80, piped: bool = False
) -> tuple[str, str, str]:
    """(what the terminal shows, what stdout carried through a pipe, stderr) of the installed
    dz run in a session whose controlling terminal is a pseudo-terminal `rows` by `columns`
    (as `dz …` typed at a prompt is); stdout is that terminal, or with `piped` a pipe read as
    `dz … | less` would read it. `env` is added to ours without NO_COLOR, FORCE_COLOR, TERM,
    COLUMNS, DZ_PAGER and PAGER, with TERM=xterm."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    dropped = ("NO_COLOR", "FORCE_COLOR", "TERM", "COLUMNS", "DZ_PAGER", "PAGER")
    base = {k: v for k, v in os.environ.items() if k not in dropped} | {"TERM": "xterm"}
    shown: list[bytes] = []

    def read_terminal() -> None:
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # every end of the terminal closed: dz and its pager are done
                return
            if not chunk:
                return
            shown.append(chunk)

    reader = threading.Thread(target=read_terminal)
    reader.start()
    command = [sys.executable, "-c", _IN_A_SESSION, os.ttyname(terminal), installed_dz(), *args]
    with subprocess.Popen(
        command,
        stdin=terminal,
        stdout=subprocess.PIPE if piped else terminal,
        stderr=subprocess.PIPE,
        env={**base, **env},
    ) as process:
        os.close(terminal)
        carried, errors = process.communicate(timeout=60)
    reader.join(timeout=60)
    os.close(controller)
    assert process.returncode == 0, errors
    text = b"".join(shown).decode("utf-8").replace("\r\n", "\n")
    return text, (carried or b"").decode("utf-8"), errors.decode("utf-8")


# --- the source reports (../shared) --------------------------------------------------------

SOURCES = Path(__file__).resolve().parents[2] / "shared" / "sources"
"""The source reports, beside the repo (../shared); only data-integrity tests read them."""


def require_sources() -> Path:
    """SOURCES, or skip the test when it is missing: a fresh clone has no ../shared. Under CI
    (the variable CI set) a missing ../shared fails the test instead, so it is never skipped
    unnoticed."""
    if not SOURCES.is_dir():
        reason = f"the source reports are not at {SOURCES} (../shared beside the repo)"
        if "CI" in os.environ:
            pytest.fail(f"{reason}; CI is set, so they must be", pytrace=False)
        pytest.skip(reason)
    return SOURCES


# --- bad stores through the CLI (test_bad_stores, test_lazy_store) -------------------------

# Every command that reads a store, with arguments that would succeed on the shipped one.
READERS: list[list[str]] = [
    ["stats", "2021"],
    ["stats", "--json"],
    ["growth"],
    ["targets"],
    ["parks"],
    ["projects", "--park", "高新产业园"],
    ["enterprises", "--json"],
    ["events"],
    ["show", "gdp@2021"],
    ["search", "德州"],
]

MISSING, DIRECTORY = "missing", "directory"


def place(path: Path, content: bytes | str) -> None:
    """Put `content` (bytes, MISSING or DIRECTORY) at `path` with an old mtime, so that a
    write would show."""
    if content == MISSING:
        return
    if content == DIRECTORY:
        path.mkdir()
    else:
        assert isinstance(content, bytes)
        path.write_bytes(content)
    os.utime(path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))


def changed(table: str, record_id: str, **fields: Any) -> bytes:
    """The shipped store with some fields of one record replaced."""
    data = shipped()
    record = next(r for r in data[table].values() if r["id"] == record_id)
    record.update(fields)
    return json.dumps(data).encode()  # ASCII: lone surrogates as \udcxx escapes


def without(*tables: str) -> bytes:
    """The shipped store without these tables."""
    return json.dumps({k: v for k, v in shipped().items() if k not in tables}).encode()


# (name, the file's bytes, how the message ends)
def cut_at_a_line_end(raw: bytes, limit: int) -> bytes:
    """The first `limit` bytes or fewer, ending at a line end: never inside a UTF-8 character."""
    return raw[: raw.rindex(b"\n", 0, limit) + 1]


UNREADABLE: list[tuple[str, bytes, str]] = [
    ("empty", b"", "not valid JSON (line 1, column 1)"),
    ("whitespace", b"  \n", "not valid JSON (line 2, column 1)"),
    ("not-json", b"gdp: 317.19\n", "not a dz store (it starts with 'g', and a store is"),
    (
        "truncated",
        cut_at_a_line_end(default_store_path().read_bytes(), 5000),
        "not valid JSON (line ",
    ),
    ("not-utf8", b'{"metrics": "\xb5\xc2\xd6\xdd"}', "not UTF-8 text (invalid byte at offset 13)"),
    (
        "utf16",
        '{"metrics": {}}'.encode("utf-16"),
        "not a dz store (it starts with the byte 0xff, and a store is a JSON object)",
    ),
    (
        "bom",
        b"\xef\xbb\xbf" + default_store_path().read_bytes(),
        "not valid JSON (it starts with a byte-order mark; save without BOM)",
    ),
    (
        "nested-too-deeply",
        b'{"stats": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "not usable JSON (nested too deeply)",
    ),
    (
        "number-too-long",
        b'{"stats": ' + b"9" * 5000 + b"}",
        "not usable JSON (a number has too many digits)",
    ),
    ("array", b"[1, 2]", "not a dz store (it starts with '[', and a store is a JSON object)"),
    ("null", b"null", "not a dz store (it starts with 'n', and a store is a JSON object)"),
    (
        "tinydb-default-table",
        json.dumps({"_default": {"1": {"id": "gdp@2021"}}}).encode(),
        "not a dz store (missing tables: " + ", ".join(TABLES) + ")",
    ),
    (
        "tables-missing",
        without("stats", "sources"),
        "not a dz store (missing tables: stats, sources)",
    ),
    (
        "table-not-object",
        json.dumps({**shipped(), "parks": []}).encode(),
        "table 'parks' is malformed (expected an object of records)",
    ),
]

# Records of the wrong shape in well-formed tables: refused the same way, naming the record.
MALFORMED: list[tuple[str, bytes, str]] = [
    (
        "value-is-text",
        changed("stats", "gdp@2021", value="317.19"),
        "table 'stats' is malformed (record 'gdp@2021': 'value' is the text '317.19', "
        "expected a number or null)",
    ),
    (
        "value-is-nan",
        changed("stats", "gdp@2021", value=float("nan")),
        "table 'stats' is malformed (record 'gdp@2021': 'value' is nan, not a finite number)",
    ),
    (
        "period-is-number",
        changed("stats", "gdp@2021", period=2021),
        "table 'stats' is malformed (record 'gdp@2021': 'period' is a number 2021, expected a "
        "period (YYYY, YYYY-QN or YYYY-MM/YYYY-MM))",
    ),
    (
        "target-period-not-a-year",
        changed("targets", "target:goods_trade@2022", period="2022-Q1"),
        "table 'targets' is malformed (record 'target:goods_trade@2022': 'period' is the text "
        "'2022-Q1', expected a year (YYYY) or null)",
    ),
    (
        "source-is-text",
        changed("stats", "gdp@2021", source="the 2022 report"),
        "table 'stats' is malformed (record 'gdp@2021': 'source' is the text 'the 2022 report', "
        "expected an object)",
    ),
    (
        "figures-not-a-list",
        changed("parks", "jjj-demo-zone", figures={"park_count": 11}),
        "table 'parks' is malformed (record 'jjj-demo-zone': 'figures' is an object, expected a "
        "list of figures)",
    ),
    (
        "figure-value-is-text",
        changed("parks", "jjj-demo-zone", figures=[{"key": "park_count", "value": "11"}]),
        "table 'parks' is malformed (record 'jjj-demo-zone': 'figures[0].value' is the text "
        "'11', expected a number)",
    ),
    (
        "alias-is-number",
        changed("parks", "hi-tech-park", aliases=[1]),
        "table 'parks' is malformed (record 'hi-tech-park': 'aliases[0]' is a number 1, "
        "expected text)",
    ),
    (
        "parent-is-list",
        changed("parks", "hi-tech-park", parent=["jjj-demo-zone"]),
        "table 'parks' is malformed (record 'hi-tech-park': 'parent' is a list, expected text "
        "or null)",
    ),
    (
        "lone-surrogate",
        changed("metrics", "gdp", name_en="\udce5\udcbe"),
        "table 'metrics' is malformed (record 'gdp': 'name_en' is not valid Unicode text (it "
        "holds a lone surrogate))",
    ),
    (
        "unknown-field-nested-deeply",
        changed("events", "weixun-founded", extra=json.loads("[" * 40 + "]" * 40)),
        "table 'events' is malformed (record 'weixun-founded': 'extra[0][0][0][0][0][0][0][0][0]"
        "[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]' is nested more "
        "than 32 levels deep)",
    ),
    (
        "duplicate-id",
        changed("stats", "goods_trade@2021", id="gdp@2021"),
        "table 'stats' is malformed (record 'gdp@2021': id 'gdp@2021' is also the id of a "
        "record in stats)",
    ),
]


def renumbered(table: str, record_id: str, doc_id: str) -> bytes:
    """The shipped store with one record under another document id."""
    data = shipped()
    data[table] = {
        (doc_id if record["id"] == record_id else key): record
        for key, record in data[table].items()
    }
    return json.dumps(data).encode()


MALFORMED.append(
    (
        "document-id-of-thousands-of-digits",
        renumbered("stats", "gdp@2021", "1" * 5000),
        "table 'stats' is malformed (record 'gdp@2021': document id '"
        + "1" * 38
        + "… has 5000 digits, more than 18)",
    )
)

# Every bad store the CLI must refuse: (name, what `place` puts there, how the message ends).
CASES: list[tuple[str, bytes | str, str]] = [
    ("missing", MISSING, "no such file"),
    ("directory", DIRECTORY, "is a directory"),
    *UNREADABLE,
    *MALFORMED,
]


# --- bad stores through open_store (test_store, test_lazy_store) ---------------------------

Setup = Callable[[Path, dict[str, Any], pytest.MonkeyPatch], None]
"""Puts a bad store at a path, built from a valid store's data; may patch the OS."""


def _with(data: dict[str, Any], **changes: Any) -> bytes:
    return json.dumps({**data, **changes}).encode()


def _without(data: dict[str, Any], *names: str) -> bytes:
    return json.dumps({k: v for k, v in data.items() if k not in names}).encode()


def _deny_open(path: Path, data: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    # We run as root, where chmod 000 does not stop reads; simulate the OS refusing instead.
    path.write_bytes(json.dumps(data).encode())
    real_open = Path.open

    def fake_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", fake_open)


def _bytes(content: Callable[[dict[str, Any]], bytes]) -> Setup:
    def setup(path: Path, data: dict[str, Any], _mp: pytest.MonkeyPatch) -> None:
        path.write_bytes(content(data))

    return setup


BAD_STORES: list[tuple[str, Setup, str]] = [
    ("missing", lambda path, data, mp: None, "no such file"),
    ("directory", lambda path, data, mp: path.mkdir(), "is a directory"),
    ("no-permission", _deny_open, "permission denied"),
    ("empty", _bytes(lambda d: b""), "not valid JSON (line 1, column 1)"),
    (
        "not-json",
        _bytes(lambda d: b"gdp: 1\n"),
        "not a dz store (it starts with 'g', and a store is a JSON object)",
    ),
    (
        "truncated",
        _bytes(lambda d: json.dumps(d, indent=2).encode()[:-40]),
        "not valid JSON (line ",
    ),
    ("not-utf8", _bytes(lambda d: b'{"stats": "\xff\xfe"}'), "not UTF-8 text"),
    ("json-list", _bytes(lambda d: b"[1, 2]"), "not a dz store (it starts with '['"),
    (
        "missing-tables",
        _bytes(lambda d: _without(d, "stats", "sources")),
        "not a dz store (missing tables: stats, sources)",
    ),
    ("table-not-object", _bytes(lambda d: _with(d, stats=[])), "table 'stats' is malformed"),
    (
        "record-not-object",
        _bytes(lambda d: _with(d, parks={"1": "Dezhou ETDZ"})),
        "table 'parks' is malformed (record '#1': the record is not an object)",
    ),
    (
        "record-without-id",
        _bytes(lambda d: _with(d, events={"1": {"title": "x"}})),
        "table 'events' is malformed (record '#1': missing field 'id')",
    ),
    (
        "doc-id-not-number",
        _bytes(lambda d: _with(d, projects={"a": {"id": "p"}})),
        "table 'projects' is malformed (record 'p': document id 'a' is not a number)",
    ),
    (
        "duplicate-id",
        _bytes(lambda d: _with(d, targets={"1": {"id": "t"}, "2": {"id": "t"}})),
        "table 'targets' is malformed (record 't': id 't' is also the id of a record in targets)",
    ),
]
