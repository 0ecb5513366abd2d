"""What a record's quote must say for the record's numbers and period to be taken from it.

The rules a write (`dz add`, `dz edit`, `dz import`) applies to every record and figure, each
reading the quote through the one tokenizer (`dzcli.model.numerals`):

- the value is a whole number token of the quote (340.12亿元 holds 340.12, not 340.1 or 34),
  in the record's unit where the quote writes one right after it (340.12 in 亿元, not 万元);
- a growth rate (`yoy_pct`) is a percentage of the quote, with its sign (下降3.2% is -3.2);
  a share a percentage; a rank an ordinal (第2位); points above the city average a number of
  个百分点; a reported equivalent an amount in its unit;
- the period (or an event's date) is in a year the quote names, where it names one: 2021年,
  or a year relative to the source's (今年, 本年, 去年, 前年, 明年), and in a quarter it names
  (一季度), if any. A record whose quote names another year says why: its note (or note_zh),
  or a further quote that supports its period, names the period's year.

Each rule returns what is wrong, in words, or nothing: the writes layer raises it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from dzcli.model.numbers import is_json_number
from dzcli.model.numerals import Token, normalized, tokens
from dzcli.model.units import UNITS

Record = dict[str, Any]

_SCALES = ("万", "亿")
# Unit words after which a number is a date, a rank or points, never an amount.
_NOT_AMOUNTS = frozenset({"月", "日", "季度", "位", "个百分点", "百分点"})
_RELATIVE_YEARS = {"今年": 0, "本年": 0, "去年": -1, "前年": -2, "明年": 1}
_RANGE = re.compile(r"[-\u2013\u2014~至到]")  # after NFKC: a hyphen, en or em dash, a tilde
_QUARTER = re.compile(r"Q([1-4])", re.IGNORECASE)


class Problem(NamedTuple):
    field: str  # where in the record: "value", "yoy_pct", "figures[0].period", …
    message: str


def problems(record: Record, source_years: Mapping[str, int | None]) -> list[Problem]:
    """What the quotes of `record` (and of each of its figures) do not say of it.

    `source_years`: the year of each source it may cite (None where unknown), to resolve 今年
    and 去年."""
    found = list(_part_problems(record, "", source_years))
    for index, figure in enumerate(record.get("figures") or []):
        if isinstance(figure, dict):
            found.extend(_part_problems(figure, f"figures[{index}].", source_years))
    return found


def _part_problems(
    part: Record, at: str, source_years: Mapping[str, int | None]
) -> Iterator[Problem]:
    source = part.get("source")
    if not isinstance(source, dict) or not isinstance(source.get("quote"), str):
        return  # the validator says so
    quote: str = source["quote"]
    found = tokens(quote)
    checks = (
        ("value", value_problem(part.get("value"), part.get("unit"), found)),
        ("yoy_pct", rate_problem(part.get("yoy_pct"), found)),
        ("share_pct", share_problem(part.get("share_pct"), found)),
        ("rank", rank_problem(part.get("rank"), found)),
        ("vs_city_avg_pp", points_problem(part.get("vs_city_avg_pp"), found)),
        ("equivalent", _equivalent_problem(part.get("equivalent"), found)),
    )
    for field, message in checks:
        if message is not None:
            yield Problem(at + field, message)
    doc = source.get("doc")
    year = source_years.get(doc) if isinstance(doc, str) else None
    for field in ("period", "date"):
        when = part.get(field)
        if isinstance(when, str) and when[:4].isdigit():
            message = period_problem(when, quote, year, _explanations(part, field))
            if message is not None:
                yield Problem(at + field, message)


def _equivalent_problem(equivalent: object, found: Sequence[Token]) -> str | None:
    if not isinstance(equivalent, dict):
        return None
    message = value_problem(equivalent.get("value"), equivalent.get("unit"), found)
    return None if message is None else message.replace("the value", "the equivalent", 1)


def decimal(value: object) -> Decimal | None:
    """A stored or typed number as the decimal it spells (317.19, not 317.18999…)."""
    if isinstance(value, str):
        text = value.strip()
    elif is_json_number(value):
        text = repr(value)
    else:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def spelled(number: Decimal) -> str:
    """A decimal as a message writes it: 340.12, 1234, -3.2 (no exponent, no trailing zeros)."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def value_problem(value: object, unit: object, found: Sequence[Token]) -> str | None:
    """Whether the quote holds `value` as a whole number, in `unit` where it writes a unit."""
    number = decimal(value)
    if number is None:
        return None
    same = [token for token in found if token.value == abs(number) and not token.ordinal]
    if not same:
        return f"the value {spelled(number)} is not a number of the quote{_numbers(found)}"
    if not isinstance(unit, str) or any(_in_unit(token.unit, unit) for token in same):
        return None
    written = ", ".join(f"{spelled(t.value)}{t.unit or ''}" for t in same)
    return f"the quote gives {written}, not {spelled(number)} {unit}"


def _in_unit(written: str | None, unit: str) -> bool:
    """Whether a number followed by the unit word `written` may be an amount in `unit`."""
    if written is None:
        return True  # the quote writes no unit right after it (五大工业领域)
    if written in _NOT_AMOUNTS:
        return False
    if written in _SCALES:  # 300亿级: a scale whose currency the words after it leave out
        return unit.startswith(written)
    return written == unit or written not in UNITS


def rate_problem(pct: object, found: Sequence[Token]) -> str | None:
    """Whether the quote gives the growth rate `pct` as a percentage, with its sign."""
    number = decimal(pct)
    if number is None:
        return None
    rates = [
        -token.value if token.negative else token.value for token in found if token.unit == "%"
    ]
    if number in rates:
        return None
    given = ", ".join(f"{spelled(rate)}%" for rate in rates) or "no percentage"
    return f"the rate {spelled(number)}% is not in the quote (it gives {given})"


def share_problem(pct: object, found: Sequence[Token]) -> str | None:
    number = decimal(pct)
    if number is None or any(t.unit == "%" and t.value == number for t in found):
        return None
    return f"the share {spelled(number)}% is not a percentage of the quote{_numbers(found)}"


def rank_problem(rank: object, found: Sequence[Token]) -> str | None:
    number = decimal(rank)
    if number is None or any(t.ordinal and t.value == number for t in found):
        return None
    return f"the rank {spelled(number)} is not in the quote (as 第{spelled(number)}位)"


def points_problem(points: object, found: Sequence[Token]) -> str | None:
    number = decimal(points)
    if number is None or any(
        t.unit in ("个百分点", "百分点") and t.value == abs(number) for t in found
    ):
        return None
    return f"the {spelled(number)} percentage points are not in the quote (as 个百分点)"


def _numbers(found: Sequence[Token]) -> str:
    if not found:
        return " (it has none)"
    shown = ", ".join(f"{spelled(t.value)}{t.unit or ''}" for t in found[:6])
    return f" (it has {shown}{', …' if len(found) > 6 else ''})"


# -- when --------------------------------------------------------------------------------------


def named_years(quote: str, source_year: int | None) -> set[int]:
    """The years `quote` names: 2021年 (and every year of 2021-2025年), and 今年, 去年, … as
    years of a source from `source_year` (not resolved when it is None)."""
    flat = normalized(quote)
    found = tokens(quote)
    years = {int(token.value) for token in found if _is_year(token) and token.unit == "年"}
    for token, after in itertools.pairwise(found):
        if (
            _is_year(token)
            and _is_year(after)
            and after.unit == "年"
            and _RANGE.fullmatch(flat[token.end : after.start])
        ):
            years.update(range(int(token.value), int(after.value) + 1))
    if source_year is not None:
        years.update(source_year + shift for word, shift in _RELATIVE_YEARS.items() if word in flat)
    return years


def _is_year(token: Token) -> bool:
    return token.value == token.value.to_integral_value() and 1000 <= token.value <= 2999


def named_quarters(quote: str) -> set[int]:
    """The quarters `quote` names: 一季度, 第一季度, 1季度, Q1 (not 前三季度, nine months)."""
    flat = normalized(quote)
    quarters = {int(match.group(1)) for match in _QUARTER.finditer(flat)}
    for token in tokens(quote):
        if (
            token.unit == "季度"
            and 1 <= token.value <= 4
            and flat[token.start - 1 : token.start] != "前"
        ):
            quarters.add(int(token.value))
    return quarters


def period_problem(
    period: str, quote: str, source_year: int | None, explanations: Iterable[str]
) -> str | None:
    """Whether `period` (or a date) is when the quote says, where it says: None if so, or if
    one of `explanations` (the record's notes, and quotes that support its period) names the
    period's year (for a quarter the quote does not name: the quarter)."""
    year = int(period[:4])
    years = named_years(quote, source_year)
    if years and year not in years:
        if any(str(year) in normalized(text) for text in explanations):
            return None
        said = ", ".join(str(y) for y in sorted(years))
        return _not_when(period, f"the quote names {said}", str(year))
    quarter = re.fullmatch(r"[0-9]{4}-Q([1-4])", period)
    if quarter is None:
        return None
    number = int(quarter.group(1))
    quarters = named_quarters(quote)
    if not quarters or number in quarters:
        return None
    if any(number in named_quarters(text) for text in explanations):
        return None
    said = ", ".join(f"Q{q}" for q in sorted(quarters))
    return _not_when(period, f"the quote names {said}", f"Q{number}")


def _not_when(period: str, said: str, naming: str) -> str:
    return (
        f"{period} is not when the quote says ({said}); say why in the note (naming {naming}), "
        "or quote the words that date it (a further quote that supports the period)"
    )


def _explanations(part: Record, field: str) -> list[str]:
    texts = [part.get("note"), part.get("note_zh")]
    for extra in part.get("quotes") or []:
        if isinstance(extra, dict) and extra.get("supports") == field:
            texts.append(extra.get("quote"))
    return [text for text in texts if isinstance(text, str)]


def source_year(source: Record) -> int | None:
    """The year a source appeared: its `year`, else its date's, else None."""
    for field in ("year", "date"):
        value = source.get(field)
        if isinstance(value, str) and value[:4].isdigit():
            return int(value[:4])
    return None
