"""Size limits on what dz reads, each far beyond any real store or source text: they keep a
mistaken input (a disk image named as the store) from being read whole into memory."""

from __future__ import annotations

from collections.abc import Mapping

MAX_STORE_BYTES = 2 << 30
"""2 GiB. A store of 250,000 statistics is about 150 MB; a file beyond this is not a dz store,
and is refused by its size (fstat) before any of it is read."""

MAX_SOURCE_BYTES = 64 << 20
"""64 MiB per source text for `dz check --sources`: a long report is a few hundred kB."""

MAX_DOCUMENT_ID_DIGITS = 18
"""TinyDB turns document ids into integers; 18 digits keep them below 2**63, and keep a
number of thousands of digits (which Python refuses to convert) out of every command."""


def numbered(document_ids: Mapping[str, object]) -> bool:
    """Whether every document id of a table is one TinyDB reads as a number within
    MAX_DOCUMENT_ID_DIGITS digits (checked for a whole table at once: a big one has a million)."""
    digits = "".join(document_ids)
    return not document_ids or (
        digits.isdigit()
        and digits.isascii()
        and "" not in document_ids
        and max(map(len, document_ids)) <= MAX_DOCUMENT_ID_DIGITS
    )


MAX_DEPTH = 32
"""Deep enough for any real record (record → figures → figure → source → quote is 4 levels);
the limit keeps every recursive walk over a record (search, the JSON writer) safe."""

WRITE_WAIT_SECONDS = 10.0
"""How long a writer waits for another writer's lock before it gives up (exit 75); `--wait`."""
