"""The log of changes, kept inside the store (its `log` table): every write appends an entry
with its time, the command, the ids it added, changed and retracted, the source it cites, and
the previous value of each record it changed, so an editor can see who changed what, from
which source, and undo it by hand."""

from __future__ import annotations

import json
import re
import shlex
import sys
import time
from collections.abc import Iterable
from typing import Any

Record = dict[str, Any]
TABLE = "log"


def command_line(argv: list[str] | None = None) -> str:
    args = sys.argv[1:] if argv is None else argv
    return "dz " + shlex.join(args)


def entry(
    number: int,
    *,
    command: str,
    added: Iterable[str],
    changed: Iterable[str],
    retracted: Iterable[str],
    doc: str | None,
    previous: Iterable[Record],
) -> Record:
    return {
        "id": f"log:{number}",
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "command": command,
        "added": list(added),
        "changed": list(changed),
        "retracted": list(retracted),
        "doc": doc,
        "previous": [
            {"id": str(record.get("id")), "record": json.dumps(record, ensure_ascii=False)}
            for record in previous
        ],
    }


_UNDO = re.compile(r"dz undo (log:[0-9]+)")


def undo_command(entry_id: str) -> str:
    """The command an undo logs: `dz undo log:N`, naming what it undid (and a command that,
    typed, undoes the same entry: `dz undo` takes the entry it must find last)."""
    return f"dz undo {entry_id}"


def undone(entry: Record) -> str | None:
    """The id of the entry that `entry` undid, if it is an undo."""
    command = entry.get("command")
    match = _UNDO.fullmatch(command) if isinstance(command, str) else None
    return None if match is None else match.group(1)


def last_change(entries: list[Record]) -> Record | None:
    """The latest entry neither undone nor itself an undo: what `dz undo` undoes next (undos
    go back one change at a time)."""
    undone_ids = {undone(entry) for entry in entries} - {None}
    for entry in reversed(entries):
        if undone(entry) is None and entry.get("id") not in undone_ids:
            return entry
    return None
