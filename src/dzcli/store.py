"""Read-only access to the dz fact store (a TinyDB JSON file). No CLI or rendering here."""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import Any

from tinydb import Storage, TinyDB

from dzcli.errors import BadUsage, LookupFailed, StoreError

TABLES = ("metrics", "stats", "targets", "parks", "projects", "enterprises", "events", "sources")

_JSON_TYPE_NAMES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


def default_store_path() -> Path:
    """The store shipped with the package, or the repo's data/facts.json in a source checkout."""
    # A wheel install puts the store next to this module (hatch force-include). An editable
    # install or a source checkout imports this module from src/dzcli, where no copy exists,
    # so fall back to the one file at the repo root rather than keeping a second copy in src.
    packaged = Path(__file__).parent / "data" / "facts.json"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "facts.json"


def resolve_store_path(option: str | Path | None) -> Path:
    """The `--db` value if given, else `$DZ_DB` if non-empty, else the default store."""
    if option is not None:
        if str(option) == "":
            # Path("") means ".", which would surface as a baffling "is a directory" error.
            raise BadUsage("the store path must not be empty")
        return Path(option)
    env = os.environ.get("DZ_DB", "")
    if env:
        return Path(env)
    return default_store_path()


def _fail(path: Path, reason: str) -> StoreError:
    return StoreError(f"cannot read store {path}: {reason}")


def _load(path: Path) -> dict[str, dict[str, Any]]:
    try:
        # 'rb' only: a read must never create, truncate or touch the file.
        with path.open("rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise _fail(path, "no such file") from None
    except IsADirectoryError:
        raise _fail(path, "is a directory") from None
    except PermissionError:
        raise _fail(path, "permission denied") from None
    except OSError as e:
        raise _fail(path, (e.strerror or str(e)).lower()) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _fail(path, f"not UTF-8 text (invalid byte at offset {e.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise _fail(path, f"not valid JSON (line {e.lineno}, column {e.colno})") from None
    _validate(path, data)
    return data  # type: ignore[no-any-return]


def _validate(path: Path, data: object) -> None:
    if not isinstance(data, dict):
        kind = _JSON_TYPE_NAMES.get(type(data), type(data).__name__)
        raise _fail(path, f"not a dz store (the JSON is {kind}, not an object)")
    missing = [name for name in TABLES if name not in data]
    if missing:
        raise _fail(path, f"not a dz store (missing tables: {', '.join(missing)})")
    for name in TABLES:
        problem = _table_problem(data[name])
        if problem:
            raise _fail(path, f"table {name!r} is malformed ({problem})")


def _table_problem(table: object) -> str | None:
    if not isinstance(table, dict):
        return "expected an object of records"
    seen: set[str] = set()
    for doc_id, record in table.items():
        # TinyDB turns document ids into ints; anything else would crash it later.
        if not (doc_id.isascii() and doc_id.isdigit()):
            return f"document id {doc_id!r} is not a number"
        if not isinstance(record, dict):
            return f"record {doc_id} is not an object"
        record_id = record.get("id")
        if not isinstance(record_id, str):
            return f"record {doc_id} has no string 'id'"
        if record_id in seen:
            return f"duplicate id {record_id!r}"
        seen.add(record_id)
    return None


class ReadOnlyJSONStorage(Storage):
    """A TinyDB storage that parses the file once, validates it, and refuses to write."""

    def __init__(self, path: str | Path) -> None:
        # Unlike tinydb.JSONStorage, never open or create the file here.
        super().__init__()
        self.path = Path(path)
        self._data: dict[str, dict[str, Any]] | None = None

    def read(self) -> dict[str, dict[str, Any]]:
        if self._data is None:
            self._data = _load(self.path)
        # TinyDB's write path assigns into the dict it read before calling write(); hand out a
        # shallow copy so a refused write cannot leave a phantom table in the cache.
        return dict(self._data)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        raise StoreError(f"store {self.path} is opened read-only")


class Store:
    """A validated, read-only dz store. Build it with `open_store`."""

    def __init__(self, path: Path, db: TinyDB) -> None:
        self.path = path
        self.db = db

    def records(self, table: str) -> list[dict[str, Any]]:
        """The records of `table` in document-id order, as plain dicts."""
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}")
        docs = sorted(self.db.table(table), key=lambda doc: doc.doc_id)
        return [dict(doc) for doc in docs]

    def by_id(self, table: str) -> dict[str, dict[str, Any]]:
        """The records of `table` keyed by their `id` field (unique within a table)."""
        return {record["id"]: record for record in self.records(table)}

    def find(self, record_id: str) -> tuple[str, dict[str, Any]]:
        """The (table, record) whose `id` is `record_id`; the first table in TABLES order wins."""
        all_ids: list[str] = []
        for table in TABLES:
            records = self.by_id(table)
            if record_id in records:
                return table, records[record_id]
            all_ids.extend(records)
        # An id may repeat across tables; offer each candidate once.
        candidates = difflib.get_close_matches(record_id, list(dict.fromkeys(all_ids)), n=5)
        hint = f"; did you mean {' or '.join(candidates)}?" if candidates else ""
        raise LookupFailed(f"no record with id {record_id!r}{hint}", candidates=candidates)


def open_store(path: Path) -> Store:
    """Open and validate the store at `path`; raises StoreError if it is unusable."""
    db = TinyDB(path, storage=ReadOnlyJSONStorage)
    db.storage.read()  # parse and validate now, so errors surface at open time
    return Store(path, db)
