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
from conftest import installed_dz
from typer.testing import CliRunner

from dzcli.cli import app
from dzcli.store import LAZY_BYTES, TABLES, default_store_path

runner = CliRunner()
OLD_MTIME_NS = 1_000_000_000 * 1_000_000_000  # 2001-09-09: any write would move it to "now"

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


def shipped() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(default_store_path().read_text(encoding="utf-8"))
    return data


def changed(table: str, record_id: str, **fields: Any) -> bytes:
    """The shipped store with some fields of one record replaced."""
    data = shipped()
    record = next(r for r in data[table].values() if r["id"] == record_id)
    record.update(fields)
    return json.dumps(data).encode()  # ASCII: lone surrogates as \udcxx escapes


def without(*tables: str) -> bytes:
    return json.dumps({k: v for k, v in shipped().items() if k not in tables}).encode()


def snapshot(directory: Path) -> dict[str, tuple[bytes | None, int]]:
    """Every entry of `directory`: its bytes (None for a directory) and modification time."""
    return {
        entry.name: (None if entry.is_dir() else entry.read_bytes(), entry.stat().st_mtime_ns)
        for entry in sorted(directory.iterdir())
    }


MISSING, DIRECTORY = "missing", "directory"


def place(path: Path, content: bytes | str) -> None:
    """Put `content` at `path` with an old mtime, so that a write would show."""
    if content == MISSING:
        return
    if content == DIRECTORY:
        path.mkdir()
    else:
        assert isinstance(content, bytes)
        path.write_bytes(content)
    os.utime(path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))


def _cut_at_a_line_end(raw: bytes, size: int) -> bytes:
    """The first lines of `raw` within `size` bytes: JSON cut short, but still whole UTF-8."""
    return raw[: raw.rindex(b"\n", 0, size) + 1]


# (name, the file's bytes, how the message ends)
UNREADABLE: list[tuple[str, bytes, str]] = [
    ("empty", b"", "not valid JSON (line 1, column 1)"),
    ("whitespace", b"  \n", "not valid JSON (line 2, column 1)"),
    ("not-json", b"gdp: 317.19\n", "not a dz store (it starts with 'g', and a store is"),
    (
        "truncated",
        _cut_at_a_line_end(default_store_path().read_bytes(), 5000),
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

CASES: list[tuple[str, bytes | str, str]] = [
    ("missing", MISSING, "no such file"),
    ("directory", DIRECTORY, "is a directory"),
    *UNREADABLE,
    *MALFORMED,
]


@pytest.mark.parametrize("argv", READERS, ids=[" ".join(a) for a in READERS])
@pytest.mark.parametrize(
    ("content", "reason"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_bad_store_is_refused_without_a_trace(
    tmp_path: Path, argv: list[str], content: bytes | str, reason: str
) -> None:
    path = tmp_path / "facts.json"
    place(path, content)
    before = snapshot(tmp_path)

    result = runner.invoke(app, [*argv, "--db", str(path)])

    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"dz: error: cannot read store {path}: {reason}")
    assert result.stderr.endswith("\n") and result.stderr.count("\n") == 1
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("content", "reason"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_store_named_by_dz_db_is_refused_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes | str, reason: str
) -> None:
    path = tmp_path / "facts.json"
    place(path, content)
    before = snapshot(tmp_path)
    monkeypatch.setenv("DZ_DB", str(path))

    result = runner.invoke(app, ["stats", "2021"])

    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"dz: error: cannot read store {path}: {reason}")
    assert snapshot(tmp_path) == before


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
    """A big store is read another way (store.LAZY_BYTES); it must refuse the same records."""
    path = tmp_path / "facts.json"
    place(path, padded(content))
    assert path.stat().st_size >= LAZY_BYTES
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
    before = snapshot(tmp_path)

    result = runner.invoke(app, ["check", "--db", str(path)])

    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout.splitlines()[:3] == [
        "stats gdp@2021: error: schema: 'value' is the text '317.19', expected a number or null",
        "stats goods_trade@2021: error: schema: 'period' is a number 2021, expected a period "
        "(YYYY, YYYY-QN or YYYY-MM/YYYY-MM)",
        "parks hi-tech-park: error: schema: 'aliases[0]' is a number 1, expected text",
    ]
    assert snapshot(tmp_path) == before


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


def test_no_read_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "facts.json"
    place(path, default_store_path().read_bytes())
    path.chmod(0)
    before = snapshot(tmp_path)
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
    assert snapshot(tmp_path) == before


def test_missing_store_is_not_created_even_in_a_missing_folder(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "facts.json"
    result = runner.invoke(app, ["stats", "--db", str(path)])
    assert (result.exit_code, result.stderr) == (
        1,
        f"dz: error: cannot read store {path}: no such file\n",
    )
    assert list(tmp_path.iterdir()) == []
