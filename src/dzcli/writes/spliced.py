"""One table of a store in the one form (`dzcli.writes.layout`), kept as the file's bytes, with
the records a write touches parsed on top: what lets a write to a store of 250,000 statistics
parse, search and write back only what it touches (benchmarks/bench.py).

In the one form a record's first line is `\\n    "ID": {` and its last `\\n    }` (strings in
JSON never hold a raw line break, and everything inside a record is indented deeper), so a
record is found around any byte of it without reading the others, and a search for a value is
one scan of the bytes (`bytes.find`), not a parse of every record.

The table is a mutable mapping, document id → record, as TinyDB's tables are: reading a record
parses it and keeps it (TinyDB updates it in place); `changes()` gives what differs from the
file, so the writer splices only those records' bytes into it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from typing import Any

from dzcli.model.errors import StoreError

RECORD_START = b'\n    "'
RECORD_END = b"\n    }"
_RECORD_KEY = re.compile(rb'\n    "(\d+)": \{')

_LOOKUPS_BEFORE_INDEX = 3
"""Records sought by document id (one scan of the bytes each) before all are indexed at once."""

Span = tuple[int, int]
"""Where a record's line begins (its "\\n") and where its closing brace ends."""


class SplicedTable(MutableMapping[str, Any]):
    """A table whose records are `raw[start:end]` (empty when start == end), plus the records
    read, changed or added since, by document id."""

    def __init__(self, raw: bytes = b"", start: int = 0, end: int = 0) -> None:
        self.raw, self.start, self.end = raw, start, end
        self._now: dict[str, Any] = {}  # parsed, changed or added, by document id
        self._spans: dict[str, Span | None] = {}  # where a document id is in raw (None: not)
        self._gone: set[str] = set()
        self._index: dict[str, Span] | None = None
        self._lookups = 0
        self._last: int | None = None  # the document id of the file's last record
        self._greatest_set = 0  # the greatest document id set here

    @property
    def size(self) -> int:
        """The bytes of the table's records in the file."""
        return self.end - self.start

    # -- mapping ---------------------------------------------------------------------------

    def __getitem__(self, doc_id: object) -> Any:
        """The record, kept parsed: TinyDB changes what it is handed in place."""
        key = str(doc_id)
        if key not in self._now:
            self._now[key] = self.peek(key)
        return self._now[key]

    def __setitem__(self, doc_id: object, record: Any) -> None:
        key = str(doc_id)
        self._gone.discard(key)
        self._now[key] = record
        if key.isdigit():
            self._greatest_set = max(self._greatest_set, int(key))

    def __delitem__(self, doc_id: object) -> None:
        key = str(doc_id)
        if key not in self:
            raise KeyError(doc_id)
        self._now.pop(key, None)
        if self._span(key) is not None:
            self._gone.add(key)

    def __contains__(self, doc_id: object) -> bool:
        key = str(doc_id)
        return key in self._now or (key not in self._gone and self._span(key) is not None)

    def __iter__(self) -> Iterator[str]:
        in_file = self._full_index()
        yield from (key for key in in_file if key not in self._gone)
        yield from (key for key in list(self._now) if key not in in_file)

    def __len__(self) -> int:
        in_file = self._full_index()
        added = sum(1 for key in self._now if key not in in_file)
        return len(in_file) - len(self._gone) + added

    def clear(self) -> None:
        self._now.clear()
        self._gone.update(self._full_index())

    # -- what a write asks -----------------------------------------------------------------

    def peek(self, doc_id: object) -> dict[str, Any]:
        """A record as it is now, without keeping it parsed: a read that changes nothing
        leaves nothing for the write to compare or search again."""
        key = str(doc_id)
        if key in self._now:
            return self._now[key]  # type: ignore[no-any-return]
        span = None if key in self._gone else self._span(key)
        if span is None:
            raise KeyError(doc_id)
        return self._parse(key, span)

    def original(self, doc_id: str) -> dict[str, Any] | None:
        """The record as the file holds it (a fresh copy), or None if the file has none."""
        span = self._span(str(doc_id))
        return None if span is None else self._parse(str(doc_id), span)

    def originals(self) -> dict[str, dict[str, Any]]:
        """Every record as the file holds it."""
        return {key: self._parse(key, span) for key, span in self._full_index().items()}

    def mentioning(self, needles: Iterable[bytes]) -> Iterator[str]:
        """The document ids of the records whose text holds one of `needles` (those in the
        file found by one scan of its bytes, then every one added or handed out to be changed
        here), each once."""
        find = self._finder(needles)
        seen: set[str] = set()
        at = find(self.start)
        while at >= 0:
            key, span = self._record_around(at)
            if key not in seen and key not in self._gone:
                seen.add(key)
                yield key
            at = find(span[1])
        yield from (key for key in list(self._now) if key not in seen)

    def _finder(self, needles: Iterable[bytes]) -> Callable[[int], int]:
        """Where the first of `needles` is from a position on (-1: nowhere): bytes.find for
        one; for more, one regular expression, one scan whatever their number."""
        unique = sorted(set(needles))
        if not unique:
            return lambda at: -1
        if len(unique) == 1:
            return lambda at: self.raw.find(unique[0], at, self.end)
        pattern = re.compile(b"|".join(re.escape(needle) for needle in unique))

        def find(at: int) -> int:
            match = pattern.search(self.raw, at, self.end)
            return -1 if match is None else match.start()

        return find

    def next_doc_id(self) -> int:
        """A document id no record holds, for the next one added: one more than the last in
        the file and every one added, as TinyDB numbers them; if a hand-edited file holds that
        one, one more than the greatest."""
        if self._last is None:
            self._last = 0
            if self.end > self.start:
                at = self.raw.rfind(RECORD_START, self.start, self.end)
                self._last = int(self._record_around(at)[0])
        candidate = max(self._last, self._greatest_set) + 1
        if self._span(str(candidate)) is not None:
            in_file = max(int(key) for key in self._full_index())
            candidate = max(in_file, self._greatest_set) + 1
        return candidate

    def changes(self) -> tuple[dict[str, Span | None], dict[str, Any]]:
        """(replaced: document id → its span in the file, None for one added; with the new
        record, or absent from the second mapping for one removed)."""
        where: dict[str, Span | None] = {}
        new: dict[str, Any] = {}
        for key, record in self._now.items():
            span = self._span(key)
            if span is not None and record == self._parse(key, span):
                continue  # read, not changed: its bytes stay as they are
            where[key], new[key] = span, record
        for key in self._gone:
            where[key] = self._span(key)
        return where, new

    # -- the bytes -------------------------------------------------------------------------

    def _span(self, key: str) -> Span | None:
        if self._index is not None:
            return self._index.get(key)
        if key not in self._spans:
            if not key.isdigit():
                self._spans[key] = None
            elif self._lookups >= _LOOKUPS_BEFORE_INDEX:  # many: one scan for all
                return self._full_index().get(key)
            else:
                self._lookups += 1
                self._spans[key] = self._seek(key)
        return self._spans[key]

    def _seek(self, key: str) -> Span | None:
        # From the quote, not the line break: a needle that starts with a byte as common as
        # "\n" or " " makes bytes.find several times slower.
        needle, indent = b'"' + key.encode() + b'": {', len(RECORD_START) - 1
        at = self.raw.find(needle, self.start + indent, self.end)
        while at >= 0:
            if self.raw[at - indent : at] == RECORD_START[:-1]:
                return self._record_around(at)[1]
            at = self.raw.find(needle, at + 1, self.end)
        return None

    def _record_around(self, at: int) -> tuple[str, Span]:
        """The document id and span of the record holding byte `at`."""
        begin = self.raw.rfind(RECORD_START, self.start, min(at + len(RECORD_START), self.end))
        close = self.raw.find(RECORD_END, at, self.end)
        match = _RECORD_KEY.match(self.raw, begin) if begin >= 0 else None
        if match is None or close < 0:
            raise self._malformed(at)
        finish = close + len(RECORD_END)
        if finish != self.end and self.raw[finish : finish + len(RECORD_START) + 1] != (
            b"," + RECORD_START
        ):
            raise self._malformed(at)
        key = match.group(1).decode()
        self._spans[key] = (begin, finish)
        return key, (begin, finish)

    def _full_index(self) -> dict[str, Span]:
        if self._index is None:
            index: dict[str, Span] = {}
            begins = [(m.group(1).decode(), m.start()) for m in self._record_starts()]
            if begins and begins[0][1] != self.start:
                raise self._malformed(self.start)
            for number, (key, begin) in enumerate(begins):
                last = number + 1 == len(begins)
                finish = self.end if last else begins[number + 1][1] - 1
                closed = self.raw[finish - len(RECORD_END) : finish] == RECORD_END
                if not closed or key in index or not (last or self.raw[finish] == ord(",")):
                    raise self._malformed(begin)
                index[key] = (begin, finish)
            self._index = index
        return self._index

    def _record_starts(self) -> Iterator[re.Match[bytes]]:
        return _RECORD_KEY.finditer(self.raw, self.start, self.end)

    def _parse(self, key: str, span: Span) -> dict[str, Any]:
        begin, finish = span
        text = self.raw[begin + len(RECORD_START) + len(key) + 3 : finish]
        try:
            value = json.loads(text)
        except ValueError:
            raise self._malformed(begin) from None
        if not isinstance(value, dict):
            raise self._malformed(begin)
        return value

    def _malformed(self, at: int) -> StoreError:
        line = self.raw.count(b"\n", 0, at) + 1
        return StoreError(f"the store is not valid JSON in the form dz writes (near line {line})")
