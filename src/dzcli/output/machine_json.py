"""JSON and JSON Lines as dz prints them, byte for byte, written fast for big outputs.

The contract is what the standard encoder writes: `json.dumps(value, ensure_ascii=False,
indent=2)` for JSON, one `json.dumps(row, ensure_ascii=False)` per line for JSON Lines (with
U+0085, U+2028 and U+2029 escaped so that a record stays one line), UTF-8. For a big output
(or once a big store has imported msgspec) msgspec writes the same bytes about eight times
faster. The two differ only in how they spell some floats (1e-07 against 1e-7, 1e+16 against
1e16, 1e-05 against 0.00001) and in what they refuse (a lone surrogate, an integer beyond
64 bits is fine in both); wherever msgspec's bytes might spell a float its own way, or it
refuses, the standard encoder writes the output instead (tests/test_machine_json.py).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from dzcli.model.float_spelling import VouchedRows

MSGSPEC_FROM_ROWS = 2_000
"""From this many rows msgspec is worth importing (about 10 ms) just to write them."""

# Where msgspec may spell a float otherwise than Python's repr: with an exponent (1e16, 1e-7:
# a digit comes before the exponent, which ends the number, so a comma or a closing bracket
# follows), or a small number written out (0.00001). Text that merely looks so only costs the
# fast path. Two searches that start with a literal: the regular expression engine skips to
# each candidate in C, and a look back turns away at once the text's many "e"s, and the
# decimals that do not start "0.0000".
_EXPONENT = re.compile(rb"e(?<=[0-9]e)-?[0-9]+(?:[,}\]]|\Z)")
_SMALL_NUMBER = re.compile(rb"\.0000(?<=0\.0000)(?<![0-9]0\.0000)")
# Valid in JSON, but line breaks to some readers (Python's str.splitlines among them).
_LINE_BREAKS = {"\u0085": b"\\u0085", "\u2028": b"\\u2028", "\u2029": b"\\u2029"}
_LINE_BREAKS_TEXT = re.compile("[\u0085\u2028\u2029]")


def json_bytes(value: Any, rows: int) -> bytes:
    """`value` as a JSON document, indented by 2, then a newline. `rows`: how many records it
    holds, to choose the encoder."""
    return _document(value, rows) + b"\n"


def _document(value: Any, rows: int, floats_alike: bool = False) -> bytes:
    """`floats_alike`: every float in `value` is vouched to be spelled alike by both encoders
    (`float_spelling`), so msgspec's bytes need no search for its own spellings."""
    if _fast(rows):
        import msgspec

        try:
            compact = msgspec.json.encode(value)
        except (TypeError, ValueError, OverflowError):  # a lone surrogate, a huge int: json's call
            compact = None
        if compact is not None and (floats_alike or not _own_floats(compact)):
            return msgspec.json.format(compact, indent=2)
    return json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")


CHUNK_ROWS = 10_000
"""Rows encoded at once: a big output is written in pieces, never held whole twice over."""


def json_chunks(rows: Iterable[Any]) -> Iterator[bytes | memoryview]:
    """`json_bytes(list(rows))` in pieces of CHUNK_ROWS rows: the same bytes, joined. The rows
    may come one at a time, as they are built: one piece of them is held at a time. Rows that
    vouch for their floats (`VouchedRows`) are written without searching the bytes for floats
    msgspec spells its own way, as long as the vouch holds for the rows made so far; rows that
    can be made in two halves are, on two processors (`dzcli.halves`)."""
    split = rows.halves() if isinstance(rows, VouchedRows) else None
    if split is None:
        return json_list(json_bodies(rows))
    from dzcli import halves  # tempfile and os.fork: only for output this big

    first, second = split
    return json_list(halves.in_two(json_bodies(first), lambda: json_bodies(second)))


def json_bodies(rows: Iterable[Any]) -> Iterator[bytes | memoryview]:
    """Each piece of CHUNK_ROWS rows as `json_bytes` writes their list, without its brackets
    (a view of it: a piece is megabytes, not copied again); none for no rows."""
    vouch = rows.vouch if isinstance(rows, VouchedRows) else None
    for piece, total in _pieces(rows):
        alike = vouch is not None and vouch.alike  # asked once the piece is made
        if piece:
            yield memoryview(_document(piece, total, alike))[2:-2]  # less "[\n" and "\n]"


def json_list(bodies: Iterable[bytes | memoryview]) -> Iterator[bytes | memoryview]:
    """The JSON list whose items are those of `bodies` (each from `json_bodies`), indented by
    2, then a newline."""
    started = False
    for body in bodies:
        yield b",\n" if started else b"[\n"
        yield body
        started = True
    yield b"\n]\n" if started else b"[]\n"


def jsonl_chunks(rows: Iterable[Any]) -> Iterator[bytes | memoryview]:
    """`jsonl_bytes(list(rows))` in pieces of CHUNK_ROWS rows, the rows read (their floats
    vouched for, and made in two halves where they can be) as `json_chunks` reads them."""
    split = rows.halves() if isinstance(rows, VouchedRows) else None
    if split is None:
        return _jsonl_pieces(rows)
    from dzcli import halves

    first, second = split
    return halves.in_two(_jsonl_pieces(first), lambda: _jsonl_pieces(second))


def _jsonl_pieces(rows: Iterable[Any]) -> Iterator[bytes]:
    vouch = rows.vouch if isinstance(rows, VouchedRows) else None
    for piece, total in _pieces(rows):
        yield jsonl_bytes(piece, total, vouch is not None and vouch.alike)


def _pieces(rows: Iterable[Any]) -> Iterator[tuple[list[Any], int]]:
    """`rows` in lists of CHUNK_ROWS, each with the number of rows to choose the encoder by:
    exact when one list holds them all, else more than a list holds (the exact count would
    choose the same). One row past a list is read to tell which."""
    pending = iter(rows)
    piece = list(islice(pending, CHUNK_ROWS))
    past = list(islice(pending, 1))
    if not past:
        yield piece, len(piece)
        return
    while piece:
        yield piece, CHUNK_ROWS + 1
        piece = past + list(islice(pending, CHUNK_ROWS - len(past)))
        past = []


def jsonl_bytes(rows: list[Any], total: int | None = None, floats_alike: bool = False) -> bytes:
    """One line of JSON for each row (`json.dumps`'s separators), each ending in a newline.
    `total`: how many rows the whole output has, if these are a part, to choose the encoder;
    `floats_alike` as for `_document`."""
    if _fast(len(rows) if total is None else total):
        import msgspec

        encode, fmt = msgspec.json.Encoder().encode, msgspec.json.format
        try:
            lines = b"\n".join([fmt(encode(row), indent=0) for row in rows])
        except (TypeError, ValueError, OverflowError):
            lines = None
        if lines is not None and (floats_alike or not _own_floats(lines)):
            for char, escape in _LINE_BREAKS.items():
                lines = lines.replace(char.encode("utf-8"), escape)
            return lines + b"\n" if rows else b""
    text = "".join(
        _LINE_BREAKS_TEXT.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(row, **_PLAIN))
        + "\n"
        for row in rows
    )
    return text.encode("utf-8")


_PLAIN: dict[str, Any] = {"ensure_ascii": False}


def _own_floats(data: bytes) -> bool:
    return _SMALL_NUMBER.search(data) is not None or _EXPONENT.search(data) is not None


def _fast(rows: int) -> bool:
    return rows >= MSGSPEC_FROM_ROWS or "msgspec" in sys.modules
