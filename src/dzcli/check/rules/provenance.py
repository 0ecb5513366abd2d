"""Provenance rules: every quote says something, and with `--sources` is found in its text."""

from __future__ import annotations

import os
import stat
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from dzcli.check.view import Finding, Part, StoreView, clip, flat
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
            raw = read_source(path)
        except SourceUnreadable as error:
            yield Finding("sources", record, str(error))
            continue
        try:
            view.source_texts[source_id] = flat(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            message = f"source text {path} is not UTF-8 (invalid byte at offset {error.start})"
            yield Finding("sources", record, message)


class SourceUnreadable(Exception):
    """A source text that cannot be read, with the reason as its message."""


def read_source(path: Path) -> bytes:
    """The bytes of a source text. Opened without blocking (a FIFO would wait for a writer),
    then refused unless it is a regular file no larger than MAX_SOURCE_BYTES."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise SourceUnreadable(f"cannot read source text {path}: {_reason(error)}") from None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SourceUnreadable(f"cannot read source text {path}: not a regular file")
        if info.st_size > MAX_SOURCE_BYTES:
            raise SourceUnreadable(_too_big(path))
        try:
            raw = f.read(MAX_SOURCE_BYTES + 1)  # the file may grow after fstat
        except OSError as error:
            raise SourceUnreadable(f"cannot read source text {path}: {_reason(error)}") from None
    if len(raw) > MAX_SOURCE_BYTES:
        raise SourceUnreadable(_too_big(path))
    return raw


def _too_big(path: Path) -> str:
    return f"cannot read source text {path}: larger than {MAX_SOURCE_BYTES >> 20} MiB"


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def quotes_in_sources(view: StoreView) -> Iterator[Finding]:
    """With `--sources DIR`: each quote (`source.quote` and every `quotes[].quote`) is in its
    source's text, whitespace removed from both."""
    texts = view.source_texts
    sentences = _Sentences(texts)
    for cited in _quotes(view):
        if cited.doc in texts:
            quote = flat(cited.quote)
            if quote in sentences.of(cited.doc) or quote in texts[cited.doc]:
                view.quotes_found += 1
            else:
                message = f"{cited.where} {clip(cited.quote)!r} is not in the text of {cited.doc}"
                yield Finding(cited.part.table, cited.part.record, message)


class _Sentences:
    """The sentences of each source text (up to each 。), made when first asked for: a quote
    that is a whole sentence is found by one look-up, not a search through the text (a big
    store quotes a quarter million of them)."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts
        self._made: dict[str, frozenset[str]] = {}

    def of(self, doc: str) -> frozenset[str]:
        found = self._made.get(doc)
        if found is None:
            found = self._made[doc] = frozenset(self.texts[doc].split("。"))
        return found


def visible_quotes(view: StoreView) -> Iterator[Finding]:
    """A quote has a character that shows: not only spaces, zero-width or format characters."""
    for cited in _quotes(view):
        if unicodedata.category(cited.quote[0]) not in INVISIBLE_CATEGORIES:
            continue  # the common case, without a generator per quote
        if all(unicodedata.category(char) in INVISIBLE_CATEGORIES for char in cited.quote):
            message = f"{cited.where} {cited.quote!r} holds only invisible characters"
            yield Finding(cited.part.table, cited.part.record, message)


def supported_fields(view: StoreView) -> Iterator[Finding]:
    """A further quote names the field of its record it supports (note, role, period, …)."""
    for part in view.parts:
        for index, extra in enumerate(_extra_quotes(part.body)):
            supports = extra.get("supports")
            if isinstance(supports, str) and supports not in part.body:
                message = f"{part.at}quotes[{index}].supports {supports!r} is not a field here"
                yield Finding(part.table, part.record, message)


def names_from_the_report(view: StoreView) -> Iterator[Finding]:
    """With `--sources DIR`: a Chinese name not marked as dz's own label (`name_zh_by_dz`) is
    found in its source's text, as written."""
    texts = view.source_texts
    for part in view.parts:
        name, source = part.body.get("name_zh"), part.body.get("source")
        doc = source.get("doc") if isinstance(source, dict) else None
        if part.body.get("name_zh_by_dz") is not False or not isinstance(name, str):
            continue
        if isinstance(doc, str) and doc in texts and flat(name) not in texts[doc]:
            message = (
                f"{part.at}name_zh {clip(name)!r} is not in the text of {doc}; "
                "mark it name_zh_by_dz if it is dz's own label"
            )
            yield Finding(part.table, part.record, message)


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
    """Every quote of every part that is text with something besides whitespace (the validator
    reports a missing or blank one): its source's, then its further quotes."""
    for part in view.parts:
        body = part.body
        source = body.get("source")
        if isinstance(source, dict):
            quote, doc = source.get("quote"), source.get("doc")
            if isinstance(quote, str) and quote.strip():
                yield Cited(part, -1, doc if isinstance(doc, str) else "", quote)
        if not body.get("quotes"):
            continue  # none further, the common case
        for index, extra in enumerate(_extra_quotes(body)):
            quote, doc = extra.get("quote"), extra.get("doc")
            if isinstance(quote, str) and quote.strip():
                yield Cited(part, index, doc if isinstance(doc, str) else "", quote)


def _extra_quotes(body: dict[str, object]) -> list[dict[str, object]]:
    extra = body.get("quotes")
    return [q for q in extra if isinstance(q, dict)] if isinstance(extra, list) else []
