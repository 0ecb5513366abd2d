"""`dz check`'s quick proof of a record's types never changes what it reports."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_check import field_names, json_values

from dzcli import check
from dzcli.check import proof
from dzcli.model.fieldtypes import FieldType
from dzcli.model.kinds import BY_TABLE, KINDS
from dzcli.read import default_store_path


def _empty(kind: FieldType) -> Any:
    if kind.optional:
        return None
    if kind.items is not None:
        return []
    if kind.choices:
        return kind.choices[0]
    return False


def _complete(record: dict[str, Any], fields: Any) -> None:
    """Every field the registry asks for, as the shipped data may predate some."""
    for field, kind in fields.items():
        if field not in record:
            record[field] = _empty(kind)
        elif kind.fields is not None and isinstance(record[field], dict):
            _complete(record[field], kind.fields)
        elif kind.items is not None and kind.items.fields is not None:
            for item in record[field]:
                _complete(item, kind.items.fields)


def complete_store() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(default_store_path().read_text(encoding="utf-8"))
    for kind in KINDS:
        for record in data[kind.table].values():
            _complete(record, kind.fields)
    return data


COMPLETE = complete_store()


def lines(data: Any, quick: bool) -> list[str]:
    run = check.Audit(data)
    run.quick = quick
    return [problem.line() for problem in run.problems()]


def test_the_proof_holds_for_the_records_of_a_complete_store() -> None:
    """Else the equality below would hold because the proof is never used."""
    proven = [
        proof.well_typed(BY_TABLE[table], record)
        for table in ("stats", "metrics", "targets", "sources")
        for record in COMPLETE[table].values()
    ]
    assert proven and all(proven)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=st.sampled_from(["stats", "metrics", "targets", "sources"]),
    index=st.integers(min_value=0, max_value=20),
    changes=st.dictionaries(field_names | st.text(max_size=3), json_values, max_size=3),
    dropped=st.lists(field_names, max_size=2),
)
@example(table="stats", index=0, changes={"note": " "}, dropped=[])
@example(table="stats", index=0, changes={"unit": " "}, dropped=[])
@example(table="stats", index=0, changes={"id": "\u3000"}, dropped=[])
@example(table="stats", index=0, changes={"source": {"doc": "d", "quote": "\u2028 "}}, dropped=[])
@example(
    table="stats",
    index=0,
    changes={"quotes": [{"doc": "d", "quote": "q", "supports": "\t"}]},
    dropped=[],
)
@example(table="stats", index=0, changes={"value": float("nan")}, dropped=[])
@example(table="stats", index=0, changes={"note": "\ud800"}, dropped=[])
@example(table="stats", index=0, changes={"\ud800": 1}, dropped=[])
@example(table="stats", index=0, changes={"period": "2021-Q5"}, dropped=[])
@example(table="stats", index=0, changes={"rank": 10**30}, dropped=[])
@example(table="stats", index=0, changes={}, dropped=["quotes"])
def test_the_report_is_the_validators_with_or_without_the_proof(
    table: str, index: int, changes: dict[str, Any], dropped: list[str]
) -> None:
    data = copy.deepcopy(COMPLETE)
    records = list(data[table].values())
    record = records[index % len(records)]
    record.update(changes)
    for field in dropped:
        record.pop(field, None)
    assert lines(data, quick=True) == lines(data, quick=False)


@given(
    where=st.sampled_from([("id",), ("unit",), ("source", "quote"), ("source", "doc")]),
    blank=st.text(alphabet=" \t\n\u3000\u00a0\u2028\x1c", min_size=1, max_size=3),
)
def test_a_text_of_whitespace_alone_is_never_proven(where: tuple[str, ...], blank: str) -> None:
    record = copy.deepcopy(next(iter(COMPLETE["stats"].values())))
    holder = record
    for field in where[:-1]:
        holder = holder[field]
    holder[where[-1]] = blank
    assert not proof.well_typed(BY_TABLE["stats"], record)
    holder[where[-1]] = blank + "x"
    assert proof.well_typed(BY_TABLE["stats"], record)
