"""Numbers in Chinese text as a reader of the report sees them: the one tokenizer of numbers.

A number is a whole token: `340.12亿元` holds 340.12 (in 亿元), not 340.1, 40.12 or 34. Digits
may be full-width and grouped by thousands (`1,234万美元` holds 1234); Chinese numerals count
too (五大工业领域 holds 5, 千亿元级 1000 in 亿元, 二〇二一年 2021). Each token keeps the unit
written right after it (亿元, %, 个百分点, 年, 季度, …), whether it is an ordinal (第2位), and
whether the words before it make it negative (下降3.2%). Every rule that reads a number out of
a quote asks here (`dzcli.model.quoted`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal
from typing import NamedTuple

from dzcli.model.units import UNITS

# Unit words a number may be followed by, longest first so 万美元 wins over 万 and 个百分点
# over 个: the store's own units, then the words rates, ranks and dates use.
UNIT_WORDS: tuple[str, ...] = tuple(
    sorted(
        {*UNITS, "个百分点", "百分点", "季度", "月", "日", "位", "项", "万", "亿"},
        key=len,
        reverse=True,
    )
)
_DIGITS = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?![0-9])")
_NUMERAL_DIGITS = {  # \u3007 is the ideographic zero of 二\u3007二一 (2021)
    "零": 0, "\u3007": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10**4, "亿": 10**8}
_NUMERAL = frozenset(_NUMERAL_DIGITS) | frozenset(_SMALL_UNITS) | frozenset(_BIG_UNITS)
_STARTS_NUMERAL = _NUMERAL - frozenset(_BIG_UNITS)  # 万 and 亿 alone are scales, not numbers
# What follows a lone numeral (五大, 一个, 三家) for it to count: 一般 and 统一 do not.
_MEASURE_WORDS = frozenset("大个家项条位名种类次座所倍")
_DECLINE = ("下降", "减少", "下滑", "回落", "降低", "负增长", "缩减", "收窄")
_GROWTH = ("增长", "增加", "提高", "上升", "提升", "增幅")
# How far before a number (in characters) to look for the verb that says which way it goes:
# the nearest of 增长 and 下降 (同比下降了3.2%; 增长5% after a decline is not one).
_VERB_REACH = 8


class Token(NamedTuple):
    value: Decimal
    start: int  # where it is in `normalized(text)`
    end: int
    unit: str | None  # the unit word written right after it, if any (亿元, %, 年, 季度, …)
    ordinal: bool  # written 第N
    negative: bool  # a minus sign, or a word of decline shortly before it
    numeral: bool  # written in Chinese numerals


@functools.lru_cache(maxsize=4096)
def normalized(text: str) -> str:
    """`text` as numbers are read from it: NFKC (full-width digits, percent signs and commas
    made ASCII), without whitespace (a line break in the report splits no number)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@functools.lru_cache(maxsize=4096)  # an import's rows often quote the same words
def tokens(text: str) -> tuple[Token, ...]:
    """Every number in `text`, in order (positions are those of `normalized(text)`)."""
    flat = normalized(text)
    found: list[Token] = []
    at = 0
    while at < len(flat):
        char = flat[at]
        if char.isascii() and char.isdigit():
            match = _DIGITS.match(flat, at)
            if match is None or (at > 0 and flat[at - 1] in "0123456789."):
                at += 1
                continue
            value = Decimal(match.group().replace(",", ""))
            found.append(_token(flat, value, at, match.end(), numeral=False))
        elif char in _STARTS_NUMERAL:
            end = at
            while end < len(flat) and flat[end] in _NUMERAL:
                end += 1
            end = _numeral_end(flat, at, end)
            number = numeral_value(flat[at:end])
            if number is None or (
                end - at == 1
                and flat[end : end + 1] not in _MEASURE_WORDS
                and _unit_at(flat, end) is None
            ):
                at = end  # 十十, 十四五: no one number; 一般, 统一: words, not numbers
                continue
            found.append(_token(flat, Decimal(number), at, end, numeral=True))
        else:
            at += 1
            continue
        at = found[-1].end + len(found[-1].unit or "")  # past its unit: 个百分点 holds no 百
    return tuple(found)


def _numeral_end(flat: str, start: int, end: int) -> int:
    """Where a run of numerals ends as a number: 千亿元 is 千 in 亿元 (a run that ends in a
    scale which begins a unit leaves the scale to the unit)."""
    if end - start > 1 and flat[end - 1] in _BIG_UNITS:
        unit = _unit_at(flat, end - 1)
        if unit is not None and unit not in _BIG_UNITS:
            return end - 1
    return end


def numeral_value(text: str) -> int | None:
    """A number written in Chinese numerals (三十五 35, 两千 2000, 二〇二一 2021, 千 1000), or
    None for a run that is not one (十十)."""
    if not text or any(char not in _NUMERAL for char in text):
        return None
    if all(char in _NUMERAL_DIGITS for char in text):  # 二〇二一: digit by digit
        return int("".join(str(_NUMERAL_DIGITS[char]) for char in text))
    total = section = digit = 0
    last_small = last_big = 10**12
    previous = ""
    for char in text:
        if char in _NUMERAL_DIGITS:
            if previous in _NUMERAL_DIGITS and _NUMERAL_DIGITS[previous] != 0:
                return None  # 十四五: two digits side by side in a positional number
            digit = _NUMERAL_DIGITS[char]
        elif char in _SMALL_UNITS:
            scale = _SMALL_UNITS[char]
            if scale >= last_small:
                return None
            section += (digit or 1) * scale
            digit, last_small = 0, scale
        else:
            scale = _BIG_UNITS[char]
            if scale >= last_big:
                return None
            total += (section + digit or 1) * scale
            section = digit = 0
            last_small, last_big = 10**12, scale
        previous = char
    return total + section + digit


def _token(flat: str, value: Decimal, start: int, end: int, *, numeral: bool) -> Token:
    minus = start > 0 and flat[start - 1] == "-" and (start < 2 or not flat[start - 2].isdigit())
    ordinal = start > 0 and flat[start - 1] == "第"
    # The nearest verb of direction before it decides: one of decline makes it negative.
    before = flat[max(0, start - _VERB_REACH) : start]
    declines = max(map(before.rfind, _DECLINE)) > max(map(before.rfind, _GROWTH))
    return Token(value, start, end, _unit_at(flat, end), ordinal, minus or declines, numeral)


def _unit_at(flat: str, at: int) -> str | None:
    return next((word for word in UNIT_WORDS if flat.startswith(word, at)), None)
