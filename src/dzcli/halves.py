"""Work made in two halves at once, on two processors: a copy of the process makes one.

`dz growth --json` on a store of a quarter million statistics spends most of its time making
rows in Python, one processor's work however it is written, and `dz check` as long running its
rules. Rows are independent of each other once the store is open and its claims indexed, and
rules of each other once the store is parsed, so a copy of the process (`os.fork`, which shares
the open store) makes the second half of them into a temporary file, while this process makes
the first half; the second half is read back after it. What comes out is what one process
would make, in the same order (tests/test_halves.py).

Where the copy cannot be made (no `os.fork`, as on Windows) or fails (a full disk, say), this
process makes the second half itself: the split only ever changes how fast the work is done.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Generic, TypeVar

Piece = bytes | memoryview
T = TypeVar("T")
_LENGTH = 8  # bytes before each piece in the spill file: its length, little-endian


def in_two(first: Iterable[Piece], second: Callable[[], Iterable[Piece]]) -> Iterator[Piece]:
    """`first`'s pieces, then `second()`'s, the second made at the same time elsewhere."""
    later = Elsewhere(second, bytes, bytes)
    try:
        yield from first
        yield from later.results()
    finally:
        later.close()


class Elsewhere(Generic[T]):
    """`make()`'s items, made from now on by a copy of this process and handed back when asked
    for (each through `encode` and `decode`); made here then, if the copy could not make them."""

    def __init__(
        self,
        make: Callable[[], Iterable[T]],
        encode: Callable[[T], Piece],
        decode: Callable[[bytes], T],
    ) -> None:
        self._make, self._decode = make, decode
        self._spill: IO[bytes] | None = None
        self._child: int | None = None
        if not hasattr(os, "fork"):
            return
        try:
            # No name: the file goes with the last process that has it open; closed by `close`.
            self._spill = tempfile.TemporaryFile()  # noqa: SIM115
        except OSError:
            return  # no temporary folder that takes a file: made here, when asked for
        self._child = _fork(make, encode, self._spill)

    def results(self) -> Iterator[T]:
        made = self._child is not None and _finished(self._child)
        self._child = None
        if made and self._spill is not None:
            for piece in _read_back(self._spill):
                yield self._decode(piece)
        else:
            yield from self._make()  # the copy failed: nothing is lost, only the speed
        self.close()

    def close(self) -> None:
        """Stop the copy if it still runs (this process stopped early: Ctrl-C, a closed pipe)."""
        if self._child is not None:
            with contextlib.suppress(OSError):
                os.kill(self._child, signal.SIGKILL)
                os.waitpid(self._child, 0)
            self._child = None
        if self._spill is not None:
            self._spill.close()


def _fork(
    make: Callable[[], Iterable[T]], encode: Callable[[T], Piece], spill: IO[bytes]
) -> int | None:
    for stream in (sys.stdout, sys.stderr):  # nothing buffered is written twice
        with contextlib.suppress(Exception):
            stream.flush()
    parent = os.getpid()
    try:
        with warnings.catch_warnings():  # Python 3.12 warns of forking beside a thread: dz's
            warnings.simplefilter("ignore", DeprecationWarning)  # (hashing) has ended by now
            pid = os.fork()
    except OSError:
        return None
    if pid:
        return pid
    code = 1
    try:
        for item in make():
            if os.getppid() != parent:
                break  # the parent is gone (killed by a closed pipe, say): nobody will read it
            piece = encode(item)
            spill.write(len(piece).to_bytes(_LENGTH, "little"))
            spill.write(piece)
        spill.flush()
        code = 0
    finally:
        os._exit(code)  # no clean-up of this process's copy of dz: the parent does that


def _finished(child: int) -> bool:
    """Whether the copy made its half: it exited 0."""
    try:
        _, status = os.waitpid(child, 0)
    except OSError:
        return False
    return os.waitstatus_to_exitcode(status) == 0


def _read_back(spill: IO[bytes]) -> Iterator[bytes]:
    spill.seek(0)
    while header := spill.read(_LENGTH):
        yield spill.read(int.from_bytes(header, "little"))
