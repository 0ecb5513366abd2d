"""The log of changes, kept inside the store (its `log` table): every write appends an entry
with its time, the command, the ids it added, changed and retracted, the source it cites, and
the previous value of each record it changed, so an editor can see who changed what, from
which source, and undo it by hand."""

from __future__ import annotations

import json
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
