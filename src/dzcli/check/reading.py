"""How `dz check` reads a store file: quickly, in little memory, and still seeing every key
written twice in one JSON object (which every JSON reader silently collapses).

msgspec parses the file mapped into memory record by record, giving its pages back as it goes
(a big store is never held twice), and proves no key repeated without Python's hook:
- a record: its compact text (`msgspec.json.format`, every token as written) is exactly the
  encoding of what it parsed to. A repeated key, or a number or escape written unusually, makes
  them differ: that record alone is read again, through `json` and `KeyCounter`;
- a table or the store: the compact length of the file is the sum of its parts', each counted
  at its shortest. A table or document id written twice (or a key escaped unusually) falls
  short: the whole file is read the standard way.
So is whatever msgspec refuses (invalid JSON or UTF-8, NaN, lone surrogates, absurd integers, a
file that is not an object, a FIFO): `dzcli.read.file.read_json` words the refusal as every
other command does.
"""

from __future__ import annotations

import contextlib
import gc
import json
import mmap
import os
import stat
from collections import Counter
from pathlib import Path
from typing import Any

import msgspec

from dzcli.check.proof import Parsed, WellTyped, well_typed
from dzcli.model.limits import MAX_STORE_BYTES

_TOP = msgspec.json.Decoder(dict[str, msgspec.Raw])
_ANY = msgspec.json.Decoder()
_ENCODER = msgspec.json.Encoder()
_GIVE_BACK = 32 << 20  # bytes parsed after which the mapped file's pages are given back

DuplicateKey = tuple[tuple[str, ...], str, int]
"""(where the object is: keys and list indexes from the top, the key, how many times)."""


class KeyCounter:
    """An `object_pairs_hook` for `json.loads` that remembers which objects repeat a key;
    `found(data)` then says where each one is."""

    def __init__(self) -> None:
        self._repeats: dict[int, tuple[dict[str, Any], list[tuple[str, int]]]] = {}

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        built = dict(pairs)
        if len(built) != len(pairs):
            counts = Counter(key for key, _value in pairs)
            repeated = [(key, n) for key, n in counts.items() if n > 1]
            self._repeats[id(built)] = (built, repeated)  # the dict itself keeps its id valid
        return built

    def found(self, data: object) -> list[DuplicateKey]:
        """Each repeated key with its place, in document order."""
        if not self._repeats:
            return []
        found: list[DuplicateKey] = []
        stack: list[tuple[object, tuple[str, ...]]] = [(data, ())]
        while stack:  # iterative: the JSON may be nested as deeply as the parser allows
            value, path = stack.pop()
            if isinstance(value, dict):
                if id(value) in self._repeats and self._repeats[id(value)][0] is value:
                    found += [(path, key, n) for key, n in self._repeats[id(value)][1]]
                stack += reversed([(item, (*path, key)) for key, item in value.items()])
            elif isinstance(value, list):
                stack += reversed([(item, (*path, f"[{i}]")) for i, item in enumerate(value)])
        return found


def read_store(path: Path) -> tuple[object, list[DuplicateKey], WellTyped]:
    """The parsed store file, each key repeated in one of its JSON objects, and the proof of
    its records' types (`dzcli.check.proof`). StoreError if it cannot be read or parsed."""
    quick = _read_quickly(path)
    if quick is not None:
        return quick
    from dzcli.read.file import read_json

    keys = KeyCounter()
    data = read_json(path, object_pairs_hook=keys)
    return data, keys.found(data), well_typed


class _NotQuick(Exception):
    """The file needs the standard reader (see the module's docstring)."""


def _read_quickly(path: Path) -> tuple[dict[str, Any], list[DuplicateKey], WellTyped] | None:
    try:
        with path.open("rb") as f:  # 'rb' only: a read never creates or changes the file
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode) or not 0 < info.st_size <= MAX_STORE_BYTES:
                return None
            mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None  # the standard reader says what is wrong
    collecting = gc.isenabled()
    gc.disable()  # a parse makes no cycles, and the collector would walk each new record again
    try:
        data, duplicates, parsed = _Parse(mapped).result()
        return data, duplicates, parsed.well_typed
    except (_NotQuick, ValueError, RecursionError):
        return None  # the standard reader reads it the slow way, or says what is wrong
    finally:
        if collecting:
            gc.enable()
        # A part of it may still be referred to, by the error on its way: freed with it then.
        with contextlib.suppress(BufferError):
            mapped.close()


class _Parse:
    """One quick parse of a mapped store file."""

    def __init__(self, mapped: mmap.mmap) -> None:
        self.mapped = mapped
        self.duplicates: list[DuplicateKey] = []
        self.parsed = Parsed()
        self._parsed_since_given_back = 0

    def result(self) -> tuple[dict[str, Any], list[DuplicateKey], Parsed]:
        try:
            compact = len(msgspec.json.format(self.mapped, indent=-1))
            tables = _TOP.decode(self.mapped)
        except (msgspec.DecodeError, msgspec.ValidationError) as error:
            raise _NotQuick from error
        self._give_back()
        data: dict[str, Any] = {}
        length = 2 + max(0, len(tables) - 1)  # braces and commas
        while tables:  # popped: no reference into the mapped file outlives the parse
            name = next(iter(tables))
            value, table_length = self._table(name, tables.pop(name))
            data[name] = value
            length += len(_ENCODER.encode(name)) + 1 + table_length
        if length != compact:
            raise _NotQuick  # a table or a document id written twice (or escaped oddly)
        return data, self.duplicates, self.parsed

    def _table(self, name: str, raw: msgspec.Raw) -> tuple[object, int]:
        """The parsed table and its compact length."""
        try:
            records = _TOP.decode(raw)
        except msgspec.ValidationError:  # not an object: the validator reports it
            return _ANY.decode(raw), len(msgspec.json.format(raw, indent=-1))
        parsed: dict[str, Any] = {}
        length = 2 + max(0, len(records) - 1)
        for doc_id, record in records.items():
            value, record_length = self._record(name, doc_id, record)
            parsed[doc_id] = value
            length += len(_ENCODER.encode(doc_id)) + 1 + record_length
        records.clear()
        return parsed, length

    def _record(self, table: str, doc_id: str, raw: msgspec.Raw) -> tuple[object, int]:
        """The parsed record (with any key it repeats noted) and its compact length."""
        text = msgspec.json.format(raw, indent=-1)
        proven = self.parsed.record(table, text)
        value: object = proven
        if proven is None or _ENCODER.encode(proven) != text:
            if proven is not None:  # its fields in another order than the registry's, or worse
                self.parsed.forget(proven)
            value = self._unproven(table, doc_id, text)
        self._parsed_since_given_back += len(text)
        if self._parsed_since_given_back > _GIVE_BACK:
            self._give_back()
        return value, len(text)

    def _unproven(self, table: str, doc_id: str, text: bytes) -> object:
        """A record that is not of its kind, or whose text differs from what it parses to."""
        value = _ANY.decode(text)
        if _ENCODER.encode(value) != text:  # a repeated key, or text written unusually
            keys = KeyCounter()
            value = json.loads(text.decode("utf-8"), object_pairs_hook=keys)
            self.duplicates += [((table, doc_id, *at), key, n) for at, key, n in keys.found(value)]
        return value

    def _give_back(self) -> None:
        """Drop the mapped file's pages from memory (read again from the page cache if need be)."""
        self._parsed_since_given_back = 0
        if hasattr(self.mapped, "madvise") and hasattr(mmap, "MADV_DONTNEED"):
            self.mapped.madvise(mmap.MADV_DONTNEED)
