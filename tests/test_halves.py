"""A big output made in two halves at once gives the bytes made in one go, whatever happens to
the process that makes the second half."""

from __future__ import annotations

import copy
import importlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import record_of, shipped
from test_growth import _big_store_with
from typer.testing import CliRunner

from dzcli import check, halves, queries
from dzcli.check.problems import Family
from dzcli.cli import app
from dzcli.store import default_store_path, open_store

FIRST = [b"one", memoryview(b"two"), b""]
SECOND = [b"three", b"x" * 100_000, b"four"]


def test_the_halves_come_in_order() -> None:
    assert b"".join(halves.in_two(iter(FIRST), lambda: iter(SECOND))) == b"".join(FIRST + SECOND)


def test_without_fork_the_second_half_is_made_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "fork")
    assert b"".join(halves.in_two(iter(FIRST), lambda: iter(SECOND))) == b"".join(FIRST + SECOND)


def test_without_a_temporary_file_the_second_half_is_made_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise FileNotFoundError("no usable temporary directory")

    monkeypatch.setattr(halves.tempfile, "TemporaryFile", refuse)
    assert b"".join(halves.in_two(iter(FIRST), lambda: iter(SECOND))) == b"".join(FIRST + SECOND)


def test_a_copy_that_fails_leaves_the_second_half_to_this_process() -> None:
    here = os.getpid()

    def second() -> Iterator[bytes]:
        yield b"three"
        if os.getpid() != here:
            raise RuntimeError("the copy fails halfway")
        yield b"four"

    assert b"".join(halves.in_two(iter([b"one"]), second)) == b"onethreefour"


@pytest.mark.parametrize("form", ["json", "jsonl"])
def test_growth_made_in_halves_is_growth_made_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    store = _big_store_with(tmp_path)
    rows = queries.growth_rows(open_store(store))
    if form == "json":
        expected = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    else:
        expected = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    monkeypatch.setattr(queries, "SPLIT_FROM", 0)
    split = queries.each_growth_row(open_store(store)).halves()
    assert split is not None and all(list(half) for half in split)  # neither half is empty
    result = CliRunner().invoke(app, ["growth", "--db", str(store), "--format", form])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == expected


def test_check_with_its_later_rules_elsewhere_reports_as_in_one_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Problems found by rules on both sides of the split, in the same order, and the same
    counts of texts read and quotes found."""
    data = shipped()
    gdp = record_of(data, "stats", "gdp@2021")
    gdp["base_value"] = gdp["base_value"] + 1  # arithmetic: a rule run elsewhere
    gdp["source"] = {**gdp["source"], "quote": "不在报告里的一句话"}  # provenance: run here
    sources = default_store_path().parent / "sources"
    whole = check.report(data, sources)
    # dzcli.check.audit, the module (the package names a function audit too)
    monkeypatch.setattr(importlib.import_module("dzcli.check.audit"), "SPLIT_FROM", 0)
    split = check.report(copy.deepcopy(data), sources)
    families = {problem.family for problem in split.problems}
    assert {Family.arithmetic, Family.provenance} <= families
    assert split.problems == whole.problems
    assert split.summary() == whole.summary()
    assert split.texts and split.quotes_found
