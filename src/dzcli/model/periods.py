"""Period strings as stored ("2021", "2022-Q1", "2021-01/2021-11") and as people type them
("2022Q1", "2021年", "2022年一季度", "2021年1-11月").

A store holds only the stored spelling (`is_period`); `parse_period`, the one parser of typed
periods, turns what a person types into it, and suggests the closest stored spelling for text
it cannot read.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable

from dzcli.model.errors import BadUsage

_PERIOD = re.compile(
    r"(?P<year>[0-9]{4})"
    r"(?:-Q(?P<quarter>[1-4])"
    r"|-(?P<m1>0[1-9]|1[0-2])/(?P<year2>[0-9]{4})-(?P<m2>0[1-9]|1[0-2]))?"
)
_YEAR = re.compile("[0-9]{4}")
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
SYNTAX = "YYYY, YYYY-QN or YYYY-MM/YYYY-MM"


def is_period(text: object) -> bool:
    """Whether `text` is a well-formed period in year 0001 or later (a month range must not
    run backwards)."""
    if not isinstance(text, str):
        return False
    match = _PERIOD.fullmatch(text)
    if match is None or match["year"] == "0000":
        return False
    if match["year2"] is not None:
        return (match["year"], match["m1"]) <= (match["year2"], match["m2"])
    return True


def is_year(value: object) -> bool:
    """A calendar year as dz stores and takes it: four digits, year 0001 or later."""
    return isinstance(value, str) and _YEAR.fullmatch(value) is not None and value != "0000"


def parse_period(text: str) -> str:
    """The period `text` names, as a store spells it: `2022-Q1` for `2022Q1`, `2022-q1`,
    `2022年一季度` or a full-width `2022Q1`; `2021` for `2021年`; `2021-01/2021-11` for
    `2021年1-11月`. Any other text is BadUsage naming the accepted forms and, where it holds a
    year, the closest period (`2022-Q5` → did you mean '2022-Q4'?)."""
    return _parse(text, is_period, f"invalid period {text!r} (expected {SYNTAX}", str)


def parse_year(text: str, why: str = "") -> str:
    """The year `text` names (`2022`, `2022年`, full-width digits), else BadUsage (`why` follows
    the expected form), suggesting the year of a period that is not a whole year."""
    return _parse(text, is_year, f"invalid year {text!r} (expected YYYY{why}", year_of)


def _parse(
    text: str, accepts: Callable[[object], bool], refusal: str, hint: Callable[[str], str]
) -> str:
    if accepts(text):  # the common case, and the only one a script needs
        return text
    from dzcli.model import typed_periods  # only for a period typed another way

    found = typed_periods.read(text)
    if found is not None and accepts(found):
        return found
    closest = found if found is not None and is_period(found) else typed_periods.closest(text)
    if closest is None or not is_period(closest):
        raise BadUsage(f"{refusal})")
    raise BadUsage(f"{refusal}; did you mean {hint(closest)!r}?)")


def is_date(value: object) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date."""
    match = _DATE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return False
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def year_of(period: str) -> str:
    """The calendar year a period belongs to (a month range: the year it starts in)."""
    return period[:4]


def is_whole_year(period: str) -> bool:
    """Whether a period is a whole year (2021), not a quarter or a month range of one."""
    return len(period) == 4


def covers(query: str, period: str) -> bool:
    """Whether asking for `query` includes `period`: a year includes its quarters and ranges."""
    return query == period or (is_whole_year(query) and year_of(period) == query)


@functools.lru_cache(maxsize=4096)  # a store has few periods, asked of once per record
def previous_year(period: str) -> str | None:
    """The same period one year earlier, the base of a year-over-year rate; None for a
    period of year 0001 (there is no year 0) or text that is not a period."""
    if not is_period(period) or period.startswith("0001"):
        return None
    return re.sub(r"[0-9]{4}", lambda m: str(int(m.group()) - 1).zfill(4), period)


@functools.lru_cache(maxsize=4096)
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
