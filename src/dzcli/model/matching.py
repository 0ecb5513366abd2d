"""Resolve what a user typed (an id, a Chinese or English name, or part of one) to one record."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping, Sequence

from dzcli.model.errors import LookupFailed


def fold(text: str) -> str:
    """`text` as dz compares it with what a user typed: NFKC-normalised and case-folded, so
    `Café` finds `Café` written decomposed, and full-width Latin letters find ASCII ones."""
    if text.isascii():
        return text.casefold()  # NFKC leaves ASCII as it is
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def resolve(term: str, names: Mapping[str, Sequence[str]], what: str) -> str:
    """The id whose id or names (`names[id]`) equal `term` ignoring case, else the only one
    containing it; LookupFailed with a "did you mean" for an ambiguous or unknown term."""
    wanted = fold(term.strip())
    spellings = {key: [key, *(n for n in values if n)] for key, values in names.items()}
    exact = [key for key, spelled in spellings.items() if any(wanted == fold(s) for s in spelled)]
    if len(exact) == 1:
        return exact[0]
    partial = exact or [
        key
        for key, spelled in spellings.items()
        if wanted and any(wanted in fold(s) for s in spelled)
    ]
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise LookupFailed(
            f"{what} {term!r} is ambiguous: it matches {len(partial)}; did you mean "
            + ", ".join(_label(key, spellings[key]) for key in partial)
            + "?",
            candidates=partial,
        )
    raise unknown(term, spellings, what)


def unknown(term: str, names: Mapping[str, Sequence[str]], what: str) -> LookupFailed:
    """The error for a term that names nothing: close spellings, else every choice."""
    by_spelling = {s: key for key, spelled in names.items() for s in [key, *spelled] if s}
    close = difflib.get_close_matches(term, list(by_spelling), n=3, cutoff=0.5)
    keys = list(dict.fromkeys(by_spelling[s] for s in close))
    if keys:
        hint = "did you mean " + " or ".join(_label(k, names[k]) for k in keys) + "?"
    elif names:
        hint = "choose from " + ", ".join(names)
    else:
        hint = f"the store has no {what} to choose from"
    return LookupFailed(f"no {what} matches {term!r}; {hint}", candidates=keys or list(names))


def _label(key: str, spelled: Sequence[str]) -> str:
    others = [s for s in spelled if s != key]
    return f"{others[0]} ({key})" if others else key
