"""What every export does the same way: read the store once, write under a temporary name
beside the target and move into place, and say how far it is when it takes a while."""

from __future__ import annotations

import collections
import contextlib
import gc
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from dzcli import process
from dzcli.export import ExportError, tabular
from dzcli.export.tabular import Row, Table
from dzcli.model.kinds import TABLES
from dzcli.read import Store, open_store

ProgressReport = Callable[[str, int], None]
"""How far an export is: the table it writes, and the rows written so far."""


class Source:
    """The store an export reads and never writes, under no lock: a writer replaces the file
    whole, so a reader sees one store or the other."""

    def __init__(self, path: Path) -> None:
        self.store: Store = open_store(path)

    def about(self) -> list[tuple[str, str]]:
        """The rows of the export's own table (tabular.ABOUT)."""
        from dzcli import __version__

        log = self.store.documents("log") if "log" in TABLES else ()
        last = collections.deque((record for _, record in log), maxlen=1)
        return [
            ("dz_version", __version__),
            ("store_sha256", self.store.sha256),  # of the very bytes the records came from
            ("store_bytes", str(self.store.size)),
            (
                "last_log_entry",
                json.dumps(last[0], ensure_ascii=False, sort_keys=True) if last else "none",
            ),
        ]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off: an export makes no cycles, and it would scan the
    store's records again and again (1.5 s of a 12 s export at 250,000 statistics)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


@contextlib.contextmanager
def replacing(target: Path, *, force: bool, directory: bool = False) -> Iterator[Path]:
    """A temporary file (or folder) beside `target`, moved over it if the block succeeds (an
    existing one only with `force`), removed if it fails. It gets the permissions the umask
    gives a new file, as `>` or `cp` would, not a temporary file's 0600 (0700)."""
    if (target.exists() or target.is_symlink()) and not force:
        raise ExportError(f"{target} exists; use --force to replace it")
    if target.exists() and directory != target.is_dir():
        what = "a folder" if target.is_dir() else "a file"
        raise ExportError(f"{target} is {what}; choose another name")
    folder = target.parent
    try:
        if directory:
            temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=folder))
        else:
            handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
            os.close(handle)
            temporary = Path(name)
    except OSError as error:
        raise ExportError(f"cannot write in {folder}: {_reason(error)}") from None
    # Reading the umask means setting it: to the strictest one for the instant between.
    umask = os.umask(0o077)
    os.umask(umask)
    try:
        temporary.chmod((0o777 if directory else 0o666) & ~umask)
    except OSError as error:
        _remove(temporary)
        raise ExportError(f"cannot write in {folder}: {_reason(error)}") from None
    try:
        yield temporary
        try:
            if directory and target.is_dir():
                # A folder cannot be renamed over one that has files: set the old one aside.
                old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=folder))
                os.replace(target, old / "content")
                os.replace(temporary, target)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(temporary, target)
        except OSError as error:
            raise ExportError(f"cannot write {target}: {_reason(error)}") from None
    except BaseException:
        _remove(temporary)
        raise


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


class Progress:
    """One line on `stream`, rewritten in place, once an export has run for a second, and
    only on a terminal: a pipe or a log file gets nothing, nor `--quiet`."""

    DELAY = 1.0

    def __init__(self, what: str, stream: TextIO | None = None) -> None:
        self.what = what
        self.stream = sys.stderr if stream is None else stream
        self.start = time.monotonic()
        self.last = 0.0
        self.shown = False
        try:
            self.terminal = self.stream.isatty() and not process.quiet
        except (AttributeError, ValueError):
            self.terminal = False

    def __call__(self, table: str, rows: int) -> None:
        if not self.terminal:
            return
        now = time.monotonic()
        if now - self.start < self.DELAY or now - self.last < 0.1:
            return
        self.last = now
        self.shown = True
        self.stream.write(f"\r\x1b[Kdz: exporting {self.what}: {table}, {rows:,} rows")
        self.stream.flush()

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def stream(
    source: Source,
    tables: list[Table],
    write: Callable[[Table, list[Row]], None],
    progress: ProgressReport,
) -> None:
    """Hand `write` every row of every table, in batches of one table (`tabular.batches`)."""
    count = 0
    for table, batch in tabular.batches(source.store, tables):
        write(table, batch)
        count += len(batch)
        progress(table.name, count)
    about = next(table for table in tables if table.name == tabular.ABOUT)
    write(about, list(source.about()))


# What every export says of its licence (the data package's `licenses`, Datasette's).
LICENCE_NOTE = (
    "No licence is stated by the source: the facts are short quotations from the report "
    "named as source, each attributed; check its publisher's terms before republishing."
)
