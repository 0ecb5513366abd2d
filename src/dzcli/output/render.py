"""The one renderer: every command's rows go out through `render`, in the format asked for.

Machine formats (json, jsonl, csv, tsv) print the data; table and md print what a person reads
(the view's columns, in the chosen language). Rich is imported only for tables.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from enum import StrEnum
from typing import Any

from dzcli.model.errors import BadUsage
from dzcli.model.text import visible
from dzcli.output import fieldpaths as fields
from dzcli.output import machine_json
from dzcli.output.fieldpaths import Paths
from dzcli.output.views import Lang, Listing, Reading, fields_view, shown_columns, transpose

Row = dict[str, Any]


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    md = "md"


def render(
    listing: Listing,
    fmt: Format,
    lang: Lang,
    color: bool | None = None,
    *,
    names: Sequence[str] | None = None,
    chart: bool = False,
    wide: bool = False,
    bom: bool = False,
    header: bool = True,
    stream: Iterator[Row] | None = None,
) -> None:
    """Write `listing` to stdout in `fmt`.

    `names`: the fields picked with --fields (None: all); `color` None decides from the terminal
    and the environment; `chart` draws the view's chart instead of its table; `wide` lays a table
    out without a width limit; `bom` (a byte-order mark, for Excel) and `header` are for CSV and
    TSV. `stream`: for JSON and JSON Lines of every field, the rows (instead of `listing.rows`)
    one at a time, written as they come.
    """
    if (bom or not header) and fmt not in (Format.csv, Format.tsv):
        option = "--bom" if bom else "--no-header"
        raise BadUsage(f"{option} is for --format csv or tsv, not {fmt}")
    if chart and fmt is not Format.table:
        raise BadUsage(f"--chart draws for people: it needs --format table, not {fmt}")
    if chart and names is not None:
        raise BadUsage("--chart cannot be combined with --fields")
    paths: Paths = {}
    if stream is None and (names is not None or fmt in (Format.csv, Format.tsv)):
        paths = fields.paths_of_kind(listing.view.kind, listing.rows)
        if names is not None:
            fields.require_known(names, paths, listing.view.kind)
    if fmt in (Format.json, Format.jsonl):
        rows = listing.rows if names is None else [fields.project(r, names) for r in listing.rows]
        chunks = machine_json.json_chunks if fmt is Format.json else machine_json.jsonl_chunks
        for chunk in chunks(rows if stream is None else stream):
            _write_bytes(chunk)
        return
    reading = Reading(lang, listing.names, listing.units)
    if fmt in (Format.csv, Format.tsv):
        cols = fields.columns(paths, names)
        body = [
            [fields.cell_text(fields.value_at(row, col)) for col in cols] for row in listing.rows
        ]
        lines = [cols, *body] if header else body
        if fmt is Format.csv:
            _write(_BOM * bom + "".join(csv_line(line) for line in lines))
        else:
            _write(_BOM * bom + "".join("\t".join(map(tsv_cell, line)) + "\n" for line in lines))
    elif fmt is Format.md:
        readable = _readable(listing, paths, names)
        footnote = readable.note_for(lang)
        _write(
            markdown(readable, reading) + ("" if footnote is None else f"\n{md_cell(footnote)}\n")
        )
    else:
        from dzcli.output import rich_table  # imported here: machine formats never pay for Rich

        if chart:
            rich_table.print_chart(listing, reading, color)
        else:
            rich_table.print_listing(_readable(listing, paths, names), reading, color, wide=wide)


def _readable(listing: Listing, paths: Paths, names: Sequence[str] | None) -> Listing:
    """What a person reads: the view's own columns, or the picked fields as columns."""
    view = listing.view
    if names is None:
        if view.transposed:
            return listing._replace(rows=transpose(listing.rows))
        return listing
    cols = fields.columns(paths, names)
    rows = [fields.flatten(row, cols) for row in listing.rows]
    if view.transposed:
        return listing._replace(rows=transpose(rows, cols, listing.rows))
    return listing._replace(view=fields_view(view, cols, rows), rows=rows)


# Excel reads a CSV file as UTF-8 only when it starts with the byte-order mark.
_BOM = "\ufeff"

# RFC 4180: a cell holding a quote, the delimiter or any line-break character is quoted, its
# quotes doubled. Python's csv module (QUOTE_MINIMAL) looks only for the characters of its
# line terminator, so with "\n" line ends it would write a lone "\r" bare, and a reader
# would take it for the end of the record.
_CSV_NEEDS_QUOTES = re.compile('[",\r\n]')


def csv_line(cells: Sequence[str]) -> str:
    line = ",".join(
        '"' + cell.replace('"', '""') + '"' if _CSV_NEEDS_QUOTES.search(cell) else cell
        for cell in cells
    )
    # One empty cell alone would be an empty line, which readers skip: quote it.
    return (line or '""') + "\n"


# TSV keeps one record per line: backslash, tab, newline and carriage return are written as
# \\ \t \n \r (the "linear TSV" convention), never quoted, and the other characters that
# str.splitlines and some editors take for a line break as \u000b, \u2028 and so on. Any other
# character is data and is written as it is.
_TSV_ESCAPES = str.maketrans(
    {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
    | {char: f"\\u{ord(char):04x}" for char in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}
)


def tsv_cell(text: str) -> str:
    return text.translate(_TSV_ESCAPES)


def markdown(listing: Listing, reading: Reading) -> str:
    """A GitHub pipe table: a header, its alignment row, and one line per row."""
    view, lang = shown_columns(listing.view, listing.rows), reading.lang
    headings = [column.heading(lang) for column in view.columns]
    aligns = ["---:" if column.numeric else "---" for column in view.columns]
    if view.group is not None:
        headings.insert(0, view.group_heading(lang))
        aligns.insert(0, "---")
    lines = [[md_cell(heading) for heading in headings], aligns]
    for row in listing.rows:
        cells = [
            _md_indent(column.depth(row) if column.depth else 0)
            + md_cell(column.cell(row, reading))
            for column in view.columns
        ]
        if view.group is not None:
            cells.insert(0, md_cell(view.group(row, reading)))
        lines.append(cells)
    return "".join("| " + " | ".join(line) + " |\n" for line in lines)


def _md_indent(depth: int) -> str:
    # A pipe table trims a cell's leading spaces: a sub-park is marked instead, and a deeper
    # one indented by spaces Markdown keeps.
    return "&nbsp;&nbsp;" * (depth - 1) + "└ " if depth > 0 else ""


# Characters Markdown would read as markup, escaped so that a cell shows literally. An
# underscore needs it only at a word's edge: GitHub never reads snake_case as emphasis.
_MD_SPECIAL = re.compile(r"[\\`*\[\]<>|~&]|(?<![^\W_])_|_(?![^\W_])")
_MD_LINE_BREAK = re.compile("\r\n|[\n\r\u0085\u2028\u2029]")


def md_cell(text: str) -> str:
    """`text` as the inside of a cell: shown literally, its line breaks as <br>."""
    return "<br>".join(
        _MD_SPECIAL.sub(lambda m: "\\" + m.group(), visible(line, keep_tabs=True))
        for line in _MD_LINE_BREAK.split(text)
    )


def _write(text: str) -> None:
    # Encode ourselves: the contract is UTF-8 whatever the locale says stdout is.
    _write_bytes(text.encode("utf-8"))


def _write_bytes(data: bytes | memoryview) -> None:
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        sys.stdout.write(bytes(data).decode("utf-8"))
    else:
        sys.stdout.flush()
        stream.write(data)
    sys.stdout.flush()


def print_json(value: Any) -> None:
    """One JSON document (a schema, say), as UTF-8 like every JSON dz prints."""
    _write_bytes(machine_json.json_bytes(value))


def print_json_object(members: Iterable[tuple[str, Any]]) -> None:
    """One JSON object, written member by member as `members` gives them, in the bytes
    `print_json` would write for the whole: a member whose value is an iterator is an array
    written item by item as they come (`dz check --json`'s problems, found one at a time),
    and a member is asked for only once the ones before it are written (a summary that counts
    them)."""
    _write("{")
    first = True
    for key, value in members:
        _write(("\n" if first else ",\n") + f"  {_json_text(key, 0)}: ")
        first = False
        if not isinstance(value, Iterator):
            _write(_json_text(value, 1))
            continue
        opened = False
        for item in value:
            _write(("[\n" if not opened else ",\n") + "    " + _json_text(item, 2))
            opened = True
        _write("\n  ]" if opened else "[]")
    _write("}\n" if first else "\n}\n")


def _json_text(value: Any, depth: int) -> str:
    """`value` as `print_json` writes it, `depth` levels down an indented document."""
    text = machine_json.json_bytes(value).decode("utf-8").removesuffix("\n")
    return text.replace("\n", "\n" + "  " * depth)
