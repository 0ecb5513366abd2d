"""Period strings as stored and as typed: "2021", "2022-Q1", "2021-01/2021-11"."""

from __future__ import annotations

import re

from dzcli.model.errors import BadUsage

_PERIOD = re.compile(
    r"(?P<year>[0-9]{4})"
    r"(?:-Q(?P<quarter>[1-4])"
    r"|-(?P<m1>0[1-9]|1[0-2])/(?P<year2>[0-9]{4})-(?P<m2>0[1-9]|1[0-2]))?"
)
SYNTAX = "YYYY, YYYY-QN or YYYY-MM/YYYY-MM"


def is_period(text: str) -> bool:
    """Whether `text` is a well-formed period (a month range must not run backwards)."""
    match = _PERIOD.fullmatch(text)
    if match is None:
        return False
    if match["year2"] is not None:
        return (match["year"], match["m1"]) <= (match["year2"], match["m2"])
    return True


def parse_period(text: str) -> str:
    """`text` itself if it is a period, else BadUsage naming the accepted forms."""
    if not is_period(text):
        raise BadUsage(f"invalid period {text!r} (expected {SYNTAX})")
    return text


def year_of(period: str) -> str:
    """The calendar year a period belongs to (a month range: the year it starts in)."""
    return period[:4]


def is_year(period: str) -> bool:
    return len(period) == 4


def covers(query: str, period: str) -> bool:
    """Whether asking for `query` includes `period`: a year includes its quarters and ranges."""
    return query == period or (is_year(query) and year_of(period) == query)


def previous_year(period: str) -> str:
    """The same period one year earlier, the base of a year-over-year rate."""
    return re.sub(r"[0-9]{4}", lambda m: str(int(m.group()) - 1).zfill(4), period)


def sort_key(period: str) -> tuple[str, int, int]:
    """Chronological order: by year, the whole year first, then its parts by first month
    (2021-Q1 before 2021-10/2021-12), the shorter first where they start together."""
    match = _PERIOD.fullmatch(period)
    if match is None:
        return (period, 99, 99)
    if match["quarter"]:
        quarter = int(match["quarter"])
        return (match["year"], 3 * quarter - 2, 3 * quarter)
    if match["m1"]:
        years = int(match["year2"]) - int(match["year"])
        return (match["year"], int(match["m1"]), int(match["m2"]) + 12 * years)
    return (match["year"], 0, 12)
