"""Provenance rules: every quote says something, and with `--sources` is found in its text."""

from __future__ import annotations

import os
import stat
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import NamedTuple

from dzcli.check.view import Finding, Part, StoreView, clip, flat, source_doc
from dzcli.model.limits import MAX_SOURCE_BYTES

# Characters that show nothing: controls, format characters (zero-width spaces and joiners,
# bidi marks, the BOM) and separators (spaces, line and paragraph separators).
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


def readable_sources(view: StoreView) -> Iterator[Finding]:
    """With `--sources DIR`: each source's file is a plain name in DIR, a regular file of at
    most MAX_SOURCE_BYTES, in UTF-8. What is read is kept for `quotes_in_sources`."""
    if view.sources_dir is None:
        return
    for record in view.records("sources"):
        source_id, file = record.get("id"), record.get("file")
        if not isinstance(source_id, str) or not isinstance(file, str) or not file.strip():
            continue  # the validator has said so
        if Path(file).name != file or file in (".", ".."):
            message = f"file {file!r} must be a file name inside the sources directory"
            yield Finding("sources", record, message)
            continue
        path = view.sources_dir / file
        try:
            view.source_texts[source_id] = flat(_read_source(path).decode("utf-8"))
        except _Unreadable as error:
            yield Finding("sources", record, f"cannot read source text {path}: {error}")
        except UnicodeDecodeError as error:
            message = f"source text {path} is not UTF-8 (invalid byte at offset {error.start})"
            yield Finding("sources", record, message)


class _Unreadable(Exception):
    """Why a source text cannot be read."""


def _read_source(path: Path) -> bytes:
    """The bytes of a source text. Opened without blocking (a FIFO would wait for a writer),
    then refused unless it is a regular file no larger than MAX_SOURCE_BYTES."""
    too_big = f"larger than {MAX_SOURCE_BYTES >> 20} MiB"
    try:
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as f:
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise _Unreadable("not a regular file")
            if info.st_size > MAX_SOURCE_BYTES:
                raise _Unreadable(too_big)
            raw = f.read(MAX_SOURCE_BYTES + 1)  # the file may grow after fstat
    except OSError as error:
        raise _Unreadable((error.strerror or str(error)).lower()) from None
    if len(raw) > MAX_SOURCE_BYTES:
        raise _Unreadable(too_big)
    return raw


def quotes_in_sources(view: StoreView) -> Iterator[Finding]:
    """With `--sources DIR`: each quote (`source.quote` and every `quotes[].quote`) is in its
    source's text, whitespace removed from both."""
    texts = view.source_texts

    @cache
    def sentences(doc: str) -> frozenset[str]:
        # A quote that is a whole sentence (up to a 。) is found by one look-up, not a search
        # through the text: a big store quotes a quarter million of them.
        return frozenset(texts[doc].split("。"))

    for cited in _quotes(view):
        if cited.doc in texts:
            quote = flat(cited.quote)
            if quote in sentences(cited.doc) or quote in texts[cited.doc]:
                view.quotes_found += 1
            else:
                message = f"{cited.where} {clip(cited.quote)!r} is not in the text of {cited.doc}"
                yield cited.part.finding(message)


def visible_quotes(view: StoreView) -> Iterator[Finding]:
    """A quote has a character that shows: not only spaces, zero-width or format characters."""
    for cited in _quotes(view):
        if unicodedata.category(cited.quote[0]) not in INVISIBLE_CATEGORIES:
            continue  # the common case, without a generator per quote
        if all(unicodedata.category(char) in INVISIBLE_CATEGORIES for char in cited.quote):
            message = f"{cited.where} {cited.quote!r} holds only invisible characters"
            yield cited.part.finding(message)


def supported_fields(view: StoreView) -> Iterator[Finding]:
    """A further quote names the field of its record it supports (note, role, period, …)."""
    for part in view.parts:
        for index, extra in enumerate(_extra_quotes(part.body)):
            supports = extra.get("supports")
            if isinstance(supports, str) and supports not in part.body:
                message = f"{part.at}quotes[{index}].supports {supports!r} is not a field here"
                yield part.finding(message)


def names_from_the_report(view: StoreView) -> Iterator[Finding]:
    """With `--sources DIR`: a Chinese name not marked as dz's own label (`name_zh_by_dz`) is
    found in its source's text, as written."""
    texts = view.source_texts
    for part in view.parts:
        name, doc = part.body.get("name_zh"), source_doc(part.body)
        if part.body.get("name_zh_by_dz") is not False or not isinstance(name, str):
            continue
        if doc in texts and flat(name) not in texts[doc]:
            message = (
                f"{part.at}name_zh {clip(name)!r} is not in the text of {doc}; "
                "mark it name_zh_by_dz if it is dz's own label"
            )
            yield part.finding(message)


class Cited(NamedTuple):
    part: Part
    position: int  # of the further quote (among those that are objects); -1 for the source's
    doc: str
    quote: str

    @property
    def where(self) -> str:
        """Where the quote is: "source.quote", "figures[0].quotes[1].quote", …"""
        cited = "source" if self.position < 0 else f"quotes[{self.position}]"
        return f"{self.part.at}{cited}.quote"


def _quotes(view: StoreView) -> Iterator[Cited]:
    """Every quote of every part that is not blank (the validator reports those): its source's,
    then its further quotes."""
    for part in view.parts:
        source = part.body.get("source")
        cited = [(-1, source)] if isinstance(source, dict) else []
        if part.body.get("quotes"):  # none further is the common case
            cited += enumerate(_extra_quotes(part.body))
        for position, citation in cited:
            quote, doc = citation.get("quote"), citation.get("doc")
            if isinstance(quote, str) and quote.strip():
                yield Cited(part, position, doc if isinstance(doc, str) else "", quote)


def _extra_quotes(body: dict[str, object]) -> list[dict[str, object]]:
    extra = body.get("quotes")
    return [q for q in extra if isinstance(q, dict)] if isinstance(extra, list) else []
