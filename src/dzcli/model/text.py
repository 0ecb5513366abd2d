"""Text shown literally: the one escaper for tables, Markdown, error lines and `dz check`."""

from __future__ import annotations

# Characters Python does not call printable but a terminal shows as what they are: spaces of
# other widths (no-break, ideographic 　) and private-use glyphs. Everything else Python does
# not call printable is escaped: C0 and C1 controls (which move the cursor or recolour the
# terminal), line breaks (LF, CR, NEL, U+2028, U+2029: they would split a row or a report
# line), bidirectional marks and overrides (they reorder the line), other invisible format
# characters (zero-width spaces), lone surrogates and unassigned code points.
_SHOWN_AS_IS = frozenset("\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007")
_SHOWN_AS_IS |= frozenset("\u2008\u2009\u200a\u202f\u205f\u3000")


def _shown_as_is(char: str, keep_tabs: bool) -> bool:
    if char.isprintable() or char in _SHOWN_AS_IS:
        return True
    if char == "\t":
        return keep_tabs
    code = ord(char)
    return 0xE000 <= code <= 0xF8FF or code >= 0xF0000  # private use


def visible(text: str, *, keep_tabs: bool = False) -> str:
    """`text` as one line that shows every character it holds, each hidden or acting one as
    the escape Python would write for it (`\\x1b`, `\\n`, `\\u202e`); `keep_tabs` leaves
    tabs alone, for a table cell (elsewhere a tab is written `\\t`)."""
    if text.isprintable():  # nearly every text dz shows: nothing to look at one by one
        return text
    return "".join(char if _shown_as_is(char, keep_tabs) else repr(char)[1:-1] for char in text)
