"""The SQLite index every read asks (`dzcli.read`): one answer whichever way a store is indexed,
kept only while it is the store's, and never trusted half built."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import installed_dz, many_metrics, shipped
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dzcli.cli import app
from dzcli.model.matching import fold
from dzcli.read import cache, index, search_text

runner = CliRunner()

# Every listing, and search and show, with arguments that give them rows.
QUESTIONS = [
    ["stats", "2021"],
    ["stats", "2022"],
    ["stats", "2021", "--all-claims"],
    ["growth"],
    ["growth", "--all-claims"],
    ["targets"],
    ["parks"],
    ["projects"],
    ["enterprises"],
    ["events"],
    ["people"],
    ["statements"],
    ["relations"],
    ["sources"],
    ["log"],
    ["search", "德州"],
    ["search", "gdp 2021"],
    ["search", "Qorvo", "--in", "names"],
    ["show", "gdp@2021", "威讯", "derived:goods_trade@2020"],
]


def answers(store: Path, env: dict[str, str] | None = None) -> list[tuple[int, str]]:
    """What every question answers of `store`: exit code and JSON."""
    found = []
    for question in QUESTIONS:
        result = runner.invoke(app, [*question, "--json", "--db", str(store)], env=env)
        found.append((result.exit_code, result.stdout))
    return found


def cached(folder: Path) -> list[Path]:
    index_folder = folder / "dz" / "index"
    return sorted(index_folder.iterdir()) if index_folder.is_dir() else []


@pytest.fixture
def big(tmp_path: Path) -> Path:
    """A store big enough to have its index kept in the cache and checked in C."""
    path = tmp_path / "big.json"
    path.write_text(json.dumps(many_metrics(60), ensure_ascii=False, indent=2), encoding="utf-8")
    assert path.stat().st_size >= max(cache.CACHED_FROM_BYTES, index.VOUCHED_FROM_BYTES)
    return path


def test_a_big_store_is_indexed_once_in_the_cache_and_answers_as_one_indexed_in_memory(
    big: Path, private_home: Path
) -> None:
    first = answers(big)
    kept = cached(private_home / ".cache")
    # The index, and the parts that `dz search` and `dz growth` made at their first question.
    assert [path.name.split(".", 1)[1] for path in kept] == [
        "dz-index",
        "growth.dz-index",
        "search.dz-index",
    ]
    built = [path.stat().st_mtime_ns for path in kept]
    assert answers(big) == first  # from the index kept
    assert [path.stat().st_mtime_ns for path in kept] == built  # none built again
    assert answers(big, env={"DZ_NO_CACHE": "1"}) == first  # indexed in memory, alone
    assert cached(private_home / ".cache") == kept
    assert all(code == 0 for code, _ in first)


def test_a_small_store_is_indexed_in_memory(private_home: Path) -> None:
    assert runner.invoke(app, ["stats", "2021", "--json"]).exit_code == 0
    assert cached(private_home / ".cache") == []


def test_no_cache_folder_that_takes_a_file_only_means_an_index_in_memory(
    big: Path, private_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = answers(big, env={"DZ_NO_CACHE": "1"})
    blocked = private_home / "blocked"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert answers(big) == expected


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda text: text.replace('"value": 317.19', '"value": 318.19'), id="a-value"),
        pytest.param(lambda text: json.dumps(json.loads(text)), id="reformatted"),
        pytest.param(
            lambda text: text.replace('"value": 317.19', '"value":  317.1'), id="same-size"
        ),
    ],
)
def test_a_store_edited_by_hand_is_read_right_at_once(big: Path, edit: Any) -> None:
    """However quickly after the index is built, and even keeping the file's size."""
    runner.invoke(app, ["stats", "2021", "--json", "--db", str(big)])
    text = big.read_text(encoding="utf-8")
    edited = edit(text)
    assert edited != text
    big.write_text(edited, encoding="utf-8")
    result = runner.invoke(app, ["stats", "2021", "--metric", "gdp", "--json", "--db", str(big)])
    assert [row["value"] for row in json.loads(result.stdout)] == [
        row["value"] for row in json.loads(edited)["stats"].values() if row["id"] == "gdp@2021"
    ]


def test_an_index_of_a_file_changed_long_ago_is_trusted_by_its_times_alone(
    big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "RACY_SECONDS", -3600)  # as if built an hour after the change
    runner.invoke(app, ["stats", "--db", str(big)])
    hashed: list[Path] = []
    monkeypatch.setattr(cache, "_sha256_of", lambda path: hashed.append(path))
    assert runner.invoke(app, ["stats", "--db", str(big), "--json"]).exit_code == 0
    assert hashed == []


def test_an_index_is_built_again_for_another_version_of_the_code(
    big: Path, private_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner.invoke(app, ["stats", "--db", str(big)])
    (kept,) = cached(private_home / ".cache")
    built = kept.stat().st_mtime_ns
    monkeypatch.setattr(cache, "_CODE", ["another dz"])
    runner.invoke(app, ["stats", "--db", str(big)])
    assert kept.stat().st_mtime_ns != built


def test_a_build_that_fails_leaves_nothing_a_later_read_trusts(
    big: Path, private_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = index.build

    def interrupted(*args: Any) -> None:
        real(*args)
        raise KeyboardInterrupt  # after the rows are in, before the index is put in place

    monkeypatch.setattr(index, "build", interrupted)
    assert runner.invoke(app, ["stats", "--db", str(big)]).exit_code == 130
    assert list((private_home / ".cache" / "dz" / "index").iterdir()) == []
    monkeypatch.setattr(index, "build", real)
    assert answers(big) == answers(big, env={"DZ_NO_CACHE": "1"})


def test_the_parts_of_the_index_of_a_store_before_a_change_are_not_trusted(
    big: Path, private_home: Path
) -> None:
    answers(big)  # the index and its parts, kept
    data = json.loads(big.read_text(encoding="utf-8"))
    for stat in data["stats"].values():
        if stat["id"] == "gdp@2021":
            stat.update(value=318.19, note="德州 revised by hand")
    big.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    assert answers(big) == answers(big, env={"DZ_NO_CACHE": "1"})


@pytest.mark.parametrize("part", ["growth", "search"])
def test_a_part_whose_build_fails_leaves_nothing_a_later_read_trusts(
    big: Path, private_home: Path, monkeypatch: pytest.MonkeyPatch, part: str
) -> None:
    runner.invoke(app, ["stats", "--db", str(big)])  # the index, kept
    real = cache.Indexed.part

    def interrupted(self: cache.Indexed, name: str, fill: cache.Fill) -> None:
        def then_interrupted(db: Any, schema: str) -> None:
            fill(db, schema)
            raise KeyboardInterrupt  # after the rows are in, before the part is put in place

        real(self, name, then_interrupted if name == part else fill)

    monkeypatch.setattr(cache.Indexed, "part", interrupted)
    question = ["growth"] if part == "growth" else ["search", "德州"]
    assert runner.invoke(app, [*question, "--db", str(big)]).exit_code == 130
    assert [path.name.split(".", 1)[1] for path in cached(private_home / ".cache")] == ["dz-index"]
    monkeypatch.setattr(cache.Indexed, "part", real)
    assert answers(big) == answers(big, env={"DZ_NO_CACHE": "1"})


@pytest.mark.slow  # starts the installed dz, and kills it
def test_a_reader_killed_while_it_builds_leaves_nothing_a_later_read_trusts(
    tmp_path: Path, private_home: Path
) -> None:
    store = tmp_path / "facts.json"
    store.write_text(json.dumps(many_metrics(400), ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(private_home / ".cache")}
    argv = [installed_dz(), "stats", "2021", "--json", "--db", str(store)]
    reader = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    folder = private_home / ".cache" / "dz" / "index"
    deadline = time.monotonic() + 30
    while not (folder.is_dir() and any(folder.iterdir())) and time.monotonic() < deadline:
        time.sleep(0.005)
    reader.send_signal(signal.SIGKILL)
    reader.wait()
    left = list(folder.iterdir())
    assert all(path.name.endswith(".tmp") for path in left), left  # killed before it finished
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    alone = subprocess.run(
        argv, env={**env, "DZ_NO_CACHE": "1"}, capture_output=True, text=True, check=True
    )
    assert done.stdout == alone.stdout
    assert [p for p in folder.iterdir() if not p.name.endswith(".tmp")]


@pytest.mark.slow  # several processes
def test_two_readers_building_at_once_each_answer_right(tmp_path: Path, private_home: Path) -> None:
    store = tmp_path / "facts.json"
    store.write_text(json.dumps(many_metrics(200), ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(private_home / ".cache")}
    argv = [installed_dz(), "growth", "--json", "--db", str(store)]
    readers = [subprocess.Popen(argv, env=env, stdout=subprocess.PIPE) for _ in range(3)]
    outputs = [reader.communicate()[0] for reader in readers]
    alone = subprocess.run(argv, env={**env, "DZ_NO_CACHE": "1"}, capture_output=True, check=True)
    assert outputs == [alone.stdout] * 3


# --- one answer, whether the records were checked in C or by the validator ----------------


def test_the_shipped_store_answers_alike_checked_in_c_or_by_the_validator(
    facts_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_the_validator = answers(facts_db)
    monkeypatch.setattr(index, "VOUCHED_FROM_BYTES", 0)
    assert answers(facts_db) == by_the_validator


_FULL_WIDTH_YEAR = "\uff12\uff10\uff12\uff11"  # 2021 in full-width digits: not a period
_texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
_changes = st.lists(
    st.tuples(
        st.sampled_from(["stats", "targets", "parks", "projects", "enterprises", "metrics"]),
        st.integers(min_value=0, max_value=20),
        st.sampled_from(["note", "note_zh", "value", "claim_rank", "name_en", "aliases", "period"]),
        st.one_of(
            _texts,
            st.none(),
            st.integers(min_value=-(10**20), max_value=10**20),
            st.floats(allow_nan=False, allow_infinity=False),
            st.lists(_texts, max_size=2),
            st.sampled_from(["preferred", "deprecated", "2021", "2020-Q3", _FULL_WIDTH_YEAR]),
        ),
    ),
    max_size=4,
)


@pytest.mark.slow  # a Hypothesis search
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=_changes)
def test_any_store_answers_alike_checked_in_c_or_by_the_validator(
    tmp_path_factory: pytest.TempPathFactory, changes: list[tuple[str, int, str, Any]]
) -> None:
    """Stores the structs vouch for, and stores they leave to the validator (a value of
    another type, a field of another kind), answer every question alike either way."""
    data = shipped()
    for table, at, field, value in changes:
        records = list(data[table].values())
        if records:
            records[at % len(records)][field] = value
    store = tmp_path_factory.mktemp("any") / "facts.json"
    store.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    by_the_validator = answers(store)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index, "VOUCHED_FROM_BYTES", 0)
        assert answers(store) == by_the_validator


@pytest.mark.slow  # starts a Python process
def test_a_listing_imports_neither_tinydb_nor_rich_for_json() -> None:
    code = (
        "import sys; sys.argv = ['dz', 'stats', '2021', '--json']\n"
        "from dzcli.cli import main\n"
        "try: main()\n"
        "except SystemExit: pass\n"
        "assert not {'tinydb', 'rich'} & set(sys.modules), sorted(sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


# --- a big store's rows folded character by character, as a search folds them --------------

_TRICKY = st.sampled_from(
    [
        "，",
        "（",
        "Ⅻ",
        "ﬁ",
        "İ",
        "ß",
        "Σ",
        "e\u0301",
        "\u0301",
        "ㄱ",
        "ㅏ",
        "\u1100",
        "\u1161",
        "\u11a8",
        "가",
        "ﾡ",
        "\uffa0",
        "①",
        "㎡",
        "\u0ccc",
        "\u0cd5",
        "\U0001d400",
        "😀",
        "\u212b",
        "\u1e9b\u0323",
        "ﷺ",
        "\u0b47\u0b3e",
        "\u1100\u1161",
        "가\u11a8",
        "ㄱㅏ",
        "\uffa1\uffc2",
        "a\u0308",
    ]
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(_TRICKY, st.text(st.characters(exclude_categories=("Cs",)), max_size=4)),
        max_size=12,
    )
)
def test_a_big_stores_texts_are_folded_as_a_search_folds_them(parts: list[str]) -> None:
    text = "\x1f".join(parts)  # texts of a record, as the search part joins them
    assert search_text.folded(text, many=True) == search_text.folded(text) == fold(text)
