"""The rules that tie a written fact to a registered source: its quote is in the source's text,
and its value, as written, is in its quote. Both compare after NFKC normalisation and without
whitespace, so a full-width digit or a line break in the report does not hide a match."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from dzcli.model.errors import WriteRefused


def flat(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def source_text(sources_dir: Path, source_id: str, file: str) -> str:
    """The text of a registered source, from the store's sources folder."""
    path = sources_dir / file
    if Path(file).name != file:
        raise WriteRefused(f"provenance: source {source_id}'s file {file!r} is not a file name")
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise WriteRefused(
            f"provenance: the text of source {source_id} cannot be read ({path}: {reason}); "
            "register it with `dz source add`"
        ) from None
    except UnicodeDecodeError:
        raise WriteRefused(f"provenance: the text of source {source_id} is not UTF-8") from None


def require_quote(quote: str, text: str, source_id: str) -> None:
    if not flat(quote):
        raise WriteRefused("provenance: the quote is empty")
    if flat(quote) not in flat(text):
        raise WriteRefused(
            f"provenance: the quote is not in the text of {source_id} "
            "(compared without whitespace, after NFKC normalisation)"
        )


def require_value_in_quote(written: str, quote: str, field: str = "value") -> None:
    """`written` is the value as the user typed it (340.12), which the quote must contain."""
    if flat(written) not in flat(quote):
        raise WriteRefused(f"provenance: the {field} {written} is not in the quote")
