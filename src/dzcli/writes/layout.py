"""The store file's one form, written table by table and record by record: `json.dumps(data,
indent=2, ensure_ascii=False)` plus a final newline.

Strings in JSON never hold a raw line break, so in that form a line that starts with exactly two
spaces and a quote opens a table, and one with exactly four opens a record. Splitting there (one
backward scan of the bytes for the tables; records are found only when asked for, by
`dzcli.writes.spliced`) lets a write keep the bytes of every record it leaves alone and splice
in only those it adds or changes, which is what makes a write to a store of 250,000 statistics
take a second or two rather than ten (benchmarks/bench.py). A file in another form is parsed
whole, and a change to it writes it in this one.
"""

from __future__ import annotations

import json
from typing import Any

from dzcli.writes.spliced import RECORD_START, Span, SplicedTable

_TABLE_START = b'\n  "'
_END = b"\n}\n"

Tables = dict[str, SplicedTable]
Edits = dict[str, tuple[dict[str, Span | None], dict[str, Any]]]
"""table → what `SplicedTable.changes` says changed in it."""
Chunk = bytes | memoryview


def split(raw: bytes) -> Tables | None:
    """The tables of a store written in the one form, their records left as bytes; None if the
    text is in another form (or is not a store), for the caller to parse whole."""
    if raw == b"{}\n":
        return {}
    if not (raw.startswith(b"{" + _TABLE_START) and raw.endswith(_END)):
        return None
    starts: list[int] = []
    at = len(raw)
    while at > 1:  # backwards: one scan of the whole file, whatever the number of tables
        at = raw.rfind(_TABLE_START, 0, at)
        starts.append(at)
    starts.reverse()
    tables: Tables = {}
    for number, begin in enumerate(starts):
        last = number + 1 == len(starts)
        finish = len(raw) - len(_END) if last else starts[number + 1] - 1
        if not (last or raw[finish] == ord(",")):
            return None
        named = _table(raw, begin + len(_TABLE_START), finish)
        if named is None or named[0] in tables:
            return None
        tables[named[0]] = named[1]
    return tables


def _table(raw: bytes, begin: int, finish: int) -> tuple[str, SplicedTable] | None:
    """The table whose name starts at `begin` and whose value ends at `finish`."""
    quote = raw.find(b'": ', begin, finish)
    if quote < 0:
        return None
    name = raw[begin:quote]
    if b'"' in name or b"\\" in name:
        return None
    try:
        text = name.decode()
    except UnicodeDecodeError:
        return None
    value = quote + 3
    if finish - value == 2 and raw.startswith(b"{}", value):  # (a slice would copy the table)
        return text, SplicedTable(raw, value, value)
    if raw.startswith(b"{" + RECORD_START, value) and raw.startswith(b"\n  }", finish - 4):
        return text, SplicedTable(raw, value + 1, finish - 4)
    return None


def dump(data: dict[str, Any]) -> bytes:
    """The one form of parsed `data`."""
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


def edits(tables: Tables) -> Edits:
    return {name: table.changes() for name, table in tables.items()}


def render(tables: Tables, changed: Edits) -> list[Chunk]:
    """The file's text for `tables`, in pieces: the bytes of every record left alone, as they
    are in the file (not copied), and the one form of each record added or changed."""
    if not tables:
        return [b"{}\n"]
    out: list[Chunk] = []
    for number, (name, table) in enumerate(tables.items()):
        out.append(b"{\n  " if number == 0 else b",\n  ")
        out.append(json.dumps(name, ensure_ascii=False).encode() + b": ")
        out.extend(_table_chunks(table, *changed[name]))
    out.append(_END)
    return out


def _table_chunks(
    table: SplicedTable, where: dict[str, Span | None], new: dict[str, Any]
) -> list[Chunk]:
    kept = memoryview(table.raw)
    pieces: list[Chunk] = []
    cursor = table.start  # the first record in the file not yet written
    replaced = sorted((span, key) for key, span in where.items() if span is not None)
    for (begin, finish), key in replaced:
        if begin > cursor:
            pieces.append(kept[cursor : begin - 1])  # the records before, without the comma
        if key in new:
            pieces.append(_record_line(key, new[key]))
        cursor = finish + 1
    if cursor < table.end:
        pieces.append(kept[cursor : table.end])
    pieces.extend(_record_line(key, new[key]) for key, span in where.items() if span is None)
    if not pieces:
        return [b"{}"]
    out: list[Chunk] = [b"{"]
    for number, piece in enumerate(pieces):
        if number:
            out.append(b",")
        out.append(piece)
    out.append(b"\n  }")
    return out


def _record_line(doc_id: str, record: Any) -> bytes:
    text = json.dumps(record, indent=2, ensure_ascii=False).replace("\n", "\n    ")
    return RECORD_START + doc_id.encode() + b'": ' + text.encode()
