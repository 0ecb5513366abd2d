"""The one renderer: every command's rows go out through `render`, in the format asked for."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Any

from dzcli.views import Lang, Listing


class Format(StrEnum):
    table = "table"
    json = "json"


def render(listing: Listing, fmt: Format, lang: Lang, color: bool | None = None) -> None:
    """Write `listing` to stdout. JSON is the stable contract; tables are for people."""
    if fmt is Format.json:
        _write(json_text(listing.rows))
    else:
        # Imported here so that machine formats never pay for Rich.
        from dzcli import table

        table.print_listing(listing, lang, color)


def json_text(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def _write(text: str) -> None:
    # Encode ourselves: the contract is UTF-8 whatever the locale says stdout is.
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        sys.stdout.write(text)
    else:
        sys.stdout.flush()
        stream.write(text.encode("utf-8"))
    sys.stdout.flush()
