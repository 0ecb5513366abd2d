"""The rules that tie a written fact to a registered source: each of its quotes is in the
source's text (compared after NFKC normalisation and without whitespace, so a full-width
digit or a line break in the report does not hide a match), and its numbers and period are
what its quote says (`dzcli.model.quoted`, through the one tokenizer of numbers)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from dzcli.model import quoted
from dzcli.model.errors import WriteRefused

Record = dict[str, Any]
SOURCES = "sources"


def flat(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def source_text(sources_dir: Path, source_id: str, file: str) -> str:
    """The text of a registered source, from the store's sources folder."""
    path = sources_dir / file
    if Path(file).name != file:
        raise WriteRefused(f"provenance: source {source_id}'s file {file!r} is not a file name")
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise WriteRefused(
            f"provenance: the text of source {source_id} cannot be read ({path}: {reason}); "
            "register it with `dz source add`"
        ) from None
    except UnicodeDecodeError:
        raise WriteRefused(f"provenance: the text of source {source_id} is not UTF-8") from None


def require_quote(quote: str, text: str, source_id: str, *, text_is_flat: bool = False) -> None:
    """`quote` is in `text` (`text_is_flat`: already `flat`, as `Sources` keeps it)."""
    words = flat(quote)
    if not words:
        raise WriteRefused("provenance: the quote is empty")
    if words not in (text if text_is_flat else flat(text)):
        raise WriteRefused(
            f"provenance: the quote is not in the text of {source_id} "
            "(compared without whitespace, after NFKC normalisation)"
        )


class Sources:
    """The registered sources a write cites, looked up once each: their records and texts."""

    def __init__(self, write: Any) -> None:
        self._write = write  # a dzcli.writes.session.Write
        self._records: dict[str, Record | None] = {}
        self._texts: dict[str, str] = {}

    def record(self, doc: str) -> Record:
        if doc not in self._records:
            cited = self._write.records(SOURCES, doc, field="id")
            self._records[doc] = next((r for _, r in cited if r.get("id") == doc), None)
        found = self._records[doc]
        if found is None:
            raise WriteRefused(f"reference: {doc!r} is not a registered source (see `dz sources`)")
        return found

    def flat_text(self, doc: str) -> str:
        """The source's text as quotes are sought in it (`flat`), made once per write: an
        import of 10,000 rows seeks as many quotes in it."""
        if doc not in self._texts:
            source = self.record(doc)
            text = source_text(self._write.sources_dir, doc, str(source.get("file")))
            self._texts[doc] = flat(text)
        return self._texts[doc]

    def year(self, doc: str) -> int | None:
        return quoted.source_year(self.record(doc))


def in_row(where: str) -> Callable[[str], str]:
    """How an import names a field in its errors: "row 3, field value: "."""
    return lambda field: f"{where}, field {field}: "


class Problem(NamedTuple):
    field: str  # the path of the field in the record: "value", "source.quote", …
    message: str  # led by the rule's family: "provenance: …", "reference: …"


def require_sourced(
    record: Record, sources: Sources, name: Callable[[str], str], before: Record | None = None
) -> None:
    """Every quote of `record` (its source's, further ones, its figures') is in its source's
    text, and its numbers and period are what its quote says; else WriteRefused, its message
    led by `name(field)` (`in_row`, or the option a command took the field from). With
    `before` (the record as stored, for an update), only what it did not already break."""
    found = problems(record, sources)
    if found and before is not None:
        old = set(problems(before, sources))
        found = [problem for problem in found if problem not in old]
    if found:
        raise WriteRefused(name(found[0].field) + found[0].message)


def problems(record: Record, sources: Sources) -> list[Problem]:
    """What ties `record` to no registered source: a source that is not registered, a quote
    not in its source's text, a number or period its quote does not give."""
    found: list[Problem] = []
    for at, doc, quote in _cited(record):
        if not isinstance(doc, str) or not isinstance(quote, str):
            continue  # the validator says so
        try:
            sources.record(doc)
        except WriteRefused as error:
            found.append(Problem(at + "doc", str(error)))
            continue
        try:
            require_quote(quote, sources.flat_text(doc), doc, text_is_flat=True)
        except WriteRefused as error:
            found.append(Problem(at + "quote", str(error)))
    docs = {doc for _, doc, _ in _cited(record) if isinstance(doc, str)}
    years = {doc: _year(sources, doc) for doc in docs}
    found.extend(
        Problem(problem.field, f"provenance: {problem.message}")
        for problem in quoted.problems(record, years)
    )
    return found


def _year(sources: Sources, doc: str) -> int | None:
    try:
        return sources.year(doc)
    except WriteRefused:
        return None  # not registered: said once, above


def _cited(record: Record) -> Iterator[tuple[str, object, object]]:
    """(where, doc, quote) of every quote of a record and of its figures, `where` the path of
    the object that holds both ("source.", "quotes[0].", "figures[1].source.")."""
    for at, part in _parts(record):
        source = part.get("source")
        if isinstance(source, dict):
            yield f"{at}source.", source.get("doc"), source.get("quote")
        for index, extra in enumerate(part.get("quotes") or []):
            if isinstance(extra, dict):
                yield f"{at}quotes[{index}].", extra.get("doc"), extra.get("quote")


def _parts(record: Record) -> Iterator[tuple[str, Record]]:
    yield "", record
    for index, figure in enumerate(record.get("figures") or []):
        if isinstance(figure, dict):
            yield f"figures[{index}].", figure
