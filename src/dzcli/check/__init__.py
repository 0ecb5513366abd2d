"""`dz check`: audit a whole store and report every problem, not just the first.

- `problems`: Problem, Severity, Family, Report and its summary line;
- `view`: the store as rules see it;
- `rules`: every rule beyond the validator, one list (`RULES`), one module per family;
- `audit`: the validator (`dzcli.model.validate`), then `RULES`, problems yielded lazily.

Pure data: no Typer, no Rich.
"""

from __future__ import annotations

from dzcli.check.audit import Audit, audit, check_file, open_file, report
from dzcli.check.problems import SHOWN_PER_RULE, Family, Flood, Problem, Report, Severity
from dzcli.check.rules import RULES, Rule

__all__ = [
    "RULES",
    "SHOWN_PER_RULE",
    "Audit",
    "Family",
    "Flood",
    "Problem",
    "Report",
    "Rule",
    "Severity",
    "audit",
    "check_file",
    "open_file",
    "report",
]
