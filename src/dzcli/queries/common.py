"""What the queries share: rows, an answer with its footnote, claims' annotations, metrics."""

from __future__ import annotations

from typing import Any, NamedTuple

from dzcli.model.matching import resolve
from dzcli.read.store import Store, encode

Row = dict[str, Any]


class Answer(NamedTuple):
    """Rows, and a line for people to read under them (a footnote; not part of the data)."""

    rows: list[Row]
    footnote: tuple[str, str] | None = None  # (English, 中文)


SHOWN = "(? OR s.answer OR s.answer IS NULL)"
"""SQL: a stat a listing shows (its parameter: every claim, or only those that answer; a stat
without a metric or period has nothing to be ranked against, and is shown)."""


def metrics(store: Store) -> dict[str, Row]:
    """The metrics by id."""
    return store.by_id("metrics")


def resolve_metric(store: Store, term: str) -> str:
    names = {
        key: [m.get("name_zh") or "", m.get("name_en") or ""] for key, m in metrics(store).items()
    }
    return resolve(term, names, "metric")


def resolve_category(store: Store, term: str) -> str:
    categories = sorted({str(m["category"]) for m in metrics(store).values() if m.get("category")})
    return resolve(term, {c: [] for c in categories}, "category")


def metrics_in(store: Store, metric: str | None, category: str | None) -> list[str] | None:
    """The ids of the metrics asked for (a metric, or those of a category); None for all."""
    if metric is not None:
        return [resolve_metric(store, metric)]
    if category is not None:
        chosen = resolve_category(store, category)
        return [key for key, m in metrics(store).items() if m.get("category") == chosen]
    return None


def among(column: str, values: list[str] | None) -> tuple[str, list[str]]:
    """SQL that keeps the rows whose `column` is one of `values` (all for None), and its
    parameters (one, however many the values)."""
    if values is None:
        return "1", []
    return f"{column} IN (SELECT value FROM json_each(?))", [encode(values).decode()]
