"""Read-only access to the dz fact store (a TinyDB JSON file). No CLI or rendering here."""

from __future__ import annotations

import difflib
import functools
import io
import json
import os
import stat
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from dzcli import locations
from dzcli.model.errors import LookupFailed, StoreError
from dzcli.model.kinds import TABLES
from dzcli.model.limits import MAX_STORE_BYTES
from dzcli.model.validate import Misfit, first_refusal

if TYPE_CHECKING:
    from tinydb import TinyDB  # imported when `Store.db` is first used: queries never need it


def default_store_path() -> Path:
    """The store shipped with the package (or the repo's data/facts.json in a checkout)."""
    return locations.shipped_store_path()


def resolve_store_path(option: str | Path | None) -> Path:
    """`--db` if given, else `$DZ_DB` if non-empty, else the user store if it exists, else the
    shipped store (`dzcli.locations`)."""
    return locations.resolve(option).path


def _fail(path: Path, reason: str) -> StoreError:
    return StoreError(f"cannot read store {path}: {reason}")


def read_json(path: Path, object_pairs_hook: PairsHook | None = None) -> object:
    """The parsed content of the store file, not yet validated (`dz check` audits it whole).

    `object_pairs_hook` as for `json.loads` (`dz check` uses it to see repeated keys).
    """
    return _parse(path, _read_bytes(path), object_pairs_hook)


PairsHook = Callable[[list[tuple[str, Any]]], Any]

_JSON_SPACE = b" \t\r\n"
_HEAD_BYTES = 1 << 16  # read first, to see how the file starts before reading it whole
_BOM = b"\xef\xbb\xbf"


def _read_bytes(path: Path) -> bytes:
    try:
        # 'rb' only: a read must never create, truncate or touch the file.
        with path.open("rb") as f:
            info = os.fstat(f.fileno())
            if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
                # /dev/zero would be read for ever; a FIFO (`--db <(…)`) is fine.
                raise _fail(path, "is a device, not a file")
            if stat.S_ISREG(info.st_mode) and info.st_size > MAX_STORE_BYTES:
                raise _too_big(path)
            head = _head(path, f)
            if stat.S_ISREG(info.st_mode):
                f.seek(0)  # one read into one buffer: `head + rest` would copy the whole file
                raw = f.read()
            else:  # a FIFO has no size, and cannot seek
                raw = head + f.read(max(0, MAX_STORE_BYTES + 1 - len(head)))
    except FileNotFoundError:
        raise _fail(path, "no such file") from None
    except IsADirectoryError:
        raise _fail(path, "is a directory") from None
    except PermissionError:
        raise _fail(path, "permission denied") from None
    except OSError as e:
        raise _fail(path, (e.strerror or str(e)).lower()) from None
    if len(raw) > MAX_STORE_BYTES:
        raise _too_big(path)
    return raw


def _too_big(path: Path) -> StoreError:
    return _fail(path, f"not a dz store (larger than {MAX_STORE_BYTES >> 30} GiB)")


def _head(path: Path, f: io.BufferedReader) -> bytes:
    """The file's first bytes, up to and including its first one that is not JSON whitespace;
    StoreError if that byte cannot start a store (a JSON object), so that a big file that is
    not a store is refused before it is read whole."""
    head = b""
    while True:
        chunk = f.read1(_HEAD_BYTES)  # what is there: a FIFO's writer may still be writing
        head += chunk
        start = head.lstrip(_JSON_SPACE)[:1]
        if start or not chunk or len(head) > MAX_STORE_BYTES:
            break
    if start in (b"{", b"") or head.startswith(_BOM):
        return head  # a BOM, or nothing but whitespace: the parser words the refusal
    char = start.decode("latin-1")
    what = repr(char) if start.isascii() and char.isprintable() else f"the byte 0x{start.hex()}"
    raise _fail(path, f"not a dz store (it starts with {what}, and a store is a JSON object)")


def _parse(path: Path, raw: bytes, object_pairs_hook: PairsHook | None = None) -> object:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _fail(path, f"not UTF-8 text (invalid byte at offset {e.start})") from None
    if text.startswith("\ufeff"):  # json would only say "line 1, column 1"
        raise _fail(path, "not valid JSON (it starts with a byte-order mark; save without BOM)")
    try:
        return json.loads(text, object_pairs_hook=object_pairs_hook)
    except json.JSONDecodeError as e:
        raise _fail(path, f"not valid JSON (line {e.lineno}, column {e.colno})") from None
    except RecursionError:
        raise _fail(path, "not usable JSON (nested too deeply)") from None
    except ValueError:  # an integer longer than Python will read (sys.get_int_max_str_digits)
        raise _fail(path, "not usable JSON (a number has too many digits)") from None


def _load(path: Path, raw: bytes | None = None) -> dict[str, dict[str, Any]]:
    data = read_json(path) if raw is None else _parse(path, raw)
    _validate(path, data)
    return data  # type: ignore[return-value]


def load(path: Path, raw: bytes) -> dict[str, dict[str, Any]]:
    """The store in `raw` (the bytes of `path`), parsed and validated as every reader does."""
    return _load(path, raw)


def _validate(path: Path, data: object) -> None:
    """Refuse a store with a misfit that would break a command (`dzcli.model.validate`)."""
    misfit = first_refusal(data)
    if misfit is not None:
        raise _fail(path, _refusal(misfit))


def _refusal(misfit: Misfit) -> str:
    if not misfit.table:
        return f"not a dz store ({misfit.message})"
    where = f"record {misfit.record_id!r}: " if misfit.record_id else ""
    return f"table {misfit.table!r} is malformed ({where}{misfit.message})"


class ReadOnlyJSONStorage:
    """A TinyDB storage that parses the file once, validates it, and refuses to write.

    TinyDB asks a storage only for read, write and close, so this does not derive from
    tinydb.Storage: dz imports TinyDB only when someone uses `Store.db`.
    """

    def __init__(self, path: str | Path, data: dict[str, dict[str, Any]] | None = None) -> None:
        # Unlike tinydb.JSONStorage, never open or create the file here. `data`: the store's
        # tables as already read (by `Store.db`), so the file is never read twice.
        self.path = Path(path)
        self._data: dict[str, dict[str, Any]] | None = data

    def read(self) -> dict[str, dict[str, Any]]:
        if self._data is None:
            self._data = _load(self.path)
        # TinyDB's write path assigns into the dict it read before calling write(); hand out a
        # shallow copy so a refused write cannot leave a phantom table in the cache.
        return dict(self._data)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        raise StoreError(f"store {self.path} is opened read-only")

    def close(self) -> None:
        pass


Entry = tuple[str, str, Any, Any, Any]
"""A record as a Store keeps it: (document id, record id, its "period" or "" if it has none,
the record itself, or for a big store its raw bytes until it is read, its "metric" or None)."""

LAZY_BYTES = 1 << 19
"""From this size on, a store is checked and read by `lazy_store` (msgspec). Importing msgspec
takes about 10 ms, more than the standard reader spends on the shipped store (2 ms); the two
break even at about 450 kB (600 statistics); 250,000 statistics take 0.8 s where json and
`_validate` take 6 (benchmarks/bench.py's machine)."""


class Store:
    """A validated, read-only dz store. Build it with `open_store`."""

    def __init__(
        self, path: Path, tables: Mapping[str, list[Entry]], floats_alike: bool = False
    ) -> None:
        self.path = path
        self._tables = tables
        self.floats_alike = floats_alike
        """Whether every float in the store is written alike by both JSON encoders
        (`float_spelling`); known for a big store only, and False where not known."""
        self._periods: dict[str, set[Any]] = {}
        self._db: TinyDB | None = None

    @property
    def db(self) -> TinyDB:
        """The store as a read-only TinyDB database."""
        if self._db is None:
            from tinydb import TinyDB

            everything = {
                table: {entry[0]: _build(entry[3]) for entry in entries}
                for table, entries in self._tables.items()
            }
            self._db = TinyDB(self.path, data=everything, storage=ReadOnlyJSONStorage)
        return self._db

    def records(
        self,
        table: str,
        period: Callable[[Any], bool] | None = None,
        *,
        metrics: Collection[object] | None = None,
        ids: Collection[object] | None = None,
        mentioning: str | None = None,
    ) -> list[dict[str, Any]]:
        """The records of `table` in document-id order, as plain dicts.

        With `period`, only those whose "period" (or "" if they have none) it accepts; with
        `metrics`, only those whose "metric" is one of them; with `ids`, those whose "id" is;
        with `mentioning` (text as
        `matching.fold` folds it), at least those that hold it somewhere, and of a big store
        few others. A big store then builds only those records.
        """
        entries = self._entries(table)
        if period is not None:
            verdicts = {value: period(value) for value in self.periods(table)}
            entries = [entry for entry in entries if verdicts[entry[2]]]
        if metrics is not None:
            entries = [entry for entry in entries if entry[4] in metrics]
        if ids is not None:
            entries = [entry for entry in entries if entry[1] in ids]
        if mentioning is not None:
            entries = _mentioning(entries, mentioning)
        return [_build(entry[3]) for entry in sorted(entries, key=_document_number)]

    def documents(
        self, table: str, part: slice | None = None
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """(document id, record) of `table` in document-id order, each record built only when
        it is reached: an export walks a big store without holding every record at once. With
        `part`, only that slice of them."""
        entries = sorted(self._entries(table), key=_document_number)
        for entry in entries if part is None else entries[part]:
            yield entry[0], _build(entry[3])

    def count(self, table: str) -> int:
        """How many records `table` holds."""
        return len(self._entries(table))

    def projected(
        self, table: str, fields: tuple[str, ...], *, metrics: Collection[object] | None = None
    ) -> Iterator[tuple[Any, ...]]:
        """Only `fields` of each record of `table` (None where a record has none), in
        document-id order; with `metrics`, of those whose "metric" is one of them. A big store
        decodes just those fields of each record, and builds no record."""
        entries = self._entries(table)
        if metrics is not None:
            entries = [entry for entry in entries if entry[4] in metrics]
        project: Callable[[Any], tuple[Any, ...]] | None = None
        for entry in sorted(entries, key=_document_number):
            body = entry[3]
            if isinstance(body, dict):
                yield tuple([body.get(field) for field in fields])
                continue
            if project is None:
                project = _lazy_store().projection(fields)
            yield project(body)

    def periods(self, table: str) -> set[Any]:
        """Every distinct "period" of `table`'s records ("" for those without one)."""
        if table not in self._periods:
            self._periods[table] = {entry[2] for entry in self._entries(table)}
        return set(self._periods[table])

    def by_id(self, table: str) -> dict[str, dict[str, Any]]:
        """The records of `table` keyed by their `id` field (unique within a table)."""
        return {record["id"]: record for record in self.records(table)}

    def find(self, record_id: str) -> tuple[str, dict[str, Any]]:
        """The (table, record) whose `id` is `record_id`; the first table in TABLES order wins."""
        all_ids: list[str] = []
        for table in TABLES:
            entries = sorted(self._entries(table), key=_document_number)
            for entry in entries:
                if entry[1] == record_id:
                    return table, _build(entry[3])
            all_ids.extend(entry[1] for entry in entries)
        # An id may repeat across tables; offer each candidate once.
        candidates = difflib.get_close_matches(record_id, list(dict.fromkeys(all_ids)), n=5)
        hint = f"; did you mean {' or '.join(candidates)}?" if candidates else ""
        raise LookupFailed(f"no record with id {record_id!r}{hint}", candidates=candidates)

    def _entries(self, table: str) -> list[Entry]:
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}")
        return self._tables[table]


def _document_number(entry: Entry) -> tuple[int, str]:
    """Numeric order of a document id without converting it: an id of thousands of digits is
    more than Python will turn into an int (sys.get_int_max_str_digits)."""
    digits = entry[0].lstrip("0")
    return len(digits), digits


def _mentioning(entries: list[Entry], folded: str) -> list[Entry]:
    """The entries that may hold `folded` in one of their texts: every one already built, and
    of those still in raw bytes, those `dzcli.mentions` cannot rule out."""
    from dzcli.mentions import may_mention

    built = [entry for entry in entries if isinstance(entry[3], dict)]
    raw = [entry for entry in entries if not isinstance(entry[3], dict)]
    return built + [raw[i] for i in may_mention([entry[3] for entry in raw], folded)]


def _build(body: Any) -> dict[str, Any]:
    if isinstance(body, dict):
        return dict(body)  # a copy: what a caller does with it must not reach the store
    built: dict[str, Any] = _lazy_store().build(body)
    return built


@functools.cache
def _lazy_store() -> ModuleType:
    """`dzcli.lazy_store`, already imported (only it makes bodies that are not dicts): looked
    up once, not by an import statement for each of a big store's records."""
    from dzcli import lazy_store

    return lazy_store


def open_store(path: Path) -> Store:
    """Open and validate the store at `path`; raises StoreError if it is unusable."""
    return store_from_bytes(path, _read_bytes(path))


def read_store_bytes(path: Path) -> bytes:
    """The store file's bytes, read once (an export hashes exactly what it exports)."""
    return _read_bytes(path)


def store_from_bytes(path: Path, raw: bytes) -> Store:
    """The store whose file `path` held `raw`; raises StoreError if it is unusable."""
    if len(raw) >= LAZY_BYTES:
        from dzcli import lazy_store, read_cache
        from dzcli.model import float_spelling

        key = read_cache.digest(raw)
        recalled = read_cache.recall(path, raw, key)
        if recalled is not None:
            return Store(path, *recalled)
        tables = lazy_store.read(raw)
        if tables is not None:
            alike = read_cache.remember(
                path, raw, key, tables, lambda: float_spelling.text_alike(raw)
            )
            return Store(path, tables, floats_alike=alike)
    data = _load(path, raw)  # the standard reader: a small store, or one lazy_store left to it
    return Store(
        path,
        {
            table: [
                (doc_id, record["id"], record.get("period", ""), record, record.get("metric"))
                for doc_id, record in data[table].items()
            ]
            for table in TABLES
        },
    )
