"""A store that passes `dz check` never breaks a command.

Hypothesis starts from the shipped store and changes a few values to valid but extreme ones:
numbers at the edges of a float (1e300, 5e-324, -0.0) and integers up to 10**30, ids and
texts thousands of characters long, fields left out, and Unicode that is easy to mishandle
(combining marks, right-to-left text, emoji sequences, zero-width characters, CJK). Each store
that `dz check` passes goes through every listing command in every output format, which must
end with exit 0 or 1 (never 70, the internal-error code; exit 1 with one `dz: error:` line),
never show a traceback, and print JSON that a strict parser accepts (no NaN or Infinity) and
whose rows keep dz's own schemas (`dz schema`).
"""

from __future__ import annotations

import copy
import json
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

import pytest
from helpers import shipped
from hypothesis import HealthCheck, Phase, event, example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from typer.testing import CliRunner

from dzcli import check
from dzcli.cli import app

pytestmark = pytest.mark.slow  # a Hypothesis search that runs dz 60 times per store

runner = CliRunner()
SHIPPED = shipped()
FORMATS = ["table", "md", "json", "jsonl", "csv", "tsv"]

# --- values: valid, and at the edges of what is valid ----------------------------------------

# Amounts at the edges of a float, and integers beyond one: what dz derives from them (a
# previous year's value, a target's progress) may overflow.
EDGE_AMOUNTS = [
    *(1e300, 1.7976931348623157e308, -1.7976931348623157e308, 10**30, -(10**30), 2**63),
    *(5e-324, -5e-324, 1e-300, -0.0, 0),
]
# Growth rates at and near -100 %, where the previous value is the value divided by almost 0.
EDGE_RATES = [-99.9999999, -100, -99.0, 1e300, 5e-324]

amounts = st.one_of(
    st.sampled_from(EDGE_AMOUNTS),
    st.sampled_from(EDGE_AMOUNTS),  # twice: edges more often than the searches below
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
)
rates = st.one_of(
    st.sampled_from(EDGE_RATES),
    st.sampled_from(EDGE_RATES),
    st.floats(min_value=-100, max_value=1e6),
)
extreme_numbers = amounts | rates

ODD_PIECES = [
    "e\u0301",  # e + combining acute
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",  # Arabic, right to left
    "\u05e2\u05d1\u05e8\u05d9\u05ea",  # Hebrew
    "\u202eevil\u202c",  # right-to-left override
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\ufeff",  # zero-width no-break space (BOM)
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # family: an emoji sequence
    "\U0001f1e8\U0001f1f3",  # flag: regional indicators
    "\U0001f600",
    "德州经济技术开发区",
    "\U00020000",  # CJK extension B, outside the BMP
    "\uff28\uff29",  # full-width HI
    "ﬁ",  # ligature: NFKC makes it "fi"
    "[bold]x[/bold]",
    "%s {0} \\n",
    " ",
]

odd_text = st.one_of(
    st.lists(st.sampled_from(ODD_PIECES), min_size=1, max_size=6).map("".join),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=20),
    st.builds(lambda piece, n: piece * n, st.sampled_from(ODD_PIECES), st.integers(500, 3000)),
)

long_ids = st.builds(
    lambda stem, n: stem * n, st.sampled_from(["a", "x-", "9", "长"]), st.integers(1000, 5000)
)

periods = st.sampled_from(
    ["0000", "0001", "1800", "1999", "2021", "2100", "9999", "2021-Q1", "2021-Q4", "0000-Q1",
     "2021-01/2021-12", "2021-01/2021-01", "0000-01/0000-12", "9999-12/9999-12"]
)  # fmt: skip

FREE_TEXT = {"name_zh", "name_en", "note", "quote", "role", "title", "authors", "aliases"}
# Names of fields of dz's own output, which a record may not hold (so `dz check` says).
OUTPUT_LIKE_FIELDS = ["type", "table", "kind", "field", "text", "match", "name", "label"]

# --- changes to a store --------------------------------------------------------------------

FieldPath = tuple[str | int, ...]
Store = dict[str, Any]


def leaves(value: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, Any]]:
    """Every (path, value) of a record's nested fields, lists and objects included."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))


def key_of(path: FieldPath) -> str:
    """The name of the field a path ends in (a list item is named by its list)."""
    names = [step for step in path if isinstance(step, str)]
    return names[-1] if names else ""


def at(record: dict[str, Any], path: FieldPath) -> Any:
    found: Any = record
    for step in path:
        found = found[step]
    return found


def put(record: dict[str, Any], path: FieldPath, value: Any) -> None:
    at(record, path[:-1])[path[-1]] = value


def rename(data: dict[str, Any], old: str, new: str) -> None:
    """Give a record a new id, and every reference to it, so the store stays consistent."""

    def renamed(value: Any) -> Any:
        if isinstance(value, str):
            if value == old:
                return new
            for prefix in ("", "target:"):  # stat and target ids embed their metric's
                if value.startswith(f"{prefix}{old}@"):
                    return prefix + new + value[len(prefix + old) :]
            return value
        if isinstance(value, list):
            return [renamed(item) for item in value]
        if isinstance(value, dict):
            return {key: renamed(item) for key, item in value.items()}
        return value

    for table in data:
        data[table] = renamed(data[table])


def _record(draw: st.DrawFn, data: Store) -> tuple[str, str, dict[str, Any]]:
    """Any record of the store: its table, document id and fields."""
    table = draw(st.sampled_from(sorted(t for t in data if data[t])))
    doc_id = draw(st.sampled_from(sorted(data[table])))
    return table, doc_id, data[table][doc_id]


def set_amount(amount: dict[str, Any], value: int | float) -> None:
    """A new value for an amount, with the base_value that `dz check` requires beside it
    (the value times its unit's scale, exactly), where the old pair shows the scale."""
    old_value, old_base = amount.get("value"), amount.get("base_value")
    amount["value"] = value
    if not old_value or not isinstance(old_base, int | float):
        return
    base = Decimal(repr(value)) * (Decimal(repr(old_base)) / Decimal(repr(old_value)))
    amount["base_value"] = int(base) if base == base.to_integral_value() else float(base)


Change = tuple[str, str]  # the id of what was changed, and the change in words


def shown(value: Any) -> str:
    """A value in a change's description: whole if short."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:40]}… ({len(text)} characters)"


def change_a_value(draw: st.DrawFn, data: Store) -> Change:
    """One number or text anywhere in a record, nested ones included, to an extreme."""
    table, _, record = _record(draw, data)
    numbers = [p for p, v in leaves(record) if type(v) in (int, float)]
    texts = [p for p, v in leaves(record) if isinstance(v, str) and key_of(p) in FREE_TEXT]
    if not numbers + texts:
        return record["id"], "nothing"
    path = draw(st.sampled_from(numbers + texts))
    if path in numbers and key_of(path) in ("value", "base_value"):
        path = (*path[:-1], "value")
        set_amount(at(record, path[:-1]), draw(extreme_numbers))
    else:
        put(record, path, draw(extreme_numbers if path in numbers else odd_text))
    where = ".".join(str(step) for step in path)
    return record["id"], f"{table} {shown(record['id'])}: {where} = {shown(at(record, path))}"


def change_a_period(draw: st.DrawFn, data: Store) -> Change:
    """A statistic's or a target's period, and its id (metric@period) with it."""
    table = draw(st.sampled_from(["stats", "targets"]))
    record = data[table][draw(st.sampled_from(sorted(data[table])))]
    old_id, record["period"] = record["id"], draw(periods)
    new_id = old_id.rpartition("@")[0] + "@" + record["period"]
    rename(data, old_id, new_id)
    return new_id, f"{table} {old_id}: period = {record['period']!r}, id = {new_id!r}"


def change_a_metric(draw: st.DrawFn, data: Store) -> Change:
    """One metric's statistics to one extreme value and rate, and its targets to another
    value, so that what dz derives from a value and a rate, or from a target and its actual,
    is extreme too."""
    metrics = {r.get("metric") for r in data["stats"].values()}
    metric = draw(st.sampled_from(sorted(m for m in metrics if isinstance(m, str))))
    actual, rate, target = draw(amounts), draw(rates), draw(amounts)
    for record in data["stats"].values():
        if record.get("metric") == metric:
            set_amount(record, actual)
            if type(record.get("yoy_pct")) in (int, float):
                record["yoy_pct"] = rate
    for record in data["targets"].values():
        if record.get("metric") == metric:
            set_amount(record, target)
    return metric, (
        f"metric {metric}: every stat's value = {actual!r} (yoy_pct = {rate!r} where it has "
        f"one), every target's value = {target!r}"
    )


def drop_a_field(draw: st.DrawFn, data: Store) -> Change:
    table, _, record = _record(draw, data)
    name = draw(st.sampled_from(sorted(set(record) - {"id"})))
    del record[name]
    return record["id"], f"{table} {shown(record['id'])}: no {name}"


def add_a_field(draw: st.DrawFn, data: Store) -> Change:
    """A field dz does not know, named like a field of dz's own output."""
    table, _, record = _record(draw, data)
    name = draw(st.sampled_from(OUTPUT_LIKE_FIELDS))
    record[name] = draw(st.sampled_from(["park", "stat", "event", "metric"]) | odd_text)
    return record["id"], f"{table} {shown(record['id'])}: {name} = {shown(record[name])}"


def rename_a_record(draw: st.DrawFn, data: Store) -> Change:
    """A long or odd id, given to every reference too."""
    table, _, record = _record(draw, data)
    old_id, new_id = record["id"], draw(long_ids | odd_text)
    rename(data, old_id, new_id)
    return new_id, f"{table} {old_id}: id = {shown(new_id)}"


def renumber_a_document(draw: st.DrawFn, data: Store) -> Change:
    """The document id (the key of a record in its table): big, or with leading zeros."""
    table, doc_id, record = _record(draw, data)
    new = draw(st.sampled_from(["0", "007", str(2**63), "9" * 5000]))
    if new not in data[table]:
        data[table] = {new if k == doc_id else k: v for k, v in data[table].items()}
    return record["id"], f"{table} {shown(record['id'])}: document id {doc_id} = {shown(new)}"


CHANGES = [  # values most often: few stores with a field dropped or added pass `dz check`
    change_a_value,
    change_a_value,
    change_a_period,
    change_a_metric,
    drop_a_field,
    add_a_field,
    rename_a_record,
    renumber_a_document,
]


# --- running dz ----------------------------------------------------------------------------


def refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def strict_json(text: str) -> Any:
    """`text` parsed as JSON, refusing the NaN, Infinity and -Infinity Python would accept."""
    return json.loads(text, parse_constant=refuse_constant)


def commands(case: Case) -> list[tuple[str, list[str]]]:
    """Every listing command, with the record kind of its JSON rows; an argument that may
    start with a dash comes after `--`."""
    return [
        ("stat", ["stats"]),
        ("stat", ["stats", "--metric", case.metric]),
        ("stat", ["growth"]),
        ("target", ["targets"]),
        ("park", ["parks"]),
        ("project", ["projects"]),
        ("enterprise", ["enterprises"]),
        ("event", ["events"]),
        ("record", ["show", "--", case.show_id]),
        ("match", ["search", "--", case.search_text]),
    ]


@cache
def schema(kind: str) -> Draft202012Validator:
    """The schema of a kind's rows as `dz schema` prints it."""
    result = runner.invoke(app, ["schema", kind])
    assert result.exit_code == 0, result.output
    return Draft202012Validator(json.loads(result.stdout))


def assert_ends_cleanly(kind: str, argv: list[str], fmt: str, store: Path) -> None:
    """Exit 0 with output that keeps the JSON contract, or exit 1 with one error line."""
    command, *rest = argv
    result = runner.invoke(app, [command, "--format", fmt, "--db", str(store), *rest])
    where = f"dz {' '.join(argv)[:200]} --format {fmt}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{where} raised {result.exception!r}") from result.exception
    assert result.exit_code in (0, 1), f"{where}: exit {result.exit_code}: {result.stderr[:500]}"
    assert "Traceback" not in result.stdout + result.stderr, where
    if result.exit_code == 1:
        assert result.stderr.startswith("dz: error: "), where
        assert result.stderr.count("\n") == 1, f"{where}: {result.stderr[:500]}"
        return
    if fmt not in ("json", "jsonl"):
        return
    try:
        if fmt == "json":
            rows = strict_json(result.stdout)
        else:
            rows = [strict_json(line) for line in result.stdout.splitlines()]
    except ValueError as error:  # invalid JSON, or NaN or Infinity in it
        raise AssertionError(f"{where}: not JSON: {error}") from error
    for row in rows:
        error = best_match(schema(kind).iter_errors(row))
        assert error is None, f"{where}: a row breaks the {kind} schema: {error}"


class Case:
    """A store to run dz on, and what to show, search for and list statistics of.

    Not a dataclass: Hypothesis would print every field of one, the whole store included,
    where a failing example needs only the changes that make it."""

    def __init__(
        self, data: Store, changes: list[str], show_id: str, search_text: str, metric: str
    ) -> None:
        self.data, self.changes = data, changes
        self.show_id, self.search_text, self.metric = show_id, search_text, metric

    def __repr__(self) -> str:  # the changes, not the whole store, when an example fails
        return (
            f"Case(changes={self.changes!r}, show_id={shown(self.show_id)}, "
            f"search_text={shown(self.search_text)}, metric={shown(self.metric)})"
        )


def metrics_of(data: Store, ids: list[str]) -> list[str]:
    """The metrics among `ids`, and those of the statistics and targets among them."""
    metrics = {r["id"] for r in data["metrics"].values()}
    found = {i for i in ids if i in metrics}
    for table in ("stats", "targets"):
        found |= {r.get("metric") for r in data[table].values() if r["id"] in ids} & metrics
    return sorted(found) or sorted(metrics)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """The shipped store with one metric's numbers changed and up to three other changes,
    and what to show, search for and list statistics of."""
    data = copy.deepcopy(SHIPPED)
    changes = [change_a_metric(draw, data)]
    changes += [draw(st.sampled_from(CHANGES))(draw, data) for _ in range(draw(st.integers(0, 3)))]
    touched = [touched_id for touched_id, _ in changes]
    show_id = draw(st.sampled_from(touched))
    texts = st.sampled_from(["德州", "e\u0301", "\uff28\uff29", show_id[:50]]) | odd_text
    return Case(
        data,
        [words for _, words in changes],
        show_id,
        draw(texts),
        draw(st.sampled_from(metrics_of(data, touched))),
    )


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    # No explain phase: after shrinking (itself up to 5 minutes when an example fails) it
    # would run dz on yet more stores; the changes printed already explain a failure.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
)
@example(Case(copy.deepcopy(SHIPPED), [], "gdp@2021", "德州", "gdp"))  # the shipped store itself
@given(cases())
def test_a_store_that_passes_check_breaks_no_command(case: Case) -> None:
    if check.report(case.data).errors:
        event("store refused by dz check")
        return
    event("store passed dz check")
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "facts.json"
        store.write_text(json.dumps(case.data, ensure_ascii=False), encoding="utf-8")
        for kind, argv in commands(case):
            for fmt in FORMATS:
                assert_ends_cleanly(kind, argv, fmt, store)
