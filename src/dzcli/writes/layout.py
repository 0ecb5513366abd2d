"""The store file's one form, written record by record: `json.dumps(data, indent=2,
ensure_ascii=False)` plus a final newline, split at the lines where tables and records begin.

Strings in JSON never hold a raw line break, so in that form a line that starts with exactly two
spaces and a quote opens a table, and one with exactly four opens a record. Splitting there lets
a big store be rewritten without parsing or re-encoding the records a write leaves alone (their
bytes are kept), which is what makes a write to a store of 250,000 statistics take a second
rather than ten (benchmarks/bench.py). A file in another form is read whole and written in this
one.
"""

from __future__ import annotations

import json
from typing import Any

_TABLE = b',\n  "'
_RECORD = b',\n    "'


class RawRecord:
    """A record kept as its bytes in the file (from its opening brace to its closing one),
    parsed only when asked for."""

    __slots__ = ("text",)

    def __init__(self, text: bytes) -> None:
        self.text = text

    def parse(self) -> dict[str, Any]:
        value = json.loads(self.text)
        if not isinstance(value, dict):
            raise ValueError("a record is not an object")
        return value


Tables = dict[str, dict[str, Any]]
"""table → document id → record (a dict, or a RawRecord not yet read)."""


def split(text: bytes) -> Tables | None:
    """The tables of a store written in the one form, records left as text; None if the text is
    in another form (or is not a store), for the caller to parse whole."""
    if not (text.startswith(b'{\n  "') and text.endswith(b"\n}\n")):
        return None
    tables: Tables = {}
    for chunk in text[5:-3].split(_TABLE):
        name, sep, body = chunk.partition(b'": ')
        if not sep or b'"' in name or b"\\" in name:
            return None
        if body == b"{}":
            records: dict[str, Any] = {}
        elif body.startswith(b'{\n    "') and body.endswith(b"\n  }"):
            records = {}
            for item in body[7:-4].split(_RECORD):
                doc_id, sep, record = item.partition(b'": ')
                if not (sep and doc_id.isdigit() and record[:1] == b"{" and record[-1:] == b"}"):
                    return None
                records[doc_id.decode()] = RawRecord(record)
        else:
            return None
        try:
            tables[name.decode()] = records
        except UnicodeDecodeError:
            return None
    return tables


def render(tables: Tables) -> bytes:
    """The file's text for `tables`: what json.dumps(…, indent=2, ensure_ascii=False) + "\\n"
    gives for the parsed records, with records still kept as text copied as they are."""
    parts = []
    for name, records in tables.items():
        key = json.dumps(name, ensure_ascii=False).encode()
        if not records:
            parts.append(b"  " + key + b": {}")
            continue
        lines = b",\n".join(
            b"    " + json.dumps(doc_id).encode() + b": " + _record_text(record)
            for doc_id, record in records.items()
        )
        parts.append(b"  " + key + b": {\n" + lines + b"\n  }")
    if not parts:
        return b"{}\n"
    return b"{\n" + b",\n".join(parts) + b"\n}\n"


def _record_text(record: Any) -> bytes:
    if isinstance(record, RawRecord):
        return record.text
    return json.dumps(record, indent=2, ensure_ascii=False).replace("\n", "\n    ").encode()
