"""What `dz check` reports: problems, their severity and family, and the summary line."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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


@dataclass(frozen=True)
class Problem:
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


@dataclass(frozen=True)
class Report:
    """The problems of a store, and what was looked at to find them."""

    problems: list[Problem]
    records: int
    figures: int
    texts: int  # source texts read (none without a sources directory)
    quotes_found: int  # quotes found in their source text

    @property
    def errors(self) -> int:
        return sum(problem.severity is Severity.error for problem in self.problems)

    def summary(self) -> str:
        """The last line of `dz check`: the verdict and the counts behind it."""
        warnings = len(self.problems) - self.errors
        line = (
            f"{'failed' if self.errors else 'ok'}: {self.records} records and "
            f"{self.figures} figures, {plural(self.errors, 'error')}, "
            f"{plural(warnings, 'warning')}"
        )
        if self.texts:
            texts = plural(self.texts, "source text")
            line += f"; {plural(self.quotes_found, 'quote')} found in {texts}"
        return line


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
