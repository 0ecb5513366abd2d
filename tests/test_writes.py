"""Writes (issue 10): where they go, what is refused, claims, the log, import, locks, I/O errors.
# ruff: noqa: RUF001  (the report writes full-width commas; the quotes must too)

The `home` fixture (conftest.py) is a user store made from the shipped one, with a bulletin to
register beside it.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import BULLETIN, installed_dz, snapshot

from dzcli.check import report
from dzcli.read import default_store_path
from dzcli.writes import storage as storage_module
from dzcli.writes.session import Write

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "sources"
TEXT = BULLETIN


def dz(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [installed_dz(), *args], capture_output=True, text=True, env=env, timeout=60
    )


def register() -> None:
    done = dz("source", "add", "bulletin.txt", "--id", "bulletin-2023", "--title-zh", "统计公报",
              "--date", "2024-03")  # fmt: skip
    assert done.returncode == 0, done.stderr


ADD_GDP = ("add", "stat", "--metric", "gdp", "--period", "2023", "--value", "340.12",
           "--unit", "亿元", "--yoy", "6.5", "--source", "bulletin-2023",
           "--quote", "2023年，全区地区生产总值达到340.12亿元，同比增长6.5%")  # fmt: skip


def errors(path: Path) -> list[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    problems = report(data, path.parent / "sources").problems
    return [p.line() for p in problems if p.severity == "error"]


def test_the_shipped_source_text_is_the_report_byte_for_byte() -> None:
    if not SHARED.is_dir():
        if os.environ.get("CI"):
            pytest.fail("../shared/sources is missing on CI")
        pytest.skip("../shared/sources is not beside this checkout")
    shipped = default_store_path().parent / "sources" / "dezhou-etdz-2022.txt"
    assert shipped.read_bytes() == (SHARED / "dezhou-etdz-2022.txt").read_bytes()


def test_the_fixture_store_passes_check(home: Path) -> None:
    assert errors(home) == []


@pytest.mark.slow
def test_first_write_creates_the_user_store_and_never_touches_the_shipped_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DZ_DB", raising=False)
    monkeypatch.setenv("DZ_HOME", str(tmp_path / "new-home"))
    shipped = snapshot(default_store_path())
    assert "shipped" in dz("info").stdout
    done = dz("retract", "gdp@2021", "--reason", "test")
    user = tmp_path / "new-home" / "facts.json"
    assert done.stderr == f"dz: created your store {user} from the shipped one\n"
    assert done.returncode == 0
    assert (tmp_path / "new-home" / "sources" / "dezhou-etdz-2022.txt").is_file()
    assert snapshot(default_store_path()) == shipped
    assert "your store" in dz("info").stdout  # reads now default to it
    refused = dz("retract", "gdp@2021", "--reason", "x", "--db", str(default_store_path()))
    assert refused.returncode == 1
    assert "will not write to the store shipped with dz" in refused.stderr
    assert snapshot(default_store_path()) == shipped


@pytest.mark.slow
def test_a_stat_is_added_seen_retracted_and_logged(home: Path) -> None:
    register()
    before = home.read_text(encoding="utf-8").splitlines()
    done = dz(*ADD_GDP)
    assert (done.returncode, done.stdout) == (0, "added gdp@2023\n"), done.stderr
    rows = json.loads(dz("stats", "2023", "--json").stdout)
    assert [(r["id"], r["value"], r["base_value"]) for r in rows] == [
        ("gdp@2023", 340.12, 34012000000)
    ]
    after = home.read_text(encoding="utf-8").splitlines()
    import difflib

    opcodes = difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes()
    assert {op for op, *_ in opcodes} <= {"equal", "insert"}  # only its own lines are new
    assert dz("retract", "gdp@2023", "--reason", "misread").returncode == 0
    record = json.loads(dz("show", "gdp@2023", "--json").stdout)[0]
    assert (record["claim_rank"], record["rank_reason"]) == ("deprecated", "misread")
    log = json.loads(dz("log", "--json").stdout)
    assert [(e["added"], e["retracted"]) for e in log] == [
        (["bulletin-2023"], []),
        (["gdp@2023"], []),
        ([], ["gdp@2023"]),
    ]
    assert json.loads(log[2]["previous"][0]["record"])["claim_rank"] == "normal"
    assert errors(home) == []


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"--quote": "2023年，全区地区生产总值达到999亿元"}, "provenance: the quote is not in"),
        ({"--value": "340.5"}, "--value: provenance: the value 340.5 is not a number of the"),
        ({"--yoy": "9.9"}, "--yoy: provenance: the rate 9.9% is not in the quote (it gives 6.5%)"),
        ({"--period": "2022"}, "--period: provenance: 2022 is not when the quote says"),
        ({"--source": "nobody"}, "--source: reference: 'nobody' is not a registered source"),
        ({"--metric": "no_such_metric"}, "--metric: no metric matches 'no_such_metric'"),
    ],
)
@pytest.mark.slow
def test_a_refused_write_names_the_rule_and_leaves_the_store_alone(
    home: Path, change: dict[str, str], rule: str
) -> None:
    register()
    args = list(ADD_GDP)
    for option, value in change.items():
        args[args.index(option) + 1] = value
    before = snapshot(home)
    done = dz(*args)
    assert done.returncode == 1
    assert done.stderr.startswith("dz: error: ") and rule in done.stderr
    assert done.stderr.count("\n") == 1
    assert snapshot(home) == before


@pytest.mark.slow
def test_second_claims_corroborate_or_need_a_decision(home: Path) -> None:
    register()
    assert dz(*ADD_GDP).returncode == 0
    (home.parent.parent / "paper.txt").write_text("日报\n生产总值340.1亿元。后经修订为341亿元。\n")
    assert dz("source", "add", "paper.txt", "--id", "paper", "--title-zh", "日报",
              "--date", "2024").returncode == 0  # fmt: skip
    base = ["add", "stat", "--metric", "gdp", "--period", "2023", "--unit", "亿元",
            "--source", "paper"]  # fmt: skip
    agree = dz(*base, "--value", "340.1", "--quote", "生产总值340.1亿元")
    assert agree.stdout == "added gdp@2023#paper\n", agree.stderr
    again = dz(*base, "--value", "341", "--quote", "修订为341亿元")
    assert again.returncode == 1 and "gdp@2023#paper is already in the store" in again.stderr
    (home.parent.parent / "revision.txt").write_text("修订\n修订为341亿元。\n")
    assert dz("source", "add", "revision.txt", "--id", "revision", "--title-zh", "修订"
              ).returncode == 0  # fmt: skip
    revised = [*base[:-1], "revision", "--value", "341", "--quote", "修订为341亿元"]
    clash = dz(*revised)
    assert clash.returncode == 1 and "disagrees with gdp@2023 " in clash.stderr, clash.stderr
    kept = dz(*revised, "--keep-existing")
    assert kept.stdout == "added gdp@2023#revision\n", kept.stderr
    assert dz("retract", "gdp@2023#paper", "--reason", "superseded").returncode == 0
    rows = json.loads(dz("stats", "2023", "--all-claims", "--json").stdout)
    assert {r["id"]: r["claim_rank"] for r in rows} == {
        "gdp@2023": "preferred",  # --keep-existing kept it as the answer
        "gdp@2023#paper": "deprecated",
        "gdp@2023#revision": "normal",
    }
    assert dz("prefer", "gdp@2023#revision", "--reason", "revised").returncode == 0
    answer = json.loads(dz("stats", "2023", "--json").stdout)
    assert [(r["id"], r["value"]) for r in answer] == [("gdp@2023#revision", 341)]
    assert errors(home) == []


def test_a_write_that_changes_nothing_leaves_the_file_byte_identical(home: Path) -> None:
    before = snapshot(home)
    with Write(home) as write:
        assert write.commit() is False
    assert snapshot(home) == before


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
@pytest.mark.parametrize(
    "command", ["stats", "targets", "parks", "projects", "enterprises", "events", "sources"]
)
@pytest.mark.slow
def test_printing_a_table_and_importing_it_back_changes_nothing(
    home: Path, fmt: str, command: str
) -> None:
    listing = [command, "--format", fmt] if command != "sources" else [command, "--json"]
    if command == "stats":
        listing.insert(1, "2021")
    out = home.parent.parent / f"rows.{'json' if command == 'sources' else fmt}"
    out.write_text(dz(*listing).stdout, encoding="utf-8")
    before = snapshot(home)
    done = dz("import", str(out), "--table", command)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("added 0, updated 0, unchanged ")
    assert snapshot(home) == before


@pytest.mark.slow
def test_an_import_with_one_bad_row_writes_nothing(home: Path) -> None:
    register()
    rows = [
        {
            "id": f"gdp@{period(n)}",
            "metric": "gdp",
            "period": period(n),
            "value": 340.12,
            "unit": "亿元",
            "source": {"doc": "bulletin-2023", "quote": "地区生产总值达到340.12亿元"},
        }
        for n in range(800)
    ]
    rows[500]["value"] = "lots"
    path = home.parent.parent / "rows.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    before = snapshot(home)
    done = dz("import", str(path), "--table", "stats")
    assert done.returncode == 1
    assert done.stderr.startswith("dz: error: row 501 (gdp@1925-Q1), field value:"), done.stderr
    assert snapshot(home) == before
    rows[500]["value"] = 340.12
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    dry = dz("import", str(path), "--table", "stats", "--dry-run")
    assert dry.stdout.splitlines() == [
        *(f"would add gdp@{period(n)}" for n in range(800)),
        "would add 800, would update 0, unchanged 0",
    ], dry.stderr
    assert snapshot(home) == before


@pytest.mark.slow
def test_a_locked_store_makes_a_writer_give_up_with_exit_75_naming_the_holder(home: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\nfrom dzcli.writes.lock import StoreLock\n"
         "from pathlib import Path\nlock = StoreLock(Path(sys.argv[1]), 1)\nlock.acquire()\n"
         "print('locked', flush=True)\ntime.sleep(30)", str(home)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        before = snapshot(home)
        start = time.monotonic()
        done = dz("retract", "gdp@2021", "--reason", "x", "--wait", "0.5")
        assert time.monotonic() - start >= 0.5
        assert done.returncode == 75
        assert f"locked by process {holder.pid}" in done.stderr
        assert snapshot(home) == before
    finally:
        holder.kill()
        holder.communicate()


@pytest.mark.skipif(shutil.which("flock") is None, reason="no flock(1) on this system")
@pytest.mark.slow
def test_a_lock_taken_by_flock_from_the_shell_is_honoured(home: Path) -> None:
    lock = f"{home}.lock"
    with subprocess.Popen(["flock", lock, "sleep", "30"]) as shell:
        try:
            time.sleep(0.3)
            done = dz("retract", "gdp@2021", "--reason", "x", "--wait", "0.3")
            assert done.returncode == 75, done.stderr
        finally:
            shell.kill()


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES, errno.EROFS])
def test_io_errors_leave_the_store_unchanged_and_no_temporary_file(
    home: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    before = snapshot(home)

    def fail(*_: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(storage_module.os, "fsync", fail)
    with Write(home) as write:
        _, doc_id, record = write.find("gdp@2021") or ("", "", {})
        write.replace("stats", {doc_id: {**record, "note": "changed"}})
        with pytest.raises(storage_module.WriteFailed, match=os.strerror(code).lower()):
            write.commit()
    assert snapshot(home) == before
    assert sorted(p.name for p in home.parent.iterdir()) == [
        "facts.json", "facts.json.lock", "sources"
    ]  # fmt: skip


QUOTE_2021 = "2021年,地区生产总值达到317.19亿元"  # in the shipped report, as written there


def period(n: int) -> str:
    """The n-th of 888 distinct quarters (1800-Q1 …), for stats no other test uses."""
    return f"{1800 + n // 4}-Q{n % 4 + 1}"


WORKER = f"""
import sys
from pathlib import Path
from dzcli.model.kinds import BY_NAME
from dzcli.writes.adding import add
from dzcli.writes.session import Write
path, worker, count = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
for n in range(count):
    quarter = f"{{1800 + n}}-Q{{worker + 1}}"
    options = {{"metric": "gdp", "period": quarter, "value": "317.19", "unit": "亿元",
               "source": "dezhou-etdz-2022", "quote": "{QUOTE_2021}",
               "note": f"Period {{quarter}}: a stand-in for a test"}}
    add(BY_NAME["stat"], options, Write(path, 60))
"""

READER = """
import sys, time
from pathlib import Path
from dzcli.read import open_store
end = time.monotonic() + float(sys.argv[2])
reads = 0
while time.monotonic() < end:
    open_store(Path(sys.argv[1])).records("stats")
    reads += 1
print(reads)
"""


@pytest.mark.slow
@pytest.mark.parametrize("writers", [2, 4])
def test_concurrent_writers_lose_nothing_and_readers_never_fail(home: Path, writers: int) -> None:
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(home), "5"], stdout=subprocess.PIPE, text=True
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(home), str(w), "100"])
        for w in range(writers)
    ]
    assert [p.wait(timeout=600) for p in procs] == [0] * writers
    out, _ = reader.communicate(timeout=60)
    assert reader.returncode == 0 and int(out) > 0
    data = json.loads(home.read_text(encoding="utf-8"))
    added = [r for r in data["stats"].values() if r["period"] < "1900"]
    assert len(added) == writers * 100
    assert len(data["log"]) == writers * 100
    assert errors(home) == []


def _add_args(periods: list[str], _: Path) -> list[str]:
    return ["add", "stat", "--metric", "gdp", "--period", periods[0], "--value", "317.19",
            "--unit", "亿元", "--source", "dezhou-etdz-2022", "--quote", QUOTE_2021,
            "--note", f"Period {periods[0]}: a stand-in"]  # fmt: skip


def _import_args(periods: list[str], folder: Path) -> list[str]:
    rows = [
        {
            "id": f"gdp@{p}",
            "metric": "gdp",
            "period": p,
            "value": 317.19,
            "unit": "亿元",
            "source": {"doc": "dezhou-etdz-2022", "quote": QUOTE_2021},
            "note": f"Period {p}: a stand-in",
        }
        for p in periods
    ]
    path = folder / "rows.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return ["import", str(path)]


def _one_step(before: bytes, after: bytes, ids: list[str]) -> None:
    """`after` is `before` with the stats `ids` added and one log entry saying so."""
    old, new = json.loads(before), json.loads(after)
    assert {t: v for t, v in new.items() if t not in ("stats", "log")} == {
        t: v for t, v in old.items() if t not in ("stats", "log")
    }
    assert {k: v for k, v in new["stats"].items() if k in old["stats"]} == old["stats"]
    assert sorted(r["id"] for k, r in new["stats"].items() if k not in old["stats"]) == sorted(ids)
    entries = [e for k, e in new["log"].items() if k not in old["log"]]
    assert [sorted(e["added"]) for e in entries] == [sorted(ids)]
    assert {k: v for k, v in new["log"].items() if k in old["log"]} == old["log"]


def _kill_writers(store: Path, seed: int, kills: int) -> tuple[int, int]:
    """Start the installed `dz add stat` or `dz import` (by turns) on `store`, SIGKILL it at a
    random moment of its run, and check what it left; (kills before, after the commit)."""
    import random

    rng = random.Random(seed)
    folder = store.parent.parent
    env = {**os.environ, "DZ_DB": str(store)}
    quarters = iter(range(888))
    window = 0.5  # seconds: grown until runs finish within it, then kept to 1.2x the last one
    outcomes = [0, 0]
    for kill in range(kills):
        periods = [period(next(quarters)) for _ in range(1 if kill % 2 == 0 else 10)]
        args = (_add_args if kill % 2 == 0 else _import_args)(periods, folder)
        before = store.read_bytes()
        start = time.monotonic()
        proc = subprocess.Popen(
            [installed_dz(), *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        pause = rng.uniform(0.0, window)
        time.sleep(pause)
        finished = proc.poll() is not None
        proc.kill()
        _, stderr = proc.communicate()
        if finished:
            assert proc.returncode == 0, stderr
            window = 1.2 * (time.monotonic() - start)
        after = store.read_bytes()
        if after == before:
            outcomes[0] += 1
            if pause > 0.8 * window:
                window *= 1.2
            continue
        outcomes[1] += 1
        _one_step(before, after, [f"gdp@{p}" for p in periods])
        assert errors(store) == [], after
    return outcomes[0], outcomes[1]


@pytest.mark.slow
def test_sigkill_during_dz_add_and_dz_import_leaves_the_old_store_or_the_new(
    home: Path, tmp_path: Path
) -> None:
    """200 kills of the installed `dz`, on four stores at once (each its own writer)."""
    from concurrent.futures import ThreadPoolExecutor

    stores = []
    for n in range(4):
        folder = tmp_path / f"crash-{n}" / "home"
        shutil.copytree(home.parent, folder, ignore=shutil.ignore_patterns("*.lock"))
        stores.append(folder / "facts.json")
    with ThreadPoolExecutor(len(stores)) as pool:
        results = list(pool.map(_kill_writers, stores, range(len(stores)), [50] * len(stores)))
    unchanged = sum(r[0] for r in results)
    committed = sum(r[1] for r in results)
    assert unchanged + committed == 200
    assert unchanged >= 20 and committed >= 20, results  # kills before and after the commit
    for store in stores:
        assert errors(store) == []
        done = dz("add", "stat", "--metric", "gdp", "--period", "2021-Q1", "--value", "317.19",
                  "--unit", "亿元", "--source", "dezhou-etdz-2022", "--quote", QUOTE_2021,
                  "--db", str(store))  # fmt: skip
        assert done.returncode == 0, done.stderr
        left = [p.name for p in store.parent.iterdir() if p.name.endswith(".dz-tmp")]
        assert left == []  # the next writer removed what killed ones left


def _run(*args: str) -> Any:
    from typer.testing import CliRunner

    from dzcli.cli import app

    return CliRunner().invoke(app, list(args))


def test_a_source_without_date_authors_or_english_title_has_them_null_or_repeated(
    home: Path,
) -> None:
    done = _run("source", "add", "bulletin.txt", "--id", "bulletin-2023", "--title-zh", "统计公报")
    assert done.exit_code == 0, done.output
    record = json.loads(_run("show", "bulletin-2023", "--json").stdout)[0]
    assert (record["year"], record["date"], record["authors"]) == (None, None, None)
    assert record["name_en"] == "统计公报"
    assert errors(home) == []
    bad = _run(
        "source", "add", "bulletin.txt", "--id", "b2", "--title-zh", "x", "--date", "2024-13"
    )
    assert bad.exit_code == 2 and "--date: '2024-13' is not YYYY" in bad.stderr


def test_search_leaves_the_log_out_and_show_finds_an_entry(home: Path) -> None:
    assert _run("retract", "gdp@2021", "--reason", "a reason nobody else writes").exit_code == 0
    entry = json.loads(_run("show", "log:1", "--json").stdout)[0]
    assert (entry["type"], entry["retracted"]) == ("change", ["gdp@2021"])
    found = json.loads(_run("search", "gdp@2021", "--json").stdout)
    assert ("stat", "gdp@2021") in {(r["type"], r["id"]) for r in found}
    assert "change" not in {r["type"] for r in found}  # the entry names gdp@2021 twice
    log = json.loads(_run("log", "--json").stdout)
    assert [e["id"] for e in log] == ["log:1"]


def test_a_data_package_is_imported_into_the_store_in_one_logged_write(
    home: Path, tmp_path: Path
) -> None:
    from dzcli.export import datapackage

    assert _run("export", "datapackage", str(tmp_path / "pkg"), "--db", str(home)).exit_code == 0
    unchanged = _run("import", str(tmp_path / "pkg"))
    assert unchanged.exit_code == 0, unchanged.output
    assert unchanged.stdout.startswith("added 0, updated 0, unchanged ")
    data = datapackage.read(tmp_path / "pkg")
    stat = next(r for r in data["stats"].values() if r["id"] == "gdp@2021")
    stat["note"] = "checked against the 2021 bulletin"
    (tmp_path / "pkg2").mkdir()
    target = tmp_path / "changed.json"
    target.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert (
        _run("export", "datapackage", str(tmp_path / "pkg2" / "p"), "--db", str(target)).exit_code
        == 0
    )
    done = _run("import", str(tmp_path / "pkg2" / "p"), "--dry-run")
    lines = done.stdout.splitlines()
    assert lines[0] == "would update gdp@2021", done.output
    assert lines[1].startswith("would add 0, would update 1, unchanged "), done.output
    done = _run("import", str(tmp_path / "pkg2" / "p"))
    assert done.stdout.startswith("added 0, updated 1, unchanged "), done.output
    entry = json.loads(_run("log", "--json").stdout)[-1]
    assert entry["changed"] == ["gdp@2021"]
    assert json.loads(entry["previous"][0]["record"])["note"] != stat["note"]
    assert errors(home) == []
    refused = _run("import", str(tmp_path / "pkg"), "--table", "stats")
    assert refused.exit_code == 2


def _claims_session(home: Path) -> list[bytes]:
    """The store's bytes after each step of registering, adding, corroborating, refusing,
    keeping, retracting and preferring claims, in process."""
    steps: list[bytes] = []
    (home.parent.parent / "paper.txt").write_text("日报\n生产总值340.1亿元。后经修订为341亿元。\n")
    (home.parent.parent / "revision.txt").write_text("修订\n修订为341亿元。\n")
    base = ["add", "stat", "--metric", "gdp", "--period", "2023", "--unit", "亿元"]
    other_metric = [*base[:3], "nogdp", *base[4:]]
    year_before = [*base[:5], "2022", *base[6:]]
    for args, code in [
        (["source", "add", "bulletin.txt", "--id", "bulletin-2023", "--title-zh", "统计公报"], 0),
        (list(ADD_GDP), 0),
        (["source", "add", "paper.txt", "--id", "paper", "--title-zh", "日报"], 0),
        ([*base, "--source", "paper", "--value", "340.1", "--quote", "生产总值340.1亿元"], 0),
        ([*base, "--source", "paper", "--value", "9", "--quote", "生产总值340.1亿元"], 1),
        (
            [
                *other_metric,
                "--source",
                "paper",
                "--value",
                "340.1",
                "--quote",
                "生产总值340.1亿元",
            ],
            1,
        ),
        # 2023's growth would not hold after 341 in 2022:
        ([*year_before, "--source", "paper", "--value", "341", "--quote", "修订为341亿元"], 1),
        (["source", "add", "revision.txt", "--id", "revision", "--title-zh", "修订"], 0),
        (
            [
                *base,
                "--source",
                "revision",
                "--value",
                "341",
                "--quote",
                "修订为341亿元",
                "--prefer",
            ],
            0,
        ),
        (["retract", "gdp@2023#paper", "--reason", "superseded"], 0),
        (["prefer", "gdp@2023"], 0),
    ]:
        before = home.read_bytes()
        done = _run(*args)
        assert done.exit_code == code, (args, done.output)
        after = home.read_bytes()
        assert after == storage_module.dump(json.loads(after))  # the one form
        if code:
            assert after == before
        steps.append(after)
    return steps


def test_a_big_store_is_checked_as_the_whole_store_would_be(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a big store a write checks the records its change can be joined to, not the whole
    store (the threshold set to 0 here, so that this small store is checked that way): the
    store after every step, and every refusal, are those of the whole-store path."""
    from dzcli.writes import validation

    twin = home.parent.with_name("twin")
    shutil.copytree(home.parent, twin)
    whole = _claims_session(home)
    assert errors(home) == []
    monkeypatch.setattr(validation, "WHOLE_TABLE", 0)
    monkeypatch.setenv("DZ_HOME", str(twin))
    narrowed = _claims_session(twin / home.name)
    assert [_without_times(s) for s in narrowed] == [_without_times(s) for s in whole]


def _without_times(store: bytes) -> Any:
    data = json.loads(store)
    for entry in data["log"].values():
        entry.pop("time")
    return data
