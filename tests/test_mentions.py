"""The byte-level narrowing of `dz search` (dzcli.mentions) never leaves out a record that holds
the word once folded, whatever the characters around it."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from dzcli.mentions import _BATCH, may_mention
from dzcli.model.matching import fold


def body(*texts: str) -> bytes:
    """A record's bytes as a dz store holds them: UTF-8, indented, nothing escaped that need
    not be (json escapes quotes, backslashes and control characters)."""
    record = {"id": "r", "note": list(texts)}
    return json.dumps(record, ensure_ascii=False, indent=6).encode("utf-8")


def holds(texts: tuple[str, ...], word: str) -> bool:
    return any(word in fold(text) for text in texts)


# Characters that folding changes, or that combine: what the narrowing must not be fooled by.
TRICKY = (
    "，：；（）"  # full-width punctuation: NFKC makes it ASCII
    "\uff21\uff22\uff43"  # full-width letters
    "ﬁﬂ"  # ligatures: fold to two letters
    "\u212a\u212b"  # Kelvin and Angstrom signs
    "ß\u0130"  # case folding to two characters
    "e\u0301\u0308"  # a letter and combining marks: NFKC composes them
    "\u1100\u1161\u11a8\uac00"  # Hangul jamo and a syllable: they compose
    "①②…‥"  # enclosed numbers and leaders: NFKC spells them out
    "“”、。《》·—"  # Chinese punctuation that folding keeps
    "德州开发区GDPgdp"
    '"\\\n'  # what JSON escapes
)
any_character = st.characters(exclude_categories=("Cs",))  # UTF-8 cannot hold surrogates
texts = st.text(alphabet=st.sampled_from(TRICKY) | any_character, max_size=12)


@given(records=st.lists(st.lists(texts, min_size=1, max_size=3), max_size=6), word=texts)
@settings(max_examples=400)
def test_no_record_holding_the_word_is_left_out(records: list[list[str]], word: str) -> None:
    folded = fold(word)
    if not folded:
        return
    kept = set(may_mention([body(*texts) for texts in records], folded))
    for index, texts in enumerate(records):
        if holds(tuple(texts), folded):
            assert index in kept, (texts, folded)


def test_plain_records_without_the_word_are_left_out() -> None:
    records = [body("德州经济技术开发区“十强”产业"), body("GDP of the zone"), body("南宁")]
    assert may_mention(records, fold("德州")) == [0]
    assert may_mention(records, fold("gdp")) == [1]
    assert may_mention(records, fold("上海")) == []


def test_folding_that_makes_a_match_keeps_the_record() -> None:
    records = [
        body("一，二"),  # the full-width comma folds to ","
        body("e\u0301"),  # composes to é
        body("\ufb01nance"),  # the ligature ﬁ folds to "fi"
        body("\u212a"),  # the Kelvin sign folds to "k"
        body("unrelated"),
        body("\u1100\u1161"),  # two jamo: NFKC composes them into the syllable 가
    ]
    # The combining mark and the jamo keep their records whatever the word (1 and 5); the
    # plain record is never kept.
    assert may_mention(records, fold("一,二")) == [0, 1, 5]
    assert may_mention(records, fold("é")) == [1, 5]
    assert may_mention(records, fold("finance")) == [1, 2, 5]
    assert may_mention(records, "k") == [1, 3, 5]
    assert may_mention(records, "\uac00") == [1, 5]


def test_characters_folding_away_from_the_word_do_not_keep_a_record() -> None:
    """A full-width comma cannot make "德州"; a record of Chinese prose is not kept for it."""
    assert may_mention([body("一，二。三“四”")], fold("德州")) == []


def test_records_are_found_across_batches() -> None:
    records = [body(f"record {n}") for n in range(_BATCH * 2 + 3)]
    wanted = [5, _BATCH, _BATCH * 2 + 2]
    for n in wanted:
        records[n] = body("德州")
    assert may_mention(records, "德州") == wanted
