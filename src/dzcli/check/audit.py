"""`dz check`: the validator, then every rule of `RULES`, each problem yielded as it is found."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from dzcli.check.problems import Family, Problem, Report, Severity, summary_fields, summary_line
from dzcli.check.rules import RULES, Rule
from dzcli.check.rules.duplicate_keys import DuplicateKey
from dzcli.check.view import StoreView
from dzcli.model import validate

if TYPE_CHECKING:
    from dzcli.check.proof import WellTyped

VALIDATOR = "validator"  # the rule name of what `dzcli.model.validate` finds

# A missing or empty source is a gap in provenance, whatever its shape.
_SOURCE_FIELD = re.compile(r"(^|\.)source(\.quote|\.doc)?$")


class Audit:
    """One run of `dz check` over a parsed store. `problems()` yields them one by one; the
    counts for the summary are complete once it is exhausted."""

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
        well_typed = self.well_typed if self.quick else None
        for misfit in validate.misfits(self.view.data, complete=True, well_typed=well_typed):
            family = Family.provenance if _SOURCE_FIELD.search(misfit.field) else Family.schema
            record_id, table, message = misfit.record_id, misfit.table, misfit.message
            yield Problem(record_id, table, family, message, rule=VALIDATOR)
        # What was proven while parsing is no longer needed: its record ids are freed.
        from dzcli.check import proof

        self.well_typed = proof.well_typed
        if isinstance(self.view.data, dict):
            yield from self._found_by(RULES)

    def _found_by(self, rules: Sequence[Rule]) -> Iterator[Problem]:
        for rule in rules:
            for table, record, message in rule.find(self.view):
                label = self.view.label(record)
                yield Problem(label, table, rule.family, message, rule.severity, rule.name)

    @property
    def texts(self) -> int:
        """Source texts read so far."""
        return len(self.view.sources.texts)

    @property
    def quotes_found(self) -> int:
        return self.view.sources.quotes_found

    def report(self, problems: list[Problem]) -> Report:
        view = self.view
        return Report(problems, view.record_count, view.figure_count, self.texts, self.quotes_found)

    def summary(self, errors: int, warnings: int) -> str:
        """The summary line, once `problems()` is exhausted and its problems counted."""
        view = self.view
        return summary_line(
            errors, warnings, view.record_count, view.figure_count, self.texts, self.quotes_found
        )

    def summary_fields(self, errors: int, warnings: int) -> dict[str, int | bool]:
        """The summary as data (`dz check --json`), once `problems()` is exhausted."""
        view = self.view
        return summary_fields(
            errors, warnings, view.record_count, view.figure_count, self.texts, self.quotes_found
        )


def report(
    data: object,
    sources_dir: Path | None = None,
    duplicate_keys: list[DuplicateKey] | None = None,
) -> Report:
    """Every problem in a parsed store, with the counts for a summary."""
    run = Audit(data, sources_dir, duplicate_keys)
    return run.report(list(run.problems()))


def audit(data: object, sources_dir: Path | None = None) -> list[Problem]:
    """Every problem in a parsed store; with `sources_dir`, quotes are looked up there too."""
    return report(data, sources_dir).problems


def check_file(path: Path, sources_dir: Path | None = None) -> Report:
    """`dz check` on the store file at `path`: also finds keys repeated in one JSON object,
    which a parsed store no longer shows. StoreError if the file cannot be read or parsed."""
    run = open_file(path, sources_dir)
    return run.report(list(run.problems()))


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


__all__ = [
    "Audit",
    "Problem",
    "Report",
    "Severity",
    "audit",
    "check_file",
    "open_file",
    "report",
]
