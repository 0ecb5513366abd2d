"""Reading a store: its file (`file`), its records checked in C (`decoding`), the SQLite index
every query asks (`index`, kept by `cache`), and the store as queries see it (`store`).

No CLI or rendering here.
"""

from __future__ import annotations

from pathlib import Path

from dzcli import locations
from dzcli.read.store import Store


def open_store(path: Path) -> Store:
    """The store at `path`, checked and indexed; StoreError if commands cannot use it."""
    from dzcli.read import cache  # sqlite3, msgspec: only once a command reads a store

    return Store(path, cache.connect(path))


def store_of(path: Path, raw: bytes) -> Store:
    """The store whose file `path` holds `raw` (read once, for an export or an import that
    must know exactly which bytes it read); StoreError if commands could not use it."""
    from dzcli.read import cache

    return Store(path, cache.in_memory(path, raw))


def resolve_store_path(option: str | Path | None) -> Path:
    """`--db` if given, else `$DZ_DB` if non-empty, else the user store if it exists, else the
    shipped store (`dzcli.locations`)."""
    return locations.resolve(option).path


def default_store_path() -> Path:
    """The store shipped with the package (or the repo's data/facts.json in a checkout)."""
    return locations.shipped_store_path()


__all__ = ["Store", "default_store_path", "open_store", "resolve_store_path", "store_of"]
