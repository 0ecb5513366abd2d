"""Which store a command uses, and why: `--db`, `DZ_DB`, the user store if it exists, the
shipped store. Writes never go to the shipped store; the user store is where they go by default.

No heavy imports: every command resolves its store at start-up.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from dzcli.model.errors import BadUsage

FLAG, ENVIRONMENT, USER, SHIPPED = "flag", "environment", "user store", "shipped"
SOURCES_DIR = "sources"  # the folder beside a store that holds its source texts


class Resolved(NamedTuple):
    path: Path
    origin: str  # FLAG, ENVIRONMENT, USER or SHIPPED: why this store


def shipped_store_path() -> Path:
    """The store shipped with the package, or the repo's data/facts.json in a source checkout."""
    # A wheel install puts the store next to this module (hatch force-include). An editable
    # install or a source checkout imports this module from src/dzcli, where no copy exists,
    # so fall back to the one file at the repo root rather than keeping a second copy in src.
    packaged = Path(__file__).parent / "data" / "facts.json"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[1].parent / "data" / "facts.json"


def user_store_path() -> Path:
    """$DZ_HOME/facts.json, else $XDG_DATA_HOME/dz/facts.json, else ~/.local/share/dz/…"""
    home = os.environ.get("DZ_HOME", "")
    if home:
        return Path(home) / "facts.json"
    data_home = os.environ.get("XDG_DATA_HOME", "")
    # The XDG spec: a relative path is invalid and must be ignored.
    base = Path(data_home) if os.path.isabs(data_home) else Path.home() / ".local" / "share"
    return base / "dz" / "facts.json"


def cache_dir() -> Path | None:
    """Where dz keeps the indexes of big stores (`dzcli.read.cache`): $XDG_CACHE_HOME/dz, else
    ~/.cache/dz; None if `DZ_NO_CACHE` is set or there is no home."""
    if os.environ.get("DZ_NO_CACHE", ""):
        return None
    cache_home = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(cache_home):  # the XDG spec: a relative path is invalid and ignored
        return Path(cache_home) / "dz"
    try:
        return Path.home() / ".cache" / "dz"
    except RuntimeError:  # no home directory to be found
        return None


def resolve(option: str | Path | None) -> Resolved:
    """The store a command reads: `--db`, else `$DZ_DB`, else the user store if it exists,
    else the shipped one."""
    if option is not None:
        if str(option) == "":
            # Path("") means ".", which would surface as a baffling "is a directory" error.
            raise BadUsage("the store path must not be empty")
        return Resolved(Path(option), FLAG)
    env = os.environ.get("DZ_DB", "")
    if env:
        return Resolved(Path(env), ENVIRONMENT)
    user = user_store_path()
    if user.exists():
        return Resolved(user, USER)
    return Resolved(shipped_store_path(), SHIPPED)


def sources_dir(store: Path) -> Path:
    """The folder of source texts beside a store."""
    return store.parent / SOURCES_DIR
