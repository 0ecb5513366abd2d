"""One write: find the store to write, lock it, change it through TinyDB, check the change,
log it, and commit it atomically; or refuse, leaving the store's bytes and mtime as they were."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, MutableMapping
from pathlib import Path
from typing import Any

from dzcli import locations, process
from dzcli.model.errors import StoreError
from dzcli.model.limits import WRITE_WAIT_SECONDS
from dzcli.writes import journal
from dzcli.writes.storage import LockedAtomicStorage
from dzcli.writes.validation import refuse_unless_valid

Record = dict[str, Any]
DEFAULT_WAIT = WRITE_WAIT_SECONDS


def writable_store(option: str | Path | None) -> Path:
    """The store a write goes to: `--db`, `$DZ_DB`, else the user store, created on the first
    write as a copy of the shipped store and its sources (one line on stderr says where).
    Never the shipped store, nor anything inside the installed package."""
    resolved = locations.resolve(option)
    path = resolved.path
    if resolved.origin == locations.SHIPPED:
        path = locations.user_store_path()
        _create_user_store(path)
    _refuse_shipped(path)
    return path


def _refuse_shipped(path: Path) -> None:
    shipped = locations.shipped_store_path()
    package = Path(locations.__file__).resolve().parent
    target = path.resolve()
    if target == shipped.resolve() or target.is_relative_to(package):
        raise StoreError(
            f"will not write to the store shipped with dz ({path}); write to your own store "
            "(the default, see `dz info`), or name one with --db or DZ_DB"
        )


def _create_user_store(path: Path) -> None:
    shipped = locations.shipped_store_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        sources = locations.sources_dir(shipped)
        if sources.is_dir():
            shutil.copytree(sources, locations.sources_dir(path), dirs_exist_ok=True)
        if not path.exists():
            # Through a temporary file, as every write: a second writer may be doing the same.
            from dzcli.writes.storage import write_atomically

            write_atomically(path, shipped.read_bytes())
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise StoreError(f"cannot create your store {path}: {reason}") from None
    process.inform(f"dz: created your store {path} from the shipped one")


class Write:
    """`with Write(path, wait) as w: w.insert(…); w.commit(doc=…)`; nothing is written unless
    `commit` passes every check."""

    def __init__(self, path: Path, wait: float = DEFAULT_WAIT, command: str | None = None):
        self.path = path
        self.wait = wait
        self.command = command or journal.command_line()
        self.added: list[str] = []
        self.changed: list[str] = []
        self.retracted: list[str] = []
        self.previous: list[Record] = []
        self._changes: dict[str, dict[str, Record | None]] = {}  # as `validation.Changes`

    def __enter__(self) -> Write:
        from tinydb import TinyDB

        self.db = TinyDB(self.path, storage=LockedAtomicStorage, wait=self.wait)
        storage = self.db.storage
        assert isinstance(storage, LockedAtomicStorage)
        self.storage = storage
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    @property
    def sources_dir(self) -> Path:
        return locations.sources_dir(self.path)

    def records(
        self, table: str, mentioning: object = None, *, field: str | None = None
    ) -> Iterable[tuple[str, Record]]:
        """(document id, record) of `table`, as they are now (change one with `replace`); with
        `mentioning` and `field`, those whose `field` is that value. Copies: a change goes
        through `replace`."""
        records = self.storage.read().get(table, {})
        found: Iterable[tuple[str, Record]] = records.items()
        if mentioning is not None and field is not None:
            found = [(doc, record) for doc, record in found if record.get(field) == mentioning]
        return [(doc, dict(record)) for doc, record in found]  # copies: TinyDB changes its own

    def find(self, record_id: str) -> tuple[str, str, Record] | None:
        """(table, document id, record) of the record with this id, if any."""
        for table in self.storage.read():
            for doc_id, record in self.records(table, record_id, field="id"):
                return table, doc_id, record
        return None

    def insert(self, table: str, records: list[Record]) -> None:
        if not records:
            return
        doc_ids = self.db.table(table).insert_multiple(records)
        self._changes.setdefault(table, {}).update((str(doc), None) for doc in doc_ids)
        self.added.extend(str(record.get("id")) for record in records)

    def replace(self, table: str, changes: dict[str, Record], *, retracted: bool = False) -> None:
        """Replace records by document id (changes: document id → the new record)."""
        if not changes:
            return
        stored = self.storage.read()[table]
        new_by_document: dict[int, Record] = {}
        for doc_id, record in changes.items():
            old = dict(stored[doc_id])
            self.previous.append(old)
            self._changes.setdefault(table, {}).setdefault(doc_id, old)
            (self.retracted if retracted else self.changed).append(str(record.get("id")))
            new_by_document[id(stored[doc_id])] = dict(record)
        # One update for all: TinyDB rebuilds the whole table for each.
        ids = [int(doc_id) for doc_id in changes]
        self.db.table(table).update(_replace_with(new_by_document), doc_ids=ids)

    def remove(self, table: str, doc_ids: Iterable[str]) -> None:
        """Remove records by document id (`dz undo` of an addition); the log keeps each."""
        ids = list(doc_ids)
        if not ids:
            return
        for doc_id in ids:
            old = dict(self.storage.read()[table][doc_id])
            self.previous.append(old)
            self._changes.setdefault(table, {}).setdefault(doc_id, old)
            self.changed.append(str(old.get("id")))
        self.db.table(table).remove(doc_ids=[int(doc_id) for doc_id in ids])

    def commit(self, doc: str | None = None, *, dry_run: bool = False) -> bool:
        """Log the change, check it, and write it (with `dry_run`, check it only: nothing is
        written); False if there was nothing to write."""
        if not (self.added or self.changed or self.retracted):
            return False
        log = self.db.table(journal.TABLE)
        number = len(log) + 1
        entry = journal.entry(
            number,
            command=self.command,
            added=self.added,
            changed=self.changed,
            retracted=self.retracted,
            doc=doc,
            previous=self.previous,
        )
        self._changes.setdefault(journal.TABLE, {})[str(log.insert(entry))] = None
        sources = self.sources_dir
        after = self.storage.read()
        refuse_unless_valid(after, self._changes, sources if sources.is_dir() else None)
        if dry_run:
            return True
        return self.storage.commit()


def _replace_with(
    new_by_document: dict[int, Record],
) -> Callable[[MutableMapping[Any, Any]], None]:
    """TinyDB's update callable that replaces each document (known by its `id()`: TinyDB
    passes the stored one) by its new record."""

    def replace(document: MutableMapping[Any, Any]) -> None:
        new = new_by_document[id(document)]
        document.clear()
        document.update(new)

    return replace
