"""Every rule `dz check` applies beyond the validator, in one list: `RULES`.

A rule is a small function of the whole store (`StoreView`) that yields what it finds. To add
one: write it in the module of its kind and add a line here (and to docs/checks.md's `dz check`
section, which a test holds to this list).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import NamedTuple

from dzcli.check.rules import arithmetic, consistency, plausibility, provenance, references
from dzcli.check.view import Finding, StoreView


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


ERROR, WARNING = Severity.error, Severity.warning


class Rule(NamedTuple):
    name: str  # as docs/checks.md lists it
    family: Family  # as each report line names it
    severity: Severity
    find: Callable[[StoreView], Iterator[Finding]]


RULES: tuple[Rule, ...] = (
    Rule("no-duplicate-keys", Family.schema, ERROR, consistency.no_duplicate_keys),
    Rule("known-references", Family.reference, ERROR, references.known_links),
    Rule("event-refs", Family.reference, ERROR, references.event_refs),
    Rule("any-record-refs", Family.reference, ERROR, references.any_record_refs),
    Rule("no-self-reference", Family.reference, ERROR, references.no_self_reference),
    Rule("source-docs", Family.reference, ERROR, references.source_docs),
    Rule("metric-units", Family.reference, ERROR, references.metric_units),
    Rule("no-parent-cycles", Family.reference, ERROR, references.no_parent_cycles),
    Rule("readable-sources", Family.provenance, ERROR, provenance.readable_sources),
    Rule("quotes-in-sources", Family.provenance, ERROR, provenance.quotes_in_sources),
    Rule("visible-quotes", Family.provenance, ERROR, provenance.visible_quotes),
    Rule("supported-fields", Family.provenance, ERROR, provenance.supported_fields),
    Rule("names-from-the-report", Family.provenance, ERROR, provenance.names_from_the_report),
    Rule("relation-ends", Family.reference, ERROR, references.relation_ends),
    Rule("parts-within-wholes", Family.arithmetic, ERROR, arithmetic.parts_within_wholes),
    Rule("settled-conflicts", Family.claims, ERROR, consistency.settled_conflicts),
    Rule("one-preferred", Family.claims, ERROR, consistency.one_preferred),
    Rule("deprecation-reasons", Family.claims, ERROR, consistency.deprecation_reasons),
    Rule("base-values", Family.arithmetic, ERROR, arithmetic.base_values),
    Rule("exchange-rates", Family.arithmetic, WARNING, arithmetic.exchange_rates),
    Rule("shares", Family.arithmetic, ERROR, arithmetic.shares),
    Rule("growth-rates", Family.arithmetic, ERROR, arithmetic.growth_rates),
    Rule("part-within-year", Family.arithmetic, WARNING, arithmetic.part_within_year),
    Rule("within-parent-area", Family.arithmetic, ERROR, arithmetic.within_parent_area),
    Rule("whole-counts", Family.plausibility, ERROR, plausibility.whole_counts),
    Rule("non-negative-amounts", Family.plausibility, ERROR, plausibility.non_negative_amounts),
    Rule("growth-floor", Family.plausibility, ERROR, plausibility.growth_floor),
    Rule("plausible-dates", Family.plausibility, ERROR, plausibility.plausible_dates),
    Rule("statistic-bounds", Family.plausibility, ERROR, plausibility.statistic_bounds),
    Rule("status-words", Family.consistency, ERROR, consistency.status_words),
    Rule("industry-words", Family.consistency, ERROR, consistency.industry_words),
    Rule("unique-names", Family.consistency, ERROR, consistency.unique_names),
    Rule("metric-names", Family.consistency, ERROR, consistency.metric_names),
    Rule("distinct-ids", Family.consistency, ERROR, consistency.distinct_ids),
    Rule("rank-scope", Family.consistency, ERROR, consistency.rank_scope),
    Rule("foreign-equivalents", Family.consistency, ERROR, consistency.foreign_equivalents),
)
