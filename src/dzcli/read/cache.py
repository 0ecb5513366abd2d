"""Where a store's index lives, whether it is still the store's, and how it gets there.

An index is kept in the user's cache folder (`$XDG_CACHE_HOME/dz/index`, else `~/.cache/dz`,
never beside the store), one file per store path, and is trusted only while it is the index of
exactly the store's bytes as built by exactly this code:
- its code fingerprint is this dz's (`code`): a change to the code that reads stores and builds
  indexes makes every index be built again;
- the store file's inode, size and times are those it was built from. A change to the file
  changes its change time (ctime), which no program can set back; only a change within a clock
  tick of the build could keep the same times. So an index built from a file changed less than
  RACY_SECONDS before is trusted only once the file's sha256 is that of the bytes it was built
  from (git calls such an entry "racily clean"), and every other one by its times.

An index is built into a temporary file beside it and renamed into place whole: two readers at
once each see a whole index, and a reader killed while it builds leaves only a temporary file,
which no read opens (a later build removes it). A small store, a store when `DZ_NO_CACHE` is set
or the cache folder cannot be written, is indexed in memory, for the one command.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
import zlib
from pathlib import Path
from urllib.parse import quote

import dzcli
from dzcli import locations
from dzcli.model.errors import StoreError
from dzcli.read import file, index

CACHED_FROM_BYTES = 1 << 20
"""A store of this many bytes or more has its index kept in the cache; a smaller one is indexed
in memory by every command (the shipped store, 130 kB, in a few milliseconds)."""
RACY_SECONDS = 2
_KEPT = 8  # indexes kept in the cache folder; the least recently built go first
_SUFFIX = ".dz-index"


class Indexed:
    """A store's index, open read-only, and the sha256 of the bytes it is of."""

    def __init__(
        self, db: sqlite3.Connection, size: int, sha256: str | None, raw: bytes | None
    ) -> None:
        self.db = db
        self.size = size  # of the store file, in bytes
        self._sha256 = sha256
        self._raw = raw  # the bytes of a store indexed in memory, until its sha256 is asked

    @property
    def sha256(self) -> str:
        if self._sha256 is None:
            self._sha256 = _digest(self._raw or b"")
            self._raw = None
        return self._sha256


def connect(path: Path) -> Indexed:
    """The index of the store at `path`, built first if need be; StoreError if the store cannot
    be read or is not one dz can use."""
    folder = locations.cache_dir()
    try:
        info = os.stat(path)
    except OSError:
        info = None  # `file.read_bytes` says why, in its own words
    if folder is None or info is None or info.st_size < CACHED_FROM_BYTES:
        return in_memory(path, file.read_bytes(path)[0])
    target = folder / "index" / f"{_slot(path)}{_SUFFIX}"
    opened = _open(target)
    if opened is not None:
        db, meta = opened
        if _still(meta, path, info):
            return Indexed(db, int(str(meta["bytes"])), str(meta["sha256"]), None)
        db.close()
    return _cached(target, path)


def in_memory(path: Path, raw: bytes) -> Indexed:
    """The index of the store whose file `path` holds `raw`, built in memory."""
    db = _new(":memory:")
    index.create(db)
    index.build(db, path, raw)
    return Indexed(db, len(raw), None, raw)


def _new(where: str) -> sqlite3.Connection:
    db = sqlite3.connect(where, isolation_level=None)
    db.execute("PRAGMA journal_mode = MEMORY")  # a build that falls back rolls back its start
    db.execute("PRAGMA synchronous = OFF")  # renamed into place only once it is whole
    return db


def _open(target: Path) -> tuple[sqlite3.Connection, dict[str, object]] | None:
    """The index at `target`, read-only, and what it says it is of; None if there is none."""
    try:
        # immutable: an index is only ever replaced, never changed, so SQLite need not lock it.
        db = sqlite3.connect(f"file:{quote(str(target))}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return None
    try:
        return db, dict(db.execute("SELECT key, value FROM meta"))
    except sqlite3.Error:
        db.close()
        return None


def _still(meta: dict[str, object], path: Path, info: os.stat_result) -> bool:
    """Whether an index that says `meta` of itself is the index of the store at `path` now."""
    return (
        meta.get("format") == index.FORMAT
        and meta.get("code") == code()
        and meta.get("store") == _where(path)
        and meta.get("identity") == _identity(info)
        and (meta.get("racy") == 0 or _sha256_of(path) == meta.get("sha256"))
    )


def _cached(target: Path, path: Path) -> Indexed:
    """The index built now, and kept at `target` if the cache folder takes it."""
    raw, before = file.read_bytes(path)
    checked = time.time_ns()
    hashed: list[str] = []  # hashlib lets go of the interpreter: hashed while the index is built
    hashing = threading.Thread(target=lambda: hashed.append(_digest(raw)), daemon=True)
    hashing.start()
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_orphans(target.parent)
        temporary.unlink(missing_ok=True)
        db = _new(str(temporary))
    except (OSError, sqlite3.Error):
        return in_memory(path, raw)  # no cache to keep it in: this command's alone
    try:
        index.create(db)
        index.build(db, path, raw)
        hashing.join()
        recent = checked - RACY_SECONDS * 10**9
        racy = before is None or max(before.st_mtime_ns, before.st_ctime_ns) >= recent
        facts = {
            "format": index.FORMAT,
            "code": code(),
            "store": _where(path),
            "identity": None if before is None else _identity(before),
            "racy": int(racy),
            "sha256": hashed[0],
            "bytes": len(raw),
        }
        db.executemany("INSERT INTO meta VALUES (?, ?)", facts.items())
        db.close()
        os.replace(temporary, target)
    except sqlite3.Error:  # a full disk, say: an index is only ever a shortcut
        db.close()
        temporary.unlink(missing_ok=True)
        return in_memory(path, raw)
    except BaseException:
        db.close()
        temporary.unlink(missing_ok=True)
        raise
    _prune(target.parent)
    opened = _open(target)
    return in_memory(path, raw) if opened is None else Indexed(opened[0], len(raw), hashed[0], None)


def _slot(path: Path) -> str:
    """The index file's name for a store path: two checksums of it, 64 bits (a clash only
    makes two stores take turns in one file)."""
    where = os.fsencode(_where(path))
    return f"{zlib.crc32(where):08x}{zlib.adler32(where):08x}"


def _where(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return str(path.absolute())


def _identity(info: os.stat_result) -> str:
    return ":".join(map(str, file.identity(info)))


def _sha256_of(path: Path) -> str | None:
    try:
        return _digest(file.read_bytes(path)[0])
    except StoreError:
        return None


def _digest(raw: bytes) -> str:
    import hashlib  # OpenSSL: not for a small store, until an export asks

    return hashlib.sha256(raw).hexdigest()


_CODE: list[str] = []


def code() -> str:
    """A fingerprint of the code that reads stores and builds indexes: the versions of dz,
    SQLite and msgspec, and a checksum of the source of the registry, the validator and the
    read layer."""
    if not _CODE:
        import msgspec

        package = Path(dzcli.__file__).parent
        checksum = 0
        for source in sorted([*(package / "model").glob("*.py"), *(package / "read").glob("*.py")]):
            checksum = zlib.crc32(source.read_bytes(), checksum)
        versions = f"{dzcli.__version__} {sqlite3.sqlite_version} {msgspec.__version__}"
        _CODE.append(f"{versions} {checksum:08x}")
    return _CODE[0]


def _remove_orphans(folder: Path) -> None:
    """Temporary files of builds that did not finish (a reader killed while it built) and are
    an hour old: a build under way is younger."""
    cutoff = time.time() - 3600
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.endswith(".tmp") and entry.stat().st_mtime < cutoff:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _prune(folder: Path) -> None:
    with contextlib.suppress(OSError):
        kept = sorted(
            (entry for entry in os.scandir(folder) if entry.name.endswith(_SUFFIX)),
            key=lambda entry: entry.stat().st_mtime,
            reverse=True,
        )
        for stale in kept[_KEPT:]:
            with contextlib.suppress(OSError):
                os.unlink(stale.path)
