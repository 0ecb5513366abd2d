"""dz's TinyDB storage (TinyDB's documented extension point, read and write): locked, atomic,
written whole in one form.

TinyDB's own JSONStorage overwrites the file in place and takes no lock: a kill mid-write can
leave half a store, and two writers can interleave. This one, after git's lockfiles and SQLite's
atomic commit:
- takes the store's lock when it opens and holds it until it closes, across the read, the
  checks and the write (`dzcli.writes.lock`);
- reads the store whole when it opens, and keeps TinyDB's writes in memory, so that a command
  that changes several tables (a record and its log entry, an import) is one change;
- `commit` writes it whole: a temporary file in the same folder, fsync, os.replace over the
  store, fsync of the folder. A reader sees the old store or the new one, never a mix, and a
  kill at any moment leaves one of the two;
- removes temporary files a killed writer left behind (only a lock holder writes them, so while
  it holds the lock, any it finds are orphans).

The file's one form is msgspec's: JSON indented by 2, UTF-8, then a newline, the layout of
`json.dumps(..., indent=2, ensure_ascii=False)`. A commit that changes nothing leaves the file
untouched, and a change changes only its own lines (a file written in another form is
rewritten in this one).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import msgspec
from tinydb import Storage

from dzcli.model.errors import StoreError
from dzcli.model.kinds import TABLES
from dzcli.model.limits import numbered
from dzcli.model.validate import first_refusal
from dzcli.read import file
from dzcli.read.index import refusal
from dzcli.writes.lock import StoreLock

Tables = dict[str, dict[str, Any]]


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
            raw = file.read_bytes(self.path)[0]
            self._data: Tables = _decoded(self.path, raw)
            # Not the bytes themselves: on a big store they would be a quarter of the memory
            # a write takes. `commit` rereads them when a new form could be the same.
            self._raw_size = len(raw)
        except BaseException:
            self._lock.release()
            raise

    def read(self) -> Tables:
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        self._data = data  # kept until `commit`: one command, one change to the file

    def commit(self) -> bool:
        """Write what TinyDB wrote, atomically; False if that is what the file already holds."""
        content = _formatted(self._data)
        if self._holds(content):
            return False
        write_atomically(self.path, (content, b"\n"))
        return True

    def _holds(self, content: bytes) -> bool:
        """Whether the file holds `content` and its newline (the lock is held since it was
        read: no writer has changed it). Reread only if its size says it could."""
        if len(content) + 1 != self._raw_size:
            return False
        raw = file.read_bytes(self.path)[0]
        return raw.endswith(b"\n") and raw.startswith(content)

    def close(self) -> None:
        self._lock.release()


def _decoded(path: Path, raw: bytes) -> Tables:
    """The store in `raw` (the bytes of `path`) as dicts, if it is one TinyDB and the checks of
    a change can work on; else StoreError, in the reader's words (`dzcli.read.index`)."""
    try:
        data = msgspec.json.decode(raw)
    except msgspec.DecodeError:  # json words what is wrong, or reads what msgspec did not
        data = file.parse(path, raw)
    if not _well_shaped(data):
        misfit = first_refusal(data)
        if misfit is not None:
            raise refusal(path, misfit)
    return data  # type: ignore[no-any-return]


def _well_shaped(data: object) -> bool:
    """Every table there, each an object of records under document ids that are numbers."""
    if not isinstance(data, dict) or not all(isinstance(data.get(t), dict) for t in TABLES):
        return False
    return all(numbered(records) for records in data.values() if isinstance(records, dict))


def dump(data: Tables) -> bytes:
    """A store in the file's one form."""
    return _formatted(data) + b"\n"


def _formatted(data: Tables) -> bytes:
    """The file's one form but its final newline (written on its own: adding it would copy
    the whole store)."""
    return msgspec.json.format(msgspec.json.encode(data), indent=2)


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


def write_atomically(path: Path, content: bytes | Iterable[bytes]) -> None:
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
