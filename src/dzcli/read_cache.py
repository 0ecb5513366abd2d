"""Remember that a big store's bytes passed the reader's checks, and where each record lies.

Checking a store of 250,000 statistics (`lazy_store.read`) takes most of a second, every time,
although a store is read far more often than it changes. So the first read of a big store
leaves a note in the user's cache folder: the sha256 of the file's bytes, a fingerprint of the
dz code that checked them, and for each record its document id, id, period, metric and the span
of its bytes in the file. A later read of the same bytes by the same code hashes the file, finds
the note, and skips the checks, which passed on exactly these bytes before. A change to the
file changes its hash, a change to dz's reading code changes the fingerprint: either way the
note is not used, and the read that checks the store again writes a new one.

The note is only ever a shortcut: a cache folder that cannot be written, or a note that cannot
be read, only means the store is checked again. It is never written beside the store (a read
never creates a file there). `DZ_NO_CACHE=1` turns it off.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from array import array
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import msgspec

import dzcli
from dzcli.locations import cache_dir

Entries = list[tuple[str, str, Any, Any, Any]]
"""As `lazy_store.Entries`: (document id, record id, period, the record's bytes, metric)."""

_FORMAT = 2
_KEPT_NOTES = 8  # one per store path: when there are more, the notes written first go
_SUFFIX = ".dz-read-note"


class _Table(msgspec.Struct, array_like=True, gc=False):
    doc_ids: list[str]
    ids: list[str]
    periods: list[str | None]
    metrics: list[str | None]
    spans: bytes  # array("Q"): start and end of each record's bytes, in the file


class _Note(msgspec.Struct, gc=False):
    format: int
    code: str
    sha256: str
    size: int
    floats_alike: bool  # `float_spelling.text_alike` of the file
    tables: dict[str, _Table]


_DECODER = msgspec.msgpack.Decoder(_Note)


class Digest:
    """The key of a store's bytes, its sha256, computed on another thread (hashlib lets go of
    the interpreter while it hashes) as the note is read: a tenth of a second for 200 MB."""

    def __init__(self, raw: bytes) -> None:
        self._value = ""
        self._worker = threading.Thread(target=self._hash, args=(raw,), daemon=True)
        self._worker.start()

    def _hash(self, raw: bytes) -> None:
        self._value = hashlib.sha256(raw).hexdigest()

    @property
    def value(self) -> str:
        self._worker.join()
        return self._value


def digest(raw: bytes) -> Digest:
    """The key of a store's bytes, being computed."""
    return Digest(raw)


def recall(path: Path, raw: bytes, key: Digest) -> tuple[dict[str, Entries], bool] | None:
    """The entries of the store whose bytes are `raw` (hashing to `key`), if a note says they
    passed the checks, and whether its floats are spelled alike by both JSON encoders
    (`float_spelling.text_alike`); None if there is no such note (or no usable one)."""
    note_path = _note_path(path)
    if note_path is None:
        return None
    try:
        note = _DECODER.decode(note_path.read_bytes())
    except (OSError, msgspec.MsgspecError):
        return None
    if (note.format, note.code, note.size) != (_FORMAT, _code(), len(raw)):
        return None
    if note.sha256 != key.value:
        return None
    tables = _entries(note, memoryview(raw))
    return None if tables is None else (tables, note.floats_alike)


def _entries(note: _Note, view: memoryview) -> dict[str, Entries] | None:
    tables: dict[str, Entries] = {}
    for name, table in note.tables.items():
        spans = array("Q")
        spans.frombytes(table.spans)
        columns = (table.doc_ids, table.ids, table.periods, table.metrics)
        if any(len(column) * 2 != len(spans) for column in columns):
            return None
        if spans and spans[-1] > len(view):
            return None
        bodies = [view[start:end] for start, end in zip(spans[::2], spans[1::2], strict=True)]
        tables[name] = list(
            zip(table.doc_ids, table.ids, table.periods, bodies, table.metrics, strict=True)
        )
    return tables


def remember(
    path: Path,
    raw: bytes,
    key: Digest,
    tables: Mapping[str, Entries],
    floats_alike: Callable[[], bool],
) -> bool:
    """Leave a note that `raw` (hashing to `key`) passed the checks and read as `tables`, and
    whether its floats are spelled alike (asked of `floats_alike` only for a note: the answer
    is a pass over the whole file); do nothing if the cache folder cannot take it. Returns
    what the note says of the floats (False without a note)."""
    note_path = _note_path(path)
    spans = _spans(raw, tables)
    if note_path is None or spans is None:
        return False
    note = _Note(
        format=_FORMAT,
        code=_code(),
        sha256=key.value,
        size=len(raw),
        floats_alike=floats_alike(),
        tables={
            name: _Table(
                doc_ids=[entry[0] for entry in entries],
                ids=[entry[1] for entry in entries],
                periods=[entry[2] for entry in entries],
                metrics=[entry[4] for entry in entries],
                spans=spans[name].tobytes(),
            )
            for name, entries in tables.items()
        },
    )
    try:
        _write(note_path, msgspec.msgpack.encode(note))
        _prune(note_path.parent)
    except OSError:
        return False  # a shortcut only: the next read checks the store again
    return note.floats_alike


def _spans(raw: bytes, tables: Mapping[str, Entries]) -> dict[str, array[int]] | None:
    """Where each record's bytes lie in `raw`, found in file order; None if one is not there.

    Between one record's bytes and the next there is only a document id and JSON punctuation,
    never a `{`, so the first match after the previous record is the record itself.
    """
    found: dict[str, array[int]] = {}
    position = 0
    for name, entries in tables.items():
        spans = array("Q")
        for entry in entries:
            body = entry[3]
            start = raw.find(body, position)
            if start < 0:
                return None
            position = start + len(body)
            spans.extend((start, position))
        found[name] = spans
    return found


def _note_path(store: Path) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        where = os.fsencode(store.resolve())
    except (OSError, RuntimeError):
        return None
    return folder / (hashlib.sha256(where).hexdigest()[:32] + _SUFFIX)


def _write(note_path: Path, data: bytes) -> None:
    note_path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=note_path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
        os.replace(temporary, note_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _prune(folder: Path) -> None:
    notes = sorted(_notes(folder), key=lambda note: note.stat().st_mtime, reverse=True)
    for stale in notes[_KEPT_NOTES:]:
        stale.unlink(missing_ok=True)


def _notes(folder: Path) -> Iterator[Path]:
    return (path for path in folder.iterdir() if path.name.endswith(_SUFFIX))


_CODE: list[str] = []


def _code() -> str:
    """A fingerprint of the code that decides whether a store passes the reader's checks: dz's
    version, msgspec's, and the source of the registry, the validator and the lazy reader."""
    if not _CODE:
        package = Path(dzcli.__file__).parent
        files = [*sorted((package / "model").glob("*.py")), package / "lazy_store.py"]
        code = hashlib.sha256(f"{dzcli.__version__} {msgspec.__version__}".encode())
        for file in files:
            code.update(file.read_bytes())
        _CODE.append(code.hexdigest())
    return _CODE[0]
