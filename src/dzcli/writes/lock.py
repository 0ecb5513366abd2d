"""The store's write lock: an exclusive lock on `<store>.lock` beside it, the way git locks a
ref: `flock` on Unix, as `flock(1)` from a shell would (and as the `filelock` package takes it,
called directly here: importing that package costs a write more than the rest of its start-up);
on Windows `filelock` takes it (LockFileEx). The holder writes its PID into the file, so a
writer that gives up can name it.

The lock file is opened without truncating it, so a waiting writer never erases the PID of the
one it waits for. It is never removed: removing it would let two writers lock two files.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from pathlib import Path

from dzcli.model.errors import StoreBusy, StoreError

POLL_SECONDS = 0.02


def lock_path(store: Path) -> Path:
    return store.with_name(store.name + ".lock")


class StoreLock:
    """Held from `acquire` to `release`; readers never take it."""

    def __init__(self, store: Path, wait: float) -> None:
        self.path = lock_path(store)
        self.wait = wait
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise StoreError(f"cannot lock {self.path}: {_reason(error)}") from None
        deadline = time.monotonic() + max(self.wait, 0.0)
        try:
            while not _try_lock(fd):
                if time.monotonic() >= deadline:
                    raise StoreBusy(
                        f"the store is locked by {self._holder(fd)} (lock file {self.path}); "
                        f"gave up after {self.wait:g} s (--wait SECONDS)"
                    )
                time.sleep(POLL_SECONDS)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        with contextlib.suppress(OSError):  # the PID is a courtesy; the lock is what counts
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"{os.getpid()}\n".encode())

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
                _unlock(self._fd)
            os.close(self._fd)
            self._fd = None

    @staticmethod
    def _holder(fd: int) -> str:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            text = os.read(fd, 32).decode("ascii").strip()
        except (OSError, UnicodeDecodeError):
            text = ""
        return f"process {text}" if text.isdigit() else "another process (PID not recorded)"


_CONTENTION = frozenset({errno.EACCES, errno.EAGAIN, errno.EWOULDBLOCK})
"""What flock says when another holds the lock (some file systems say EACCES)."""


def _try_lock(fd: int) -> bool:
    """Take the lock on `fd` if it is free; False if another process holds it."""
    if os.name != "posix":
        from filelock import lock_descriptor

        return lock_descriptor(fd, blocking=False)
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        if error.errno in _CONTENTION:
            return False
        raise
    return True


def _unlock(fd: int) -> None:
    if os.name != "posix":
        from filelock import unlock_descriptor

        unlock_descriptor(fd)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()
