"""Shell completion from the store itself: metric ids, park names, periods, statuses.

Each `complete_*` function is a Typer `autocompletion` callback. It reads the store the command
would read (`--db` if already typed, else `$DZ_DB`, else the shipped one) and returns
(value, help) pairs whose value starts with what was typed. A store that cannot be read gives no
candidates: completion must never print an error into the user's command line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import typer

from dzcli.model.errors import DzError

if TYPE_CHECKING:
    from dzcli.read import Store

Candidate = tuple[str, str]


def _store(ctx: typer.Context | None) -> Store | None:
    from dzcli.read import open_store, resolve_store_path

    db = ctx.params.get("db") if ctx is not None else None
    try:
        return open_store(resolve_store_path(db))
    except (DzError, OSError):
        return None


def _starting(incomplete: str, candidates: Iterable[Candidate]) -> list[Candidate]:
    """Candidates whose value starts with `incomplete` (what every shell keeps), each once."""
    found: dict[str, str] = {}
    for value, help_text in candidates:
        if value and value.startswith(incomplete) and value not in found:
            found[value] = help_text
    return list(found.items())


def _named(records: Iterable[dict[str, Any]], *extra: str) -> Iterable[Candidate]:
    """A record's id, Chinese name, English name and `extra` fields (aliases), each with help."""
    for record in records:
        zh, en, record_id = record.get("name_zh") or "", record.get("name_en") or "", record["id"]
        yield record_id, f"{zh} {en}".strip()
        yield zh, en
        yield en, zh
        for key in extra:
            for alias in record.get(key) or []:
                if isinstance(alias, str):
                    yield alias, f"{zh} {en}".strip()


def metric_candidates(store: Store, incomplete: str) -> list[Candidate]:
    return _starting(incomplete, _named(store.records("metrics")))


def park_candidates(store: Store, incomplete: str) -> list[Candidate]:
    return _starting(incomplete, _named(store.records("parks"), "aliases"))


def area_candidates(store: Store, incomplete: str) -> list[Candidate]:
    every = [("all", "every area"), *_named(store.records("areas"), "aliases")]
    return _starting(incomplete, every)


def period_candidates(store: Store, incomplete: str) -> list[Candidate]:
    from dzcli import queries
    from dzcli.model import periods

    found = queries.stat_periods(store)
    years = dict.fromkeys(periods.year_of(p) for p in found)
    return _starting(incomplete, [(year, "year") for year in years] + [(p, "") for p in found])


def target_year_candidates(store: Store, incomplete: str) -> list[Candidate]:
    years = sorted({str(r["period"]) for r in store.records("targets") if r.get("period")})
    return _starting(incomplete, [(year, "") for year in years])


def _codes(store: Store, table: str, key: str, incomplete: str) -> list[Candidate]:
    """A coded field's values (signed) and the report's words for them (签约), each as help
    for the other."""
    pairs = [(str(r.get(key) or ""), str(r.get(f"{key}_zh") or "")) for r in store.records(table)]
    return _starting(incomplete, [*pairs, *((zh, code) for code, zh in pairs)])


def status_candidates(store: Store, incomplete: str) -> list[Candidate]:
    return _codes(store, "projects", "status", incomplete)


def industry_candidates(store: Store, incomplete: str) -> list[Candidate]:
    return _codes(store, "projects", "industry", incomplete)


def category_candidates(store: Store, incomplete: str) -> list[Candidate]:
    found = sorted({str(m["category"]) for m in store.records("metrics") if m.get("category")})
    return _starting(incomplete, [(category, "") for category in found])


def record_id_candidates(store: Store, incomplete: str) -> list[Candidate]:
    from dzcli.model.kinds import TABLES

    return _starting(
        incomplete,
        (
            (str(r["id"]), f"{table}: {r.get('name_zh') or r.get('metric') or ''}".rstrip(": "))
            for table in TABLES
            for r in store.records(table)
        ),
    )


def _callback(candidates: Any) -> Any:
    def complete(ctx: typer.Context, incomplete: str) -> list[Candidate]:
        store = _store(ctx)
        return [] if store is None else list(candidates(store, incomplete))

    complete.__name__ = f"complete_{candidates.__name__.removesuffix('_candidates')}"
    return complete


complete_metric = _callback(metric_candidates)
complete_park = _callback(park_candidates)
complete_area = _callback(area_candidates)
complete_period = _callback(period_candidates)
complete_target_year = _callback(target_year_candidates)
complete_status = _callback(status_candidates)
complete_industry = _callback(industry_candidates)
complete_category = _callback(category_candidates)
complete_record_id = _callback(record_id_candidates)
