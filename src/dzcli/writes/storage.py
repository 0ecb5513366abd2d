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
  the file untouched, and a change changes only its own lines.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tinydb import Storage

from dzcli.model.errors import StoreError
from dzcli.store import load
from dzcli.writes import layout
from dzcli.writes.layout import RawRecord, Tables
from dzcli.writes.lock import StoreLock

LAZY_BYTES = 4 << 20
"""From this size on, records a write leaves alone are kept as bytes, never parsed."""


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
            self.original: Tables = self._parse(self._raw)
            self._data: Tables = {
                table: {doc: _copy(record) for doc, record in records.items()}
                for table, records in self.original.items()
            }
        except BaseException:
            self._lock.release()
            raise

    @property
    def lazy(self) -> bool:
        """Whether records a write leaves alone stay unparsed (a big store)."""
        return len(self._raw) >= LAZY_BYTES

    def _parse(self, raw: bytes) -> Tables:
        if len(raw) >= LAZY_BYTES:
            tables = layout.split(raw)
            if tables is not None:
                return tables
        return load(self.path, raw)

    def read(self) -> Tables:
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self._data = data  # kept until `commit`: one command, one change to the file

    def record(self, table: str, doc_id: str) -> dict[str, Any]:
        """A record as it is now, parsed (and kept parsed, so TinyDB can update it)."""
        records = self._data[table]
        value = records[doc_id]
        if isinstance(value, RawRecord):
            value = records[doc_id] = value.parse()
        return value  # type: ignore[no-any-return]

    def records(
        self, table: str, mentioning: object = None
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every record of `table` as it is now, parsed; with `mentioning`, only those whose
        text may hold that value (a superset: the caller still compares fields). In a big
        store that leaves the other records unparsed, and the write keeps their bytes."""
        needles: set[bytes] = set()
        if mentioning is not None:  # as the one form writes it, or as an escaping writer did
            needles = {json.dumps(mentioning, ensure_ascii=a).encode() for a in (False, True)}
        for doc_id, value in list(self._data.get(table, {}).items()):
            if (
                needles
                and isinstance(value, RawRecord)
                and not any(needle in value.text for needle in needles)
            ):
                continue
            yield doc_id, self.record(table, doc_id)

    def commit(self) -> bool:
        """Write what TinyDB wrote, atomically; False if that is what the file already holds."""
        text = layout.render(self._data)
        if text == self._raw:
            return False
        write_atomically(self.path, text)
        self._raw = text
        return True

    def close(self) -> None:
        self._lock.release()


def _copy(record: Any) -> Any:
    # TinyDB updates a document in place; `original` must keep the record as it was read.
    return dict(record) if isinstance(record, dict) else record


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


def write_atomically(path: Path, content: bytes) -> None:
    """Replace `path` by `content` so that it holds the old bytes or the new, whatever happens;
    on an OS error the old file stays and no temporary file is left."""
    temp = path.with_name(f"{_temp_prefix(path)}{os.getpid()}{TEMP_SUFFIX}")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, _mode(path))
        try:
            view = memoryview(content)
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
