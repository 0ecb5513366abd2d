"""JSON and JSON Lines as dz prints them, through one encoder (msgspec), in pieces.

JSON is a list indented by 2 (the layout of `json.dumps(..., indent=2, ensure_ascii=False)`),
then a newline; JSON Lines one compact row a line, with U+0085, U+2028 and U+2029 escaped so
that no reader (Python's `str.splitlines` among them) breaks a row in two. Both UTF-8. A row may
come already encoded (`msgspec.Raw`, as the index holds it): it is written as it is.

A big listing is written CHUNK_ROWS rows at a time, as they are made, never held whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

import msgspec

CHUNK_ROWS = 10_000
_ENCODE = msgspec.json.Encoder().encode
_LINE_BREAKS = {"\u0085": b"\\u0085", "\u2028": b"\\u2028", "\u2029": b"\\u2029"}


def json_bytes(value: Any) -> bytes:
    """`value` as a JSON document, indented by 2, then a newline."""
    return msgspec.json.format(_ENCODE(value), indent=2) + b"\n"


def json_chunks(rows: Iterable[Any]) -> Iterator[bytes]:
    """`json_bytes(list(rows))` in pieces: the same bytes, joined."""
    started = False
    for piece in _pieces(rows):
        body = msgspec.json.format(_ENCODE(piece), indent=2)
        yield (b",\n" if started else b"[\n") + body[2:-2]  # less its own "[\n" and "\n]"
        started = True
    yield b"\n]\n" if started else b"[]\n"


def jsonl_chunks(rows: Iterable[Any]) -> Iterator[bytes]:
    """One line of JSON for each row (spaced as `json.dumps` spaces it), in pieces."""
    for piece in _pieces(rows):
        lines = b"\n".join([msgspec.json.format(_ENCODE(row), indent=0) for row in piece]) + b"\n"
        for char, escape in _LINE_BREAKS.items():
            lines = lines.replace(char.encode("utf-8"), escape)
        yield lines


def _pieces(rows: Iterable[Any]) -> Iterator[list[Any]]:
    pending = iter(rows)
    while piece := list(islice(pending, CHUNK_ROWS)):
        yield piece
