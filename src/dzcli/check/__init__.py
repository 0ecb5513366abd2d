"""`dz check`: audit a whole store and report every problem, not just the first.

The validator (`dzcli.model.validate`) runs first, then every rule of `rules.RULES` (a module per
family) over the store as `view.StoreView` shows it; problems (`problems`) are yielded as they
are found. Pure data: no Typer, no Rich.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from dzcli.check.problems import SHOWN_PER_RULE, Family, Flood, Problem, Report, Severity
from dzcli.check.rules import RULES
from dzcli.check.rules.duplicate_keys import DuplicateKey
from dzcli.check.view import StoreView
from dzcli.model import validate

if TYPE_CHECKING:
    from dzcli.check.proof import WellTyped

__all__ = [
    "RULES",
    "SHOWN_PER_RULE",
    "Audit",
    "Family",
    "Flood",
    "Problem",
    "Report",
    "Severity",
    "audit",
    "open_file",
    "report",
]

VALIDATOR = "validator"  # the rule name of what `dzcli.model.validate` finds

# A missing or empty source is a gap in provenance, whatever its shape.
_SOURCE_FIELD = re.compile(r"(^|\.)source(\.quote|\.doc)?$")


class Audit:
    """One run of `dz check` over a parsed store. `problems()` yields them one by one; the
    counts of the summary are complete once it is exhausted."""

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

    def report(self, problems: list[Problem]) -> Report:
        view = self.view
        texts = len(view.source_texts)
        return Report(problems, view.record_count, view.figure_count, texts, view.quotes_found)

    def summary_fields(self, errors: int, warnings: int) -> dict[str, int | bool]:
        """The summary as data (`dz check --json`), once `problems()` is exhausted."""
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
        """The last line of `dz check`, once `problems()` is exhausted: the verdict and the
        counts behind it."""
        view, texts = self.view, len(self.view.source_texts)
        line = (
            f"{'failed' if errors else 'ok'}: {view.record_count} records and "
            f"{view.figure_count} figures, {_plural(errors, 'error')}, "
            f"{_plural(warnings, 'warning')}"
        )
        if texts:
            line += (
                f"; {_plural(view.quotes_found, 'quote')} found in {_plural(texts, 'source text')}"
            )
        return line


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def report(data: object, sources_dir: Path | None = None) -> Report:
    """Every problem in a parsed store, with the counts for a summary."""
    run = Audit(data, sources_dir)
    return run.report(list(run.problems()))


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
