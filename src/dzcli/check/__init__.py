"""`dz check`: audit a whole store and report every problem, not just the first.

The validator (`dzcli.model.validate`) runs first, then every rule of `rules.RULES` over the
store as `view.StoreView` shows it; problems are yielded as they are found. Pure data: no Typer,
no Rich.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from dzcli.check.rules import RULES as RULES
from dzcli.check.rules import Family as Family
from dzcli.check.rules import Severity as Severity
from dzcli.check.view import StoreView
from dzcli.model import validate
from dzcli.model.text import visible as printable  # the one escaper

if TYPE_CHECKING:
    from dzcli.check.proof import WellTyped
    from dzcli.check.reading import DuplicateKey


# Named tuples, not frozen dataclasses: a dataclass compiles its methods as it is defined (a
# write pays for that at start-up), and a flood of problems is a million of them.
class Problem(NamedTuple):
    record_id: str  # the record's id, "#<document number>" if it has none, "" for a whole table
    table: str  # "" for the store as a whole
    family: Family
    message: str
    severity: Severity = Severity.error
    rule: str = ""  # the name of the rule that found it (`dzcli.check.rules.RULES`, "validator")

    def line(self) -> str:
        """One line for people and grep: `table id: severity: family: message`."""
        where = " ".join(part for part in (self.table, self.record_id) if part) or "store"
        return printable(f"{where}: {self.severity}: {self.family}: {self.message}")

    def as_json(self) -> dict[str, str]:
        """The problem as `dz check --json` gives it (schemas/check.schema.json), unescaped."""
        return {field: str(getattr(self, field)) for field in _JSON_FIELDS}


_JSON_FIELDS = ("table", "record_id", "severity", "family", "rule", "message")


class Report(NamedTuple):
    """The problems of a store, and how many quotes were found in their source texts."""

    problems: list[Problem]
    quotes_found: int

    @property
    def errors(self) -> int:
        return sum(problem.severity is Severity.error for problem in self.problems)


SHOWN_PER_RULE = 100
"""`dz check` prints the first this many problems each rule finds, then how many more: a store
with a fault repeated in a million records says so in a few lines, in little memory."""


class Flood:
    """Each rule's first `per_rule` problems, then a line per rule of how many more it found.
    Counts every problem, holds none."""

    def __init__(self, per_rule: int | None = SHOWN_PER_RULE) -> None:
        self.per_rule = per_rule  # None: every one
        self.errors = self.warnings = 0
        self._found: dict[str, int] = {}  # rule → problems found

    def admit(self, problem: Problem) -> bool:
        """Count `problem`; whether to print it."""
        if problem.severity is Severity.error:
            self.errors += 1
        else:
            self.warnings += 1
        found = self._found[problem.rule] = self._found.get(problem.rule, 0) + 1
        return self.per_rule is None or found <= self.per_rule

    def left_out(self) -> list[str]:
        """A line for each rule that found more than it printed."""
        return [
            f"… {count:,} more problems found by {rule} (the first "
            f"{self.per_rule} are above; dz check --all shows every one)"
            for rule, count in self.counts_left_out().items()
        ]

    def counts_left_out(self) -> dict[str, int]:
        """How many problems each rule found beyond those it printed, if any."""
        if self.per_rule is None:
            return {}
        return {rule: n - self.per_rule for rule, n in self._found.items() if n > self.per_rule}


VALIDATOR = "validator"  # the rule name of what `dzcli.model.validate` finds

# A missing or empty source is a gap in provenance, whatever its shape.
_SOURCE_FIELD = re.compile(r"(^|\.)source(\.quote|\.doc)?$")


class Audit:
    """One run of `dz check` over a parsed store; the summary's counts are complete once
    `problems()` is exhausted."""

    def __init__(
        self,
        data: object,
        sources_dir: Path | None = None,
        duplicate_keys: list[DuplicateKey] | None = None,
    ) -> None:
        from dzcli.check import proof  # msgspec: not for a write, which checks no Audit

        self.view = StoreView(data, sources_dir, duplicate_keys)
        self.quick = True  # prove records well typed in C first (`dzcli.check.proof`)
        self.well_typed: WellTyped = proof.well_typed

    def problems(self) -> Iterator[Problem]:
        # The rules build indexes of a quarter million entries and no cycles: the cyclic
        # collector would only walk them again and again (a tenth of the run).
        collecting = gc.isenabled()
        gc.disable()
        try:
            yield from self._problems()
        finally:
            if collecting:
                gc.enable()

    def _problems(self) -> Iterator[Problem]:
        view = self.view
        well_typed = self.well_typed if self.quick else None
        for misfit in validate.misfits(view.data, complete=True, well_typed=well_typed):
            family = Family.provenance if _SOURCE_FIELD.search(misfit.field) else Family.schema
            yield Problem(misfit.record_id, misfit.table, family, misfit.message, rule=VALIDATOR)
        # What was proven while parsing is no longer needed: its record ids are freed.
        from dzcli.check import proof

        self.well_typed = proof.well_typed
        if isinstance(view.data, dict):
            for rule in RULES:
                for table, record, message in rule.find(view):
                    label = view.label(record)
                    yield Problem(label, table, rule.family, message, rule.severity, rule.name)

    def summary_fields(self, errors: int, warnings: int) -> dict[str, int | bool]:
        """The summary as data (`dz check --json`)."""
        view = self.view
        return {
            "ok": not errors,
            "errors": errors,
            "warnings": warnings,
            "records": view.record_count,
            "figures": view.figure_count,
            "source_texts": len(view.source_texts),
            "quotes_found": view.quotes_found,
        }

    def summary(self, errors: int, warnings: int) -> str:
        """The last line of `dz check`: the verdict and the counts behind it."""
        view, texts = self.view, len(self.view.source_texts)
        verdict = "failed" if errors else "ok"
        line = f"{verdict}: {view.record_count} records and {view.figure_count} figures"
        line += f", {_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
        if texts:
            quotes = _plural(view.quotes_found, "quote")
            line += f"; {quotes} found in {_plural(texts, 'source text')}"
        return line


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def report(data: object, sources_dir: Path | None = None) -> Report:
    """Every problem in a parsed store, with the counts for a summary."""
    run = Audit(data, sources_dir)
    problems = list(run.problems())
    return Report(problems, run.view.quotes_found)


def audit(data: object, sources_dir: Path | None = None) -> list[Problem]:
    """Every problem in a parsed store; with `sources_dir`, quotes are looked up there too."""
    return report(data, sources_dir).problems


def open_file(path: Path, sources_dir: Path | None = None) -> Audit:
    """An audit of the store file at `path`, its problems not yet looked for (`dz check`
    prints them as they are found). StoreError if the file cannot be read or parsed."""
    from dzcli.check.reading import read_store

    data, duplicate_keys, well_typed = read_store(path)
    # The store is kept for the whole run and holds no cycles: the cyclic collector would walk
    # every record of it again and again, seconds for a big store.
    gc.freeze()
    run = Audit(data, sources_dir, duplicate_keys)
    run.well_typed = well_typed
    return run
