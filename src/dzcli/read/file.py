"""A store file's bytes and JSON, read safely: never created, changed or read for ever.

Every reader starts here: the index builder (`dzcli.read.index`), `dz check` and the writers.
A file that is not a store is refused by its first bytes or its size before it is read whole.
"""

from __future__ import annotations

import io
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dzcli.model.errors import StoreError
from dzcli.model.limits import MAX_STORE_BYTES

PairsHook = Callable[[list[tuple[str, Any]]], Any]

_JSON_SPACE = b" \t\r\n"
_HEAD_BYTES = 1 << 16  # read first, to see how the file starts before reading it whole
_BOM = b"\xef\xbb\xbf"


def unreadable(path: Path, reason: str) -> StoreError:
    return StoreError(f"cannot read store {path}: {reason}")


def read_bytes(path: Path) -> tuple[bytes, os.stat_result | None]:
    """The file's bytes, and its status as it was before and after they were read (None if it
    changed while they were read, or is not a regular file: no status then stands for them)."""
    try:
        # 'rb' only: a read must never create, truncate or touch the file.
        with path.open("rb") as f:
            before = os.fstat(f.fileno())
            if stat.S_ISCHR(before.st_mode) or stat.S_ISBLK(before.st_mode):
                # /dev/zero would be read for ever; a FIFO (`--db <(…)`) is fine.
                raise unreadable(path, "is a device, not a file")
            regular = stat.S_ISREG(before.st_mode)
            if regular and before.st_size > MAX_STORE_BYTES:
                raise _too_big(path)
            head = _head(path, f)
            if regular:
                f.seek(0)  # one read into one buffer: `head + rest` would copy the whole file
                raw = f.read()
            else:  # a FIFO has no size, and cannot seek
                raw = head + f.read(max(0, MAX_STORE_BYTES + 1 - len(head)))
            after = os.fstat(f.fileno())
    except FileNotFoundError:
        raise unreadable(path, "no such file") from None
    except IsADirectoryError:
        raise unreadable(path, "is a directory") from None
    except PermissionError:
        raise unreadable(path, "permission denied") from None
    except OSError as e:
        raise unreadable(path, (e.strerror or str(e)).lower()) from None
    if len(raw) > MAX_STORE_BYTES:
        raise _too_big(path)
    unchanged = regular and identity(before) == identity(after) and after.st_size == len(raw)
    return raw, before if unchanged else None


def identity(info: os.stat_result) -> tuple[int, ...]:
    """What changes when a file's bytes do: its inode, size and times (`dzcli.read.cache`)."""
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _too_big(path: Path) -> StoreError:
    return unreadable(path, f"not a dz store (larger than {MAX_STORE_BYTES >> 30} GiB)")


def _head(path: Path, f: io.BufferedReader) -> bytes:
    """The file's first bytes, up to and including its first one that is not JSON whitespace;
    StoreError if that byte cannot start a store (a JSON object), so that a big file that is
    not a store is refused before it is read whole."""
    head = b""
    while True:
        chunk = f.read1(_HEAD_BYTES)  # what is there: a FIFO's writer may still be writing
        head += chunk
        start = head.lstrip(_JSON_SPACE)[:1]
        if start or not chunk or len(head) > MAX_STORE_BYTES:
            break
    if start in (b"{", b"") or head.startswith(_BOM):
        return head  # a BOM, or nothing but whitespace: the parser words the refusal
    char = start.decode("latin-1")
    what = repr(char) if start.isascii() and char.isprintable() else f"the byte 0x{start.hex()}"
    raise unreadable(path, f"not a dz store (it starts with {what}, and a store is a JSON object)")


def parse(path: Path, raw: bytes, object_pairs_hook: PairsHook | None = None) -> object:
    """The JSON in `raw` (the bytes of `path`), as the json module reads it, not yet validated;
    StoreError, in words a person can act on, if it is not JSON."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise unreadable(path, f"not UTF-8 text (invalid byte at offset {e.start})") from None
    if text.startswith("\ufeff"):  # json would only say "line 1, column 1"
        raise unreadable(
            path, "not valid JSON (it starts with a byte-order mark; save without BOM)"
        )
    try:
        return json.loads(text, object_pairs_hook=object_pairs_hook)
    except json.JSONDecodeError as e:
        raise unreadable(path, f"not valid JSON (line {e.lineno}, column {e.colno})") from None
    except RecursionError:
        raise unreadable(path, "not usable JSON (nested too deeply)") from None
    except ValueError:  # an integer longer than Python will read (sys.get_int_max_str_digits)
        raise unreadable(path, "not usable JSON (a number has too many digits)") from None


def read_json(path: Path, object_pairs_hook: PairsHook | None = None) -> object:
    """The parsed content of the store file, not yet validated (`dz check` audits it whole)."""
    return parse(path, read_bytes(path)[0], object_pairs_hook)
