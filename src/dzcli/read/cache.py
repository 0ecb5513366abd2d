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
from collections.abc import Callable
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
_KEPT = 8  # stores whose indexes are kept in the cache folder; the least recently built go first
_SUFFIX = ".dz-index"


Fill = Callable[[sqlite3.Connection, str], None]
"""Makes a part of an index: its tables, in the schema it is given, from the index's own."""


class Indexed:
    """A store's index, open read-only, and the sha256 of the bytes it is of; `kept`: where it
    is kept in the cache (None: in memory)."""

    def __init__(
        self,
        db: sqlite3.Connection,
        size: int,
        sha256: str | None,
        raw: bytes | None,
        kept: Path | None = None,
    ) -> None:
        self.db = db
        self.size = size  # of the store file, in bytes
        self._sha256 = sha256
        self._raw = raw  # the bytes of a store indexed in memory, until its sha256 is asked
        self._kept = kept
        self._parts: set[str] = set()

    def part(self, name: str, fill: Fill) -> None:
        """Attach the part `name` of the index, as the schema `name`: tables that only some
        commands ask for (the search text, the derived growth rows), made by `fill` at the first
        command that asks after a change, not with the index, and kept beside it in the cache
        (trusted while it is of this index's bytes and this code; built as the index is, into a
        temporary file renamed into place whole)."""
        if name in self._parts:
            return
        self._parts.add(name)
        if self._kept is None:
            self._made_here(name, fill)
            return
        kept = self._kept.with_name(f"{self._kept.name.removesuffix(_SUFFIX)}.{name}{_SUFFIX}")
        mark = f"{index.FORMAT} {code()} {self.sha256}"
        with contextlib.suppress(sqlite3.Error):
            self.db.execute(f"ATTACH ? AS {name}", (f"file:{quote(str(kept))}?{_READ_ONLY}",))
            if self.db.execute(f"SELECT value FROM {name}.meta").fetchone() == (mark,):
                return
        with contextlib.suppress(sqlite3.Error):
            self.db.execute(f"DETACH {name}")
        temporary = kept.with_name(f".{kept.name}.{os.getpid()}.tmp")
        try:
            temporary.unlink(missing_ok=True)
            self.db.execute(f"ATTACH ? AS {name}", (f"file:{quote(str(temporary))}?mode=rwc",))
            for pragma in _BUILDING:
                self.db.execute(f"PRAGMA {name}.{pragma}")
            self.db.execute("BEGIN")
            fill(self.db, name)
            self.db.execute(f"CREATE TABLE {name}.meta (value)")
            self.db.execute(f"INSERT INTO {name}.meta VALUES (?)", (mark,))
            self.db.execute("COMMIT")
            self.db.execute(f"DETACH {name}")
            os.replace(temporary, kept)
            self.db.execute(f"ATTACH ? AS {name}", (f"file:{quote(str(kept))}?{_READ_ONLY}",))
        except (OSError, sqlite3.Error):  # a full disk, say: made for this command alone
            self._discard(name, temporary)
            self._made_here(name, fill)
        except BaseException:
            self._discard(name, temporary)
            raise

    def _made_here(self, name: str, fill: Fill) -> None:
        self.db.execute(f"ATTACH ':memory:' AS {name}")
        fill(self.db, name)

    def _discard(self, name: str, temporary: Path) -> None:
        for undo in ("ROLLBACK", f"DETACH {name}"):
            with contextlib.suppress(sqlite3.Error):
                self.db.execute(undo)
        temporary.unlink(missing_ok=True)

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
            return Indexed(db, int(str(meta["bytes"])), str(meta["sha256"]), None, target)
        db.close()
    return _cached(target, path)


def in_memory(path: Path, raw: bytes) -> Indexed:
    """The index of the store whose file `path` holds `raw`, built in memory."""
    db = _new(":memory:")
    index.create(db)
    index.build(db, path, raw)
    return Indexed(db, len(raw), None, raw)


# An index is built once and renamed into place only once it is whole: nothing to sync. Big
# pages and a cache as large as the index write it in one pass (half the time of the defaults).
_BUILDING = ("page_size = 65536", "cache_size = -4000000", "synchronous = OFF")
# An index is only ever replaced, never changed, so SQLite need not lock it.
_READ_ONLY = "mode=ro&immutable=1"


def _new(where: str) -> sqlite3.Connection:
    db = sqlite3.connect(where, isolation_level=None)
    for pragma in _BUILDING:
        db.execute(f"PRAGMA {pragma}")
    db.execute("PRAGMA journal_mode = MEMORY")  # a build that falls back rolls back its start
    return db


def _open(target: Path) -> tuple[sqlite3.Connection, dict[str, object]] | None:
    """The index at `target`, read-only, and what it says it is of; None if there is none."""
    try:
        db = sqlite3.connect(
            f"file:{quote(str(target))}?{_READ_ONLY}", uri=True, isolation_level=None
        )
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
    if opened is None:
        return in_memory(path, raw)
    return Indexed(opened[0], len(raw), hashed[0], None, target)


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
    SQLite and msgspec, and a checksum of the source of the registry, the validator, the read
    layer and the growth rows (a part of the index)."""
    if not _CODE:
        import msgspec

        package = Path(dzcli.__file__).parent
        checksum = 0
        sources = [*(package / "model").glob("*.py"), *(package / "read").glob("*.py")]
        for source in sorted([*sources, package / "queries" / "growth.py"]):
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
    """Remove the indexes, and their parts, of all but the _KEPT stores last indexed."""
    with contextlib.suppress(OSError):
        entries = [entry for entry in os.scandir(folder) if entry.name.endswith(_SUFFIX)]
        indexes = [entry for entry in entries if entry.name.count(".") == 1]  # not a part
        indexes.sort(key=lambda entry: entry.stat().st_mtime, reverse=True)
        kept = {entry.name.split(".")[0] for entry in indexes[:_KEPT]}
        for stale in entries:
            if stale.name.split(".")[0] not in kept:
                with contextlib.suppress(OSError):
                    os.unlink(stale.path)
