"""`dz growth` over a big store: rows built one at a time from a small index of the claims,
the same rows as an index of the whole records gives, a table cut and counted."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest
from helpers import many_metrics
from hypothesis import strategies as st
from typer.testing import CliRunner

from dzcli import queries
from dzcli.cli import app
from dzcli.cli.options import TABLE_ROWS
from dzcli.model.errors import LookupFailed
from dzcli.read import open_store

RANKS = st.sampled_from(["normal", "preferred", "deprecated", None])
CLAIM = st.fixed_dictionaries(
    {
        "metric": st.sampled_from(["gdp", "revenue"]),
        "period": st.sampled_from(["2020", "2021", "2021-Q1", "2020-Q1"]),
        "value": st.one_of(st.none(), st.integers(-5, 5), st.floats(-10, 10)),
        "claim_rank": RANKS,
    },
    optional={"base_value": st.integers(0, 50), "approx": st.booleans()},
)


def test_a_usage_error_comes_before_any_row(facts_db: Path) -> None:
    with pytest.raises(LookupFailed):
        queries.each_growth_row(open_store(facts_db), "no such metric at all")  # not iterated


def test_streamed_rows_are_the_listed_rows(facts_db: Path) -> None:
    store = open_store(facts_db)
    streamed = queries.each_growth_row(store, all_claims=True)
    assert not isinstance(streamed, list)
    assert [json.loads(msgspec.json.encode(row)) for row in streamed] == queries.growth_rows(
        store, all_claims=True
    )


def test_a_big_growth_table_is_cut_and_counts_the_rows_left_out(tmp_path: Path) -> None:
    store = tmp_path / "facts.json"
    store.write_text(json.dumps(many_metrics(20), ensure_ascii=False), encoding="utf-8")
    runner = CliRunner()
    every = json.loads(runner.invoke(app, ["growth", "--db", str(store), "--json"]).stdout)
    assert len(every) > TABLE_ROWS
    table = runner.invoke(app, ["growth", "--db", str(store), "--no-color", "--wide"])
    assert table.exit_code == 0
    assert f"dz: {len(every) - TABLE_ROWS:,} more rows not shown;" in table.stderr
    assert table.stdout.count("\n") < len(every)
