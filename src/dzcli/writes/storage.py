"""dz's TinyDB storage (TinyDB's documented extension point): locked, atomic, in one form.

TinyDB's own JSONStorage overwrites the file in place and takes no lock: a kill mid-write can
leave half a store, and two writers can interleave. This one, after git's lockfiles and SQLite's
atomic commit:
- takes the store's lock when it opens and holds it until it closes, across the read, the
  checks and the write (`dzcli.writes.lock`);
- keeps TinyDB's writes in memory, so a command that changes several tables (a record and its
  log entry, an import) is one change; `commit` writes it: a temporary file in the same folder,
  fsync, os.replace over the store, fsync of the folder. A reader sees the old store or the new
  one, never a mix, and a kill at any moment leaves one of the two;
- removes temporary files a killed writer left behind (only a lock holder writes them, so while
  it holds the lock, any it finds are orphans);
- writes the file in its one form (`dzcli.writes.layout`): a commit that changes nothing leaves
  the file untouched, and a change changes only its own lines;
- hands TinyDB tables that keep the file's bytes and parse only the records asked for
  (`dzcli.writes.spliced`), and writes back the bytes of every record left alone, not copied,
  with the records added or changed spliced in between.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from tinydb import Storage

from dzcli.model.errors import StoreError
from dzcli.store import load
from dzcli.writes import layout
from dzcli.writes.layout import Tables
from dzcli.writes.lock import StoreLock
from dzcli.writes.spliced import SplicedTable

LAZY_BYTES = 4 << 20
"""From this size on, a write checks the neighbourhood of its change, not the whole store
(`dzcli.writes.validation`)."""


class WriteFailed(StoreError):
    """The operating system refused the write (full disk, permissions, read-only folder)."""


class LockedAtomicStorage(Storage):
    def __init__(self, path: str | Path, wait: float = 10.0) -> None:
        super().__init__()
        self.path = Path(path)
        self._lock = StoreLock(self.path, wait)
        self._lock.acquire()
        try:
            remove_orphans(self.path)
            self._raw = _read(self.path)
            self._data: Tables = self._split(self._raw)
            self._names = list(self._data)
        except BaseException:
            self._lock.release()
            raise

    @property
    def lazy(self) -> bool:
        """Whether the store is big enough to check only the neighbourhood of a change."""
        return len(self._raw) >= LAZY_BYTES

    def _split(self, raw: bytes) -> Tables:
        tables = layout.split(raw)
        if tables is not None and not self.lazy:
            # A small store is cheap to read whole: a record out of the one form inside the
            # tables' frame sends it the way of any other form, not to an error on touching it.
            try:
                for table in tables.values():
                    table.originals()
            except StoreError:
                tables = None
        if tables is None:  # another form: parsed whole, and written in the one form
            tables = layout.split(layout.dump(load(self.path, raw)))
            assert tables is not None, "the one form splits"
        return tables

    def read(self) -> Tables:  # type: ignore[override]  # mappings that parse on demand
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        # Kept until `commit`: one command, one change to the file. TinyDB's own table code
        # hands back the tables it read (`dzcli.writes.table`); any other is taken as new.
        for name, records in data.items():
            if not isinstance(records, SplicedTable):
                table = SplicedTable()
                table.update(records)
                data[name] = table
        self._data = data

    def record(self, table: str, doc_id: str) -> dict[str, Any]:
        """A record as it is now, parsed (and kept parsed, so TinyDB can update it)."""
        return self._data[table][doc_id]  # type: ignore[no-any-return]

    def original(self, table: str, doc_id: str) -> dict[str, Any] | None:
        """A record as the file holds it, None if the file has no such record."""
        records = self._data.get(table)
        return None if records is None else records.original(doc_id)

    def originals(self) -> dict[str, dict[str, Any]]:
        """Every record as the file holds it, by table and document id."""
        return {name: table.originals() for name, table in self._data.items()}

    def records(
        self, table: str, mentioning: object = None, *, field: str | None = None
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every record of `table` as it is now, parsed, to read (change one through TinyDB);
        with `mentioning`, only those whose text may hold that value (as the value of `field`,
        if given): a superset, the caller still compares fields. Only those are parsed."""
        records = self._data.get(table)
        if records is None:
            return
        if mentioning is None:
            keys: Iterable[str] = list(records)
        else:
            keys = list(records.mentioning(needles(mentioning, field)))
        for doc_id in keys:
            yield doc_id, records.peek(doc_id)

    def commit(self) -> bool:
        """Write what TinyDB wrote, atomically; False if that is what the file already holds."""
        changed = layout.edits(self._data)
        if list(self._data) == self._names and not any(where for where, _ in changed.values()):
            return False
        write_atomically(self.path, layout.render(self._data, changed))
        return True

    def close(self) -> None:
        self._lock.release()


def needles(value: object, field: str | None = None) -> set[bytes]:
    """How `value` (as the value of `field`) can be written in a record: as the one form writes
    it, or as a writer that escapes non-ASCII did."""
    prefix = b"" if field is None else json.dumps(field).encode() + b": "
    return {prefix + json.dumps(value, ensure_ascii=a).encode() for a in (False, True)}


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read()
    except OSError as error:
        raise StoreError(f"cannot read store {path}: {_reason(error)}") from None


TEMP_SUFFIX = ".dz-tmp"


def _temp_prefix(store: Path) -> str:
    return f".{store.name}."


def remove_orphans(store: Path) -> None:
    """Remove temporary files a killed writer left beside `store` (call with the lock held)."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(store.parent):
            name = entry.name
            if name.startswith(_temp_prefix(store)) and name.endswith(TEMP_SUFFIX):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def write_atomically(path: Path, content: bytes | Iterable[layout.Chunk]) -> None:
    """Replace `path` by `content` (bytes, or pieces written one after the other) so that it
    holds the old bytes or the new, whatever happens; on an OS error the old file stays and no
    temporary file is left."""
    pieces = [content] if isinstance(content, bytes) else content
    temp = path.with_name(f"{_temp_prefix(path)}{os.getpid()}{TEMP_SUFFIX}")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, _mode(path))
        try:
            for piece in pieces:
                view = memoryview(piece)
                while view:
                    view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise WriteFailed(f"cannot write store {path}: {_reason(error)}") from None
    _sync_folder(path.parent)


def _mode(path: Path) -> int:
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        return 0o644


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX); Windows cannot open a folder, and needs no such step."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()
