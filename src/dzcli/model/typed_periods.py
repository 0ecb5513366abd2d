"""Periods as people type them, read into the spelling a store uses (`dzcli.model.periods`).

`2022Q1`, `2022-q1`, `Q1 2022`, `2022年一季度`, `2022年第1季度` are the first quarter of 2022;
`2021年`, `2021年度`, `2021年全年` a year; `2021年1-11月`, `2021年1月至11月`, `2021-1/2021-11`,
`2022年上半年` months; in full-width characters too. `read` gives the stored spelling of these,
`closest` the stored period nearest to any other text; `periods.is_period` decides whether
either is valid. Imported only when a typed period is not already in the stored spelling.
"""

from __future__ import annotations

import re
import unicodedata

_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

_YEAR = r"(?P<year>[0-9]{4})(?:年度?)?"
_QUARTER = r"(?:q(?P<q>[0-9])|第?(?P<n>[0-9一二三四五六七八九])季度?)"
_WHOLE_YEAR = re.compile(_YEAR + "(?:全年)?")
_QUARTER_AFTER = re.compile(_YEAR + "[-/_]?" + _QUARTER)
_QUARTER_BEFORE = re.compile(r"q(?P<q>[0-9])[-/_]?(?P<year>[0-9]{4})")
# 2021-1/2021-11, 2021-01, 2021年1-11月, 2021年1月至11月, 2021年1月-2022年2月, 2021年3月
_MONTHS = re.compile(
    r"(?P<year>[0-9]{4})[-/年](?P<m1>[0-9]{1,2})月?"
    r"(?:[-~至到/](?:(?P<year2>[0-9]{4})[-/年])?(?P<m2>[0-9]{1,2})月?)?"
)
# Parts of a year the report's kind of text names by word, as the months they are.
_NAMED_MONTHS = {"上半年": (1, 6), "下半年": (7, 12), "前三季度": (1, 9)}
_NAMED = re.compile(_YEAR + "(?P<part>" + "|".join(_NAMED_MONTHS) + ")")
# Dashes and tildes a person may put between two months, as one hyphen.
_RANGE_MARKS = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u301c", "-"))


def _plain(text: str) -> str:
    """`text` with full-width characters as ASCII, dashes as '-', no spaces, lower case."""
    folded = unicodedata.normalize("NFKC", text).translate(_RANGE_MARKS)
    return "".join(folded.split()).lower()


def _quarter(number: str) -> int:
    return _CHINESE_DIGITS.get(number) or int(number)


def read(text: str) -> str | None:
    """The stored spelling of the period `text` is typed as, or None if it reads as none
    (it may still be an invalid period: `2022Q5` reads as `2022-Q5`)."""
    plain = _plain(text)
    if match := _WHOLE_YEAR.fullmatch(plain):
        return match["year"]
    if match := _QUARTER_AFTER.fullmatch(plain) or _QUARTER_BEFORE.fullmatch(plain):
        number = match["q"] or match.groupdict().get("n")
        return f"{match['year']}-Q{_quarter(number)}" if number else None
    if match := _NAMED.fullmatch(plain):
        first, last = _NAMED_MONTHS[match["part"]]
        return f"{match['year']}-{first:02}/{match['year']}-{last:02}"
    if _DATE.fullmatch(plain):
        return None  # 2021-03-15 is a day, not the months from March to the 15th
    if match := _MONTHS.fullmatch(plain):
        year, first = match["year"], int(match["m1"])
        last = int(match["m2"]) if match["m2"] else first
        return f"{year}-{first:02}/{match['year2'] or year}-{last:02}"
    return None


def closest(text: str) -> str | None:
    """The stored period nearest to `text`: its year, with the quarter it names brought into
    1 to 4, or the months it names brought into 1 to 12 and put in order (a date's month
    for a date); None if it holds no year (four digits, not 0000)."""
    plain = _plain(text)
    runs = list(re.finditer(r"[0-9]+", plain))
    start = next((i for i, run in enumerate(runs) if _a_year(run.group())), None)
    if start is None:
        return None
    year = runs[start].group()[:4]
    after = plain[runs[start].start() + 4 :]
    if "q" in after or "季" in after:
        named = re.search("[0-9" + "".join(_CHINESE_DIGITS) + "]", after)
        return f"{year}-Q{min(max(_quarter(named.group()), 1), 4)}" if named else year
    if date := _DATE.fullmatch(plain):
        return _months(year, int(date["month"]), year, int(date["month"]))
    years, months = [year], []
    for index, match in enumerate(runs[start:], start):
        run = match.group()
        if len(run) >= 4:  # a year, and the month its digits go on to (202201: 2022-01)
            if index > start and _a_year(run) and len(years) < 2:
                years.append(run[:4])
            if len(run) >= 6:
                months.append(int(run[4:6]))
        elif len(run) <= 2:
            months.append(int(run))
    if not months:
        return year
    return _months(year, months[0], years[-1], months[-1])


_DATE = re.compile(r"[0-9]{4}-(?P<month>[0-9]{1,2})-[0-9]{1,2}")


def _a_year(run: str) -> bool:
    return len(run) >= 4 and run[:4] != "0000"


def _months(year: str, first: int, second: str, last: int) -> str:
    """A month range, its months brought into 1 to 12 and its ends put in order."""
    first, last = (min(max(month, 1), 12) for month in (first, last))
    if (second, last) < (year, first):
        year, first, second, last = second, last, year, first
    return f"{year}-{first:02}/{second}-{last:02}"
