"""What `dz check` reports: problems, their severity and family, and how many it prints."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from dzcli.model.text import visible as printable  # the one escaper


class Family(StrEnum):
    """The kind of fault a rule finds; each report line names it."""

    schema = "schema"
    reference = "reference"
    provenance = "provenance"
    arithmetic = "arithmetic"
    plausibility = "plausibility"
    consistency = "consistency"
    claims = "claims"


class Severity(StrEnum):
    error = "error"
    warning = "warning"


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
        """The problem as `dz check --json` gives it (schemas/check.schema.json): its text as
        it is, unescaped (JSON escapes what it must)."""
        return {
            "table": self.table,
            "record_id": self.record_id,
            "severity": str(self.severity),
            "family": str(self.family),
            "rule": self.rule,
            "message": self.message,
        }


class Report(NamedTuple):
    """The problems of a store, and what was looked at to find them."""

    problems: list[Problem]
    records: int
    figures: int
    texts: int  # source texts read (none without a sources directory)
    quotes_found: int  # quotes found in their source text

    @property
    def errors(self) -> int:
        return sum(problem.severity is Severity.error for problem in self.problems)


SHOWN_PER_RULE = 100
"""`dz check` prints the first this many problems each rule finds, then how many more: a store
with a fault repeated in a million records says so in a few lines, in little memory."""


class Flood:
    """Problems as `dz check` prints them: each rule's first `per_rule`, then, at the end, one
    line per rule saying how many more it found. Counts every problem, holds none."""

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
        """How many problems each rule found beyond those it printed (rules that printed all
        are not named)."""
        if self.per_rule is None:
            return {}
        return {
            rule: found - self.per_rule
            for rule, found in self._found.items()
            if found > self.per_rule
        }
