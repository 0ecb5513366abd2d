"""`dz check`: audit a whole store and report every problem, not just the first.

Four rules, each problem naming one:
- schema: every record has the shape of `dzcli.model.validate` (all fields, none unknown),
  known units
  with their base units, ids unique across the store and spelled as the contract says;
- reference: every id a record names (metric, park, parent park, enterprise, event refs, source
  document) is in the store, and parks have no parent cycle;
- provenance: every record and figure quotes its source, and where the source texts are given,
  each quote is found in its document once whitespace is removed from both;
- arithmetic: base values are value times unit scale; a share agrees with its total, and a growth
  rate with the two values it joins, within the rounding of the reported digits; a USD amount
  reported with a CNY equivalent gives a plausible exchange rate (a warning, not an error).

Pure data: `audit` takes the parsed store and returns problems; reading the file is the caller's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from itertools import product
from pathlib import Path
from typing import Any, TypeGuard

from dzcli.model import periods
from dzcli.model import validate as shape
from dzcli.model.kinds import stat_id, target_id
from dzcli.model.numbers import is_number
from dzcli.model.units import UNITS

Record = dict[str, Any]

# A value marked approx ("约", "300亿级") may be this far from the exact one, either way.
APPROX_TOLERANCE = 0.05
# CNY per USD: the annual averages since 2010 run from about 6.1 to 6.9, and the rate of the
# 2020s from about 6.3 to 7.3; a few percent beyond is a slip of the pen or a misread unit.
PLAUSIBLE_CNY_PER_USD = (6.0, 7.5)


class Rule(StrEnum):
    schema = "schema"
    reference = "reference"
    provenance = "provenance"
    arithmetic = "arithmetic"


class Severity(StrEnum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True)
class Problem:
    record_id: str  # the record's id, "#<document number>" if it has none, "" for a whole table
    table: str  # "" for the store as a whole
    rule: Rule
    message: str
    severity: Severity = Severity.error

    def line(self) -> str:
        """One line for people and grep: `table id: severity: rule: message`."""
        where = " ".join(part for part in (self.table, self.record_id) if part) or "store"
        return printable(f"{where}: {self.severity}: {self.rule}: {self.message}")


def printable(text: str) -> str:
    """`text` with every character a terminal would act on or hide (controls, bidi marks,
    line breaks, lone surrogates) written as a Python escape, so a report stays one honest line.
    """
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


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
            f"{self.figures} figures, {_plural(self.errors, 'error')}, "
            f"{_plural(warnings, 'warning')}"
        )
        if self.texts:
            texts = _plural(self.texts, "source text")
            line += f"; {_plural(self.quotes_found, 'quote')} found in {texts}"
        return line


def audit(data: object, sources_dir: Path | None = None) -> list[Problem]:
    """Every problem in a parsed store; with `sources_dir`, quotes are looked up there too."""
    return report(data, sources_dir).problems


def report(data: object, sources_dir: Path | None = None) -> Report:
    """`audit`, with the counts for a summary."""
    run = _Audit(data, sources_dir)
    problems = list(run.problems())
    return Report(problems, run.records, run.figures, len(run.texts), run.quotes_found)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def flat(text: str) -> str:
    """`text` without whitespace, as quotes are compared with their source."""
    return re.sub(r"\s+", "", text)


class _Audit:
    def __init__(self, data: object, sources_dir: Path | None) -> None:
        self.data = data
        self.sources_dir = sources_dir
        self.tables: dict[str, list[Record]] = {}
        self.labels: dict[int, str] = {}  # id(record) → how problems name it
        self.records = 0
        self.figures = 0
        self.quotes_found = 0
        self.texts: dict[str, str] = {}  # source id → its text without whitespace

    def problems(self) -> Iterator[Problem]:
        for misfit in shape.misfits(self.data, complete=True):
            # A missing or empty source is a gap in provenance, whatever its shape.
            source = re.search(r"(^|\.)source(\.quote|\.doc)?$", misfit.field)
            rule = Rule.provenance if source else Rule.schema
            yield Problem(misfit.record_id, misfit.table, rule, misfit.message)
        if not isinstance(self.data, dict):
            return
        for table in shape.RECORD_FIELDS:
            records = self.data.get(table)
            if isinstance(records, dict):
                self.tables[table] = [r for r in records.values() if isinstance(r, dict)]
                for doc_id, record in records.items():
                    self.labels[id(record)] = shape.record_label(record, doc_id)
        self.records = sum(len(records) for records in self.tables.values())
        self.figures = sum(len(_figures(r)) for records in self.tables.values() for r in records)
        yield from self._ids()
        yield from self._vocabulary()
        yield from self._references()
        yield from self._provenance()
        yield from self._arithmetic()

    # -- schema beyond the shape --------------------------------------------------------------

    def _ids(self) -> Iterator[Problem]:
        first: dict[str, str] = {}
        for table, records in self.tables.items():
            for record in records:
                record_id = record.get("id")
                if not isinstance(record_id, str) or not record_id.strip():
                    continue  # the shape check has said so
                if record_id != record_id.strip() or not record_id.isprintable():
                    yield self._problem(
                        table,
                        record,
                        Rule.schema,
                        f"id {record_id!r} has spaces at an end or unprintable characters",
                    )
                if record_id in first:
                    yield self._problem(
                        table,
                        record,
                        Rule.schema,
                        f"id {record_id!r} is also the id of a record in {first[record_id]}",
                    )
                else:
                    first[record_id] = table
        for table, spelled, form in (
            ("stats", stat_id, "metric@period, or metric@period#source for a further claim"),
            ("targets", target_id, "target:metric@period"),
        ):
            seen: dict[tuple[object, object], str] = {}
            for record in self.tables.get(table, []):
                expected = spelled(record)
                if expected is not None and record.get("id") != expected:
                    yield self._problem(
                        table, record, Rule.schema, f"id should be {expected!r} ({form})"
                    )
                key = (record.get("metric"), record.get("period"))
                if table == "stats":
                    continue  # several claims for one metric and period: the claim model's
                if _hashable(key) and key in seen:
                    metric, period = key
                    yield self._problem(
                        table,
                        record,
                        Rule.schema,
                        f"{metric} already has a record for {period or 'no period'}: {seen[key]}",
                    )
                elif _hashable(key):
                    seen[key] = str(record.get("id"))

    def _vocabulary(self) -> Iterator[Problem]:
        for table, record, path, amount in self._amounts(with_metrics=True):
            unit, base_unit = amount.get("unit"), amount.get("base_unit")
            at = f"{path}." if path else ""
            if not isinstance(unit, str) or not isinstance(base_unit, str):
                continue
            if unit not in UNITS:
                known = " ".join(UNITS)
                yield self._problem(
                    table, record, Rule.schema, f"{at}unit {unit!r} is not known (known: {known})"
                )
            elif UNITS[unit][0] != base_unit:
                yield self._problem(
                    table,
                    record,
                    Rule.schema,
                    f"{at}base_unit is {base_unit!r}, but {unit} is counted in {UNITS[unit][0]}",
                )
        for table, record, path, _part in self._parts():
            figures = _figures(record) if not path else []
            keys = [f.get("key") for f in figures if isinstance(f, dict)]
            for key in sorted({k for k in keys if isinstance(k, str) and keys.count(k) > 1}):
                yield self._problem(table, record, Rule.schema, f"two figures have the key {key!r}")
        for record in self.tables.get("stats", []):
            rank = record.get("rank")
            if isinstance(rank, int) and rank < 1:
                yield self._problem(
                    "stats", record, Rule.schema, f"rank is {rank}; ranks start at 1"
                )
            if (record.get("share_pct") is None) != (record.get("share_of") is None):
                yield self._problem(
                    "stats", record, Rule.schema, "share_pct and share_of go together"
                )

    # -- references ---------------------------------------------------------------------------

    def _references(self) -> Iterator[Problem]:
        ids = {table: {r.get("id") for r in records} for table, records in self.tables.items()}
        every_id = set().union(*ids.values()) if ids else set()
        metrics = {r.get("id"): r for r in self.tables.get("metrics", [])}
        links = (
            ("stats", "metric", "metrics"),
            ("stats", "share_of", "metrics"),
            ("targets", "metric", "metrics"),
            ("projects", "park", "parks"),
            ("projects", "enterprise", "enterprises"),
            ("enterprises", "park", "parks"),
            ("parks", "parent", "parks"),
        )
        for table, field, target in links:
            for record in self.tables.get(table, []):
                value = record.get(field)
                if isinstance(value, str) and value not in ids.get(target, set()):
                    yield self._problem(
                        table,
                        record,
                        Rule.reference,
                        f"{field} {value!r} is not the id of any record in {target}",
                    )
        for record in self.tables.get("events", []):
            for ref in record.get("refs") or []:
                if isinstance(ref, str) and ref not in every_id:
                    yield self._problem(
                        "events", record, Rule.reference, f"refs: {ref!r} is not an id in the store"
                    )
        for table, record, path, part in self._parts():
            source = part.get("source")
            doc = source.get("doc") if isinstance(source, dict) else None
            if isinstance(doc, str) and doc not in ids.get("sources", set()):
                at = f"{path}." if path else ""
                yield self._problem(
                    table,
                    record,
                    Rule.reference,
                    f"{at}source.doc {doc!r} is not the id of any record in sources",
                )
        for table in ("stats", "targets"):
            for record in self.tables.get(table, []):
                metric = metrics.get(record.get("metric"))
                if metric is None or not isinstance(metric.get("base_unit"), str):
                    continue
                if record.get("base_unit") != metric["base_unit"]:
                    yield self._problem(
                        table,
                        record,
                        Rule.reference,
                        f"base_unit is {record.get('base_unit')!r}, but metric "
                        f"{record.get('metric')} is counted in {metric['base_unit']!r}",
                    )
        for record in self.tables.get("stats", []):
            own, whole = metrics.get(record.get("metric")), metrics.get(record.get("share_of"))
            if own is None or whole is None or own.get("base_unit") == whole.get("base_unit"):
                continue
            yield self._problem(
                "stats",
                record,
                Rule.reference,
                f"share_of {whole.get('id')} is counted in {whole.get('base_unit')!r}, but "
                f"metric {own.get('id')} in {own.get('base_unit')!r}",
            )
        yield from self._parent_cycles()

    def _parent_cycles(self) -> Iterator[Problem]:
        parent = {
            r.get("id"): r.get("parent")
            for r in self.tables.get("parks", [])
            if isinstance(r.get("id"), str) and isinstance(r.get("parent"), str)
        }
        for record in self.tables.get("parks", []):
            start = record.get("id")
            chain, current = [start], parent.get(start)
            while current is not None and current not in chain:
                chain.append(current)
                current = parent.get(current)
            if current == start:
                loop = " → ".join(str(park) for park in [*chain, start])
                yield self._problem(
                    "parks", record, Rule.reference, f"parent chain loops back to it: {loop}"
                )

    # -- provenance ---------------------------------------------------------------------------

    def _provenance(self) -> Iterator[Problem]:
        if self.sources_dir is not None:
            yield from self._read_texts(self.sources_dir)
        for table, record, path, part in self._parts():
            source = part.get("source")
            if not isinstance(source, dict):
                continue  # the shape check has said so
            quote, doc = source.get("quote"), source.get("doc")
            at = f"{path}." if path else ""
            if not isinstance(quote, str) or not quote.strip():
                continue  # the shape check has said so
            if isinstance(doc, str) and doc in self.texts:
                if flat(quote) in self.texts[doc]:
                    self.quotes_found += 1
                else:
                    yield self._problem(
                        table,
                        record,
                        Rule.provenance,
                        f"{at}source.quote {_clip(quote)!r} is not in the text of {doc}",
                    )

    def _read_texts(self, directory: Path) -> Iterator[Problem]:
        for record in self.tables.get("sources", []):
            source_id, file = record.get("id"), record.get("file")
            if not isinstance(source_id, str) or not isinstance(file, str) or not file.strip():
                continue  # the shape check has said so
            if Path(file).name != file or file in (".", ".."):
                yield self._problem(
                    "sources",
                    record,
                    Rule.provenance,
                    f"file {file!r} must be a file name inside the sources directory",
                )
                continue
            path = directory / file
            try:
                raw = path.read_bytes()
            except OSError as error:
                reason = (error.strerror or str(error)).lower()
                yield self._problem(
                    "sources", record, Rule.provenance, f"cannot read source text {path}: {reason}"
                )
                continue
            try:
                self.texts[source_id] = flat(raw.decode("utf-8"))
            except UnicodeDecodeError as error:
                yield self._problem(
                    "sources",
                    record,
                    Rule.provenance,
                    f"source text {path} is not UTF-8 (invalid byte at offset {error.start})",
                )

    # -- arithmetic ---------------------------------------------------------------------------

    def _arithmetic(self) -> Iterator[Problem]:
        for table, record, path, amount in self._amounts(with_metrics=False):
            for message in _base_value(path, amount):
                yield self._problem(table, record, Rule.arithmetic, message)
        for table, record, path, amount in self._amounts(with_metrics=False):
            equivalent = amount.get("equivalent")
            if isinstance(equivalent, dict):
                for message in _exchange_rate(path, amount, equivalent):
                    yield self._problem(table, record, Rule.arithmetic, message, Severity.warning)
        stats = self.tables.get("stats", [])
        by_key = {
            (r.get("metric"), r.get("period")): r
            for r in stats
            if _hashable((r.get("metric"), r.get("period"))) and is_number(r.get("value"))
        }
        for record in stats:
            for message in [*_share(record, by_key), *_growth(record, by_key)]:
                yield self._problem("stats", record, Rule.arithmetic, message)

    # -- walking the store --------------------------------------------------------------------

    def _parts(self) -> Iterator[tuple[str, Record, str, Record]]:
        """Every record and every figure in it, with the figure's path inside the record."""
        for table, records in self.tables.items():
            for record in records:
                yield table, record, "", record
                for index, figure in enumerate(_figures(record)):
                    if isinstance(figure, dict):
                        yield table, record, f"figures[{index}]", figure

    def _amounts(self, *, with_metrics: bool) -> Iterator[tuple[str, Record, str, Record]]:
        """Everything with a unit: stats, targets, figures and equivalents (and metrics)."""
        for table, record, path, part in self._parts():
            if table in ("stats", "targets") or path or (with_metrics and table == "metrics"):
                yield table, record, path, part
                equivalent = part.get("equivalent")
                if isinstance(equivalent, dict):
                    yield table, record, f"{path}.equivalent" if path else "equivalent", equivalent

    def _problem(
        self,
        table: str,
        record: Record,
        rule: Rule,
        message: str,
        severity: Severity = Severity.error,
    ) -> Problem:
        return Problem(self.labels.get(id(record), "#?"), table, rule, message, severity)


def _figures(record: Record) -> list[Any]:
    figures = record.get("figures")
    return figures if isinstance(figures, list) else []


def _hashable(key: tuple[object, object]) -> bool:
    return all(item is None or isinstance(item, str) for item in key)


def _is_exact(value: object) -> TypeGuard[int | float]:
    """A number decimal arithmetic can check, however large an integer it is."""
    return (isinstance(value, int) and not isinstance(value, bool)) or is_number(value)


def _scale(amount: Record) -> int | None:
    unit = amount.get("unit")
    return 10 ** UNITS[unit][1] if isinstance(unit, str) and unit in UNITS else None


def _base_value(path: str, amount: Record) -> Iterator[str]:
    value, base_value, scale = amount.get("value"), amount.get("base_value"), _scale(amount)
    at = f"{path}." if path else ""
    if (value is None) != (base_value is None):
        yield f"{at}value is {_shown(value)} but {at}base_value is {_shown(base_value)}"
        return
    if scale is None or not _is_exact(value) or not _is_exact(base_value):
        return
    expected = Decimal(repr(value)) * scale
    if Decimal(repr(base_value)) != expected:
        yield (
            f"{at}base_value is {_shown(base_value)}, but {_shown(value)} {amount['unit']} "
            f"is {_decimal(expected)} {amount.get('base_unit')}"
        )


def _exchange_rate(path: str, amount: Record, equivalent: Record) -> Iterator[str]:
    pair = (amount.get("base_unit"), equivalent.get("base_unit"))
    if pair == ("USD", "CNY"):
        usd, cny = amount, equivalent
    elif pair == ("CNY", "USD"):
        usd, cny = equivalent, amount
    else:
        return
    # From the numbers as reported: a wrong base_value is the base-value rule's to report.
    usd_scale, cny_scale = _scale(usd), _scale(cny)
    usd_value, cny_value = usd.get("value"), cny.get("value")
    if not (usd_scale and cny_scale and is_number(usd_value) and is_number(cny_value)):
        return
    if usd_value <= 0 or cny_value <= 0:
        return
    rate = cny_value * cny_scale / (usd_value * usd_scale)
    low, high = PLAUSIBLE_CNY_PER_USD
    if not low <= rate <= high:
        at = f"{path}: " if path else ""
        yield (
            f"{at}{_shown(cny.get('value'))} {cny.get('unit')} for {_shown(usd.get('value'))} "
            f"{usd.get('unit')} is {rate:.2f} CNY per USD, outside the plausible {low} to {high}"
        )


def _share(record: Record, by_key: dict[tuple[object, object], Record]) -> Iterator[str]:
    share, of = record.get("share_pct"), record.get("share_of")
    if not is_number(share):
        return
    if not 0 < share <= 100:
        yield f"share_pct is {_shown(share)}, not between 0 and 100"
        return
    total = by_key.get((of, record.get("period"))) if isinstance(of, str) else None
    part_scale, total_scale = _scale(record), _scale(total or {})
    if total is None or not is_number(record.get("value")) or not part_scale or not total_scale:
        return
    if total.get("base_unit") != record.get("base_unit"):
        yield (
            f"a share of {total.get('id')} must be counted in {total.get('base_unit')!r}, "
            f"not {record.get('base_unit')!r}"
        )
        return
    parts = [bound * part_scale for bound in _bounds(record["value"], record.get("approx"))]
    shares = _bounds(share, False)
    implied = [p / s * 100 / total_scale for p, s in product(parts, shares) if s > 0]
    stored = _bounds(total["value"], total.get("approx"))
    if implied and not _overlap((min(implied), max(implied)), stored):
        yield (
            f"{_shown(record['value'])} {record.get('unit')} at {_shown(share)}% implies a total "
            f"of {_range(implied)} {total.get('unit')}, but {total.get('id')} is "
            f"{_shown(total['value'])} {total.get('unit')}"
        )


def _growth(record: Record, by_key: dict[tuple[object, object], Record]) -> Iterator[str]:
    rate, period = record.get("yoy_pct"), record.get("period")
    if not is_number(rate) or not is_number(record.get("value")) or not isinstance(period, str):
        return
    previous = by_key.get((record.get("metric"), periods.previous_year(period)))
    now_scale, then_scale = _scale(record), _scale(previous or {})
    if previous is None or not now_scale or not then_scale:
        return
    if previous.get("base_unit") != record.get("base_unit"):
        return  # the reference rule reports units that disagree with the metric
    now = [b * now_scale for b in _bounds(record["value"], record.get("approx"))]
    then = [b * then_scale for b in _bounds(previous["value"], previous.get("approx"))]
    if min(then) <= 0:
        return
    computed = [(a / b - 1) * 100 for a, b in product(now, then)]
    if not _overlap((min(computed), max(computed)), _bounds(rate, False)):
        yield (
            f"yoy_pct is {_shown(rate)}%, but {_shown(record['value'])} {record.get('unit')} "
            f"after {_shown(previous['value'])} {previous.get('unit')} ({previous.get('id')}) "
            f"is {_range(computed)}% growth"
        )


def _bounds(value: float, approx: object) -> tuple[float, float]:
    """The interval a reported number stands for: ± half its last digit, or ± APPROX_TOLERANCE
    of it when the report says it is approximate."""
    exponent = Decimal(repr(value)).as_tuple().exponent
    half = 0.5 * 10.0 ** (exponent if isinstance(exponent, int) and exponent < 0 else 0)
    if approx is True:
        half = max(half, abs(value) * APPROX_TOLERANCE)
    return (value - half, value + half)


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _range(values: list[float]) -> str:
    low, high = min(values), max(values)
    return f"{low:.2f}" if f"{low:.2f}" == f"{high:.2f}" else f"{low:.2f} to {high:.2f}"


def _shown(value: object) -> str:
    """A stored value as JSON would write it (text quoted, so hostile text stays inert)."""
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    return repr(value)


def _decimal(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _clip(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"
