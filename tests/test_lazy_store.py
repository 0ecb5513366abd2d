"""The big-store reader (msgspec) against the standard one (json, then the shape check).

`lazy_store.read` may decline any store, but a store it accepts must be one the standard reader
accepts too, read to the same records, periods and ids; and through `open_store` and every
command, a store read either way must give the same answers and the same errors.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from helpers import BAD_STORES, READERS, place, shipped
from helpers import CASES as CLI_CASES
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dzcli import lazy_store
from dzcli import store as store_module
from dzcli.cli import app
from dzcli.model import validate as shape
from dzcli.model.errors import StoreError
from dzcli.store import TABLES, default_store_path, open_store

runner = CliRunner()


@pytest.fixture
def lazy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read every store, however small, with lazy_store."""
    monkeypatch.setattr(store_module, "LAZY_BYTES", 0)


def standard(path: Path, raw: bytes) -> dict[str, list[dict[str, Any]]] | StoreError:
    """The standard reader's records, table by table in document-id order, or its refusal."""
    try:
        data = store_module._load(path, raw)
    except StoreError as error:
        return error
    return {table: [data[table][k] for k in sorted(data[table], key=int)] for table in TABLES}


def assert_same_as_standard(path: Path, raw: bytes) -> bool:
    """If lazy_store accepts `raw`, the standard reader accepts it and reads the same."""
    entries = lazy_store.read(raw)
    if entries is None:
        return False
    expected = standard(path, raw)
    assert not isinstance(expected, StoreError), (
        f"lazy_store accepted what json refuses: {expected}"
    )
    for table in TABLES:
        ordered = sorted(entries[table], key=lambda entry: int(entry[0]))
        records = [lazy_store.build(entry[3]) for entry in ordered]
        assert records == expected[table]
        assert [entry[1] for entry in ordered] == [r["id"] for r in expected[table]]
        assert [entry[2] for entry in ordered] == [r.get("period", "") for r in expected[table]]
        project = lazy_store.projection(PROJECTED)
        assert [project(entry[3]) for entry in ordered] == [
            tuple(r.get(field) for field in PROJECTED) for r in expected[table]
        ]
    return True


PROJECTED = ("id", "metric", "period", "value", "quotes", "claim_rank", "no_such_field")
"""Fields a projection reads (`Store.projected`): any, of any kind, or none."""


def test_every_rule_of_the_shape_is_checked_in_c() -> None:
    # A new kind of rule in dzcli.model.validate would silently send every store down the slow path.
    assert lazy_store.supported()


def test_shipped_store_is_read_alike(tmp_path: Path) -> None:
    raw = default_store_path().read_bytes()
    assert assert_same_as_standard(tmp_path / "facts.json", raw)


def test_store_object_answers_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "facts.json"
    path.write_bytes(default_store_path().read_bytes())
    slow = open_store(path)
    monkeypatch.setattr(store_module, "LAZY_BYTES", 0)
    fast = open_store(path)
    for table in TABLES:
        assert fast.records(table) == slow.records(table)
        assert fast.by_id(table) == slow.by_id(table)
        assert fast.periods(table) == slow.periods(table)
        first = sorted(slow.periods(table), key=str)[:1]
        keep = first.__contains__
        assert fast.records(table, period=keep) == slow.records(table, period=keep)
        picked = [tuple(r.get(field) for field in PROJECTED) for r in slow.records(table)]
        assert list(fast.projected(table, PROJECTED)) == picked
        assert list(slow.projected(table, PROJECTED)) == picked
    only = {"gdp"}
    assert list(fast.projected("stats", PROJECTED, metrics=only)) == [
        tuple(r.get(field) for field in PROJECTED) for r in slow.records("stats", metrics=only)
    ]
    assert fast.find("gdp@2021") == slow.find("gdp@2021")
    assert fast.db.table("stats").all() == slow.db.table("stats").all()


# Every command's JSON output, the store read either way.
COMMANDS = [
    ["stats", "2021"],
    ["stats", "2022-Q1"],
    ["stats"],
    ["growth"],
    ["targets"],
    ["parks"],
    ["projects", "--park", "高新产业园"],
    ["enterprises"],
    ["events"],
    ["show", "gdp@2021"],
    ["show", "hi-tech-park"],
    ["search", "威讯"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_commands_answer_alike(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    standard_run = runner.invoke(app, [*args, "--json"])
    monkeypatch.setattr(store_module, "LAZY_BYTES", 0)
    lazy_run = runner.invoke(app, [*args, "--json"])
    assert standard_run.exit_code == lazy_run.exit_code == 0
    assert lazy_run.stdout == standard_run.stdout


@pytest.mark.parametrize(
    ("setup", "reason"), [case[1:] for case in BAD_STORES], ids=[case[0] for case in BAD_STORES]
)
def test_bad_store_gives_the_same_message(
    lazy: None,
    tmp_path: Path,
    store_data: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    setup: Any,
    reason: str,
) -> None:
    path = tmp_path / "facts.json"
    setup(path, store_data, monkeypatch)
    with pytest.raises(StoreError) as excinfo:
        open_store(path)
    assert str(excinfo.value).startswith(f"cannot read store {path}: ")
    assert reason in str(excinfo.value)


@pytest.mark.parametrize(
    ("content", "reason"), [case[1:] for case in CLI_CASES], ids=[case[0] for case in CLI_CASES]
)
def test_malformed_store_is_refused_alike(
    lazy: None, tmp_path: Path, content: bytes | str, reason: str
) -> None:
    path = tmp_path / "facts.json"
    place(path, content)
    for argv in READERS[:2]:
        result = runner.invoke(app, [*argv, "--db", str(path)])
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr.startswith(f"dz: error: cannot read store {path}: {reason}")


def _with(table: str, index: int, **fields: Any) -> dict[str, Any]:
    data = shipped()
    record = list(data[table].values())[index]
    record.update(fields)
    return data


def _renumbered(doc_id: str) -> dict[str, Any]:
    data = shipped()
    first = next(iter(data["stats"]))
    data["stats"][doc_id] = data["stats"].pop(first)
    return data


# (name, store, whether the standard reader accepts it, whether lazy_store reads it): rules
# the C types cannot express alone, and what lazy_store leaves to the standard reader.
EDGES: list[tuple[str, dict[str, Any], bool, bool]] = [
    ("month-range-across-years", _with("stats", 0, period="2021-12/2022-02"), True, True),
    ("month-range-backwards", _with("stats", 0, period="2021-05/2021-03"), False, False),
    ("period-with-newline", _with("stats", 0, period="2021\n"), False, False),
    ("period-null", _with("stats", 0, period=None), False, False),
    ("date-that-exists", _with("events", 0, date="2020-02-29"), True, True),
    ("date-that-does-not", _with("events", 0, date="2021-02-29"), False, False),
    (
        "figure-period-backwards",
        _with("parks", 0, figures=[{"period": "2021-05/2021-03"}]),
        False,
        False,
    ),
    ("huge-integer", _with("stats", 0, value=10**400), True, True),
    ("whole-number-as-float", _with("stats", 0, rank=2.0), False, False),
    ("boolean-as-number", _with("stats", 0, value=True), False, False),
    ("unknown-field", _with("stats", 0, extra=1), True, False),
    ("document-id-of-18-digits", _renumbered("9" * 18), True, True),
    ("document-id-of-19-digits", _renumbered("9" * 19), False, False),
    ("unknown-table", {**shipped(), "_default": {}}, True, False),
]


@pytest.mark.parametrize(
    ("data", "accepted", "read_here"),
    [case[1:] for case in EDGES],
    ids=[case[0] for case in EDGES],
)
def test_rules_beyond_types(
    tmp_path: Path, data: dict[str, Any], accepted: bool, read_here: bool
) -> None:
    raw = json.dumps(data, ensure_ascii=False).encode()
    assert isinstance(standard(tmp_path / "facts.json", raw), StoreError) is not accepted
    assert assert_same_as_standard(tmp_path / "facts.json", raw) is read_here


def test_missing_period_reads_as_empty(tmp_path: Path) -> None:
    data = shipped()
    first = next(iter(data["stats"].values()))
    del first["period"]
    raw = json.dumps(data).encode()
    entries = lazy_store.read(raw)
    assert entries is not None
    assert sorted(entries["stats"], key=lambda e: int(e[0]))[0][2] == ""
    assert assert_same_as_standard(tmp_path / "facts.json", raw)


json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**63 - 2, max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.sampled_from(
        [
            "2021",
            "2021-Q4",
            "2021-01/2021-11",
            "2021-12/2021-01",
            "2021-13",
            "2021-02-29",
            "2020-02-29",
            "\ud800",
            "\x00",
            "",
            "٢٠٢١",
        ]
    )
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["doc", "quote", "value", "period", "x"]), children)
    ),
    max_leaves=8,
)
field_names = st.sampled_from(
    sorted({name for fields in shape.RECORD_FIELDS.values() for name in fields} | {"extra"})
)


@pytest.mark.slow  # a Hypothesis search
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=st.sampled_from([t for t in TABLES if t != "log"]),  # the shipped log is empty
    index=st.integers(min_value=0, max_value=5),
    changes=st.dictionaries(field_names, json_values, max_size=3),
    removed=st.lists(field_names, max_size=2),
    ascii_only=st.booleans(),
)
def test_anything_it_accepts_reads_as_json_reads_it(
    tmp_path_factory: pytest.TempPathFactory,
    table: str,
    index: int,
    changes: dict[str, Any],
    removed: list[str],
    ascii_only: bool,
) -> None:
    data = shipped()
    records = list(data[table].values())
    record = records[index % len(records)]
    record.update(changes)
    for name in removed:
        record.pop(name, None)
    raw = json.dumps(data, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    read = assert_same_as_standard(tmp_path_factory.mktemp("store") / "facts.json", raw)
    event(f"lazy_store read it: {read}")


@settings(max_examples=300, deadline=None)
@given(number=st.floats(allow_nan=False, allow_infinity=False) | st.integers())
def test_numbers_read_as_json_reads_them(number: float) -> None:
    body = json.dumps({"id": "x", "value": number}).encode()
    built = lazy_store.build(_raw(body))
    expected = json.loads(body)
    assert built == expected
    assert type(built["value"]) is type(expected["value"])
    if isinstance(number, float) and number == 0:
        assert math.copysign(1, built["value"]) == math.copysign(1, number)


def _raw(body: bytes) -> Any:
    """`body` as lazy_store keeps a record: a msgspec.Raw slice of the store's bytes."""
    entries = lazy_store._STORE.decode(b'{"t": {"1": ' + body + b"}}")
    return entries["t"]["1"]
