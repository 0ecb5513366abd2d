"""`dz import`: rows in the shape dz prints (CSV, TSV, JSON, JSON Lines) back into records.

What dz computes when it prints (a stat's metric names and category, a park's children and
depth, a project's park names, a target's actual and required growth, derived rows, converted
units) is recognised and dropped; anything else unknown is an error naming the row and field.
A row whose id is in the store updates that record (the fields it does not carry keep their
stored values, since a CSV holds only the printed columns); any other row adds a record.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from dzcli.model.errors import BadUsage, WriteRefused
from dzcli.model.fieldtypes import FieldType
from dzcli.model.kinds import BY_NAME, BY_TABLE, KINDS, RecordKind
from dzcli.writes import records as build

Row = dict[str, Any]


class Batch(NamedTuple):
    """The rows of one table to import; `label` names a row in messages ("row", "stats row")."""

    kind: RecordKind
    rows: list[Row]
    textual: bool  # CSV/TSV cells, all text
    label: str


def printed_only(kind: RecordKind) -> frozenset[str]:
    """Fields dz adds when it prints a record of `kind` (a stat's metric names, a park's
    children, …), never stored: what its JSON Schema declares beyond the registry's fields."""
    from dzcli.output import contract

    declared = {path.split(".")[0] for path, _ in contract.field_paths(kind.name)}
    return frozenset(declared - set(kind.fields))


EVERY_PRINTED = frozenset({"type", "converted_from"})
_TSV_UNESCAPES = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"}


def read_rows(path: Path) -> list[Row]:
    """The rows of FILE, by its suffix: .csv, .tsv, .json (a list) or .jsonl."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise BadUsage(f"cannot read {path}: {(error.strerror or str(error)).lower()}") from None
    except UnicodeDecodeError as error:
        raise WriteRefused(f"{path} is not UTF-8 (invalid byte at offset {error.start})") from None
    suffix = path.suffix.lower()
    if suffix == ".json":
        rows = _json(text, 0)
        if not isinstance(rows, list):
            raise WriteRefused(f"{path}: expected a JSON list of rows, as `--json` prints")
        return rows
    if suffix in (".jsonl", ".ndjson"):
        return [_json(line, n) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if suffix == ".csv":
        return _cells(list(csv.reader(io.StringIO(text, newline=""))), tsv=False)
    if suffix == ".tsv":
        return _cells([line.split("\t") for line in text.splitlines()], tsv=True)
    raise BadUsage(f"{path}: dz imports .csv, .tsv, .json and .jsonl files")


def _json(text: str, line: int) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = f"row {line}: " if line else ""
        raise WriteRefused(f"{where}not valid JSON ({error.msg})") from None


def _cells(lines: list[list[str]], *, tsv: bool) -> list[Row]:
    if not lines:
        return []
    header, *body = lines
    rows = []
    for number, cells in enumerate(body, 1):
        if len(cells) != len(header):
            raise WriteRefused(f"row {number}: {len(cells)} cells under {len(header)} columns")
        row: Row = {}
        for column, cell in zip(header, cells, strict=True):
            row[column] = _unescape(cell) if tsv else cell
        rows.append(row)
    return rows


def _unescape(cell: str) -> str:
    out, i = [], 0
    while i < len(cell):
        pair = cell[i : i + 2]
        if pair in _TSV_UNESCAPES:
            out.append(_TSV_UNESCAPES[pair])
            i += 2
        elif pair == "\\u" and len(cell) >= i + 6:
            out.append(chr(int(cell[i + 2 : i + 6], 16)))
            i += 6
        else:
            out.append(cell[i])
            i += 1
    return "".join(out)


def kind_of(table: str | None, rows: list[Row]) -> RecordKind:
    """The kind the rows are: --table (a table or kind name), else the one whose fields
    account for every column."""
    if table is not None:
        kind = BY_TABLE.get(table) or BY_NAME.get(table)
        if kind is None:
            raise BadUsage(f"--table: {table!r} is not a table (known: {', '.join(BY_TABLE)})")
        return kind
    columns = {column.split(".")[0] for row in rows for column in row}
    for kind in KINDS:
        known = set(kind.fields) | printed_only(kind) | EVERY_PRINTED
        if columns and columns <= known and "id" in columns:
            return kind
    raise BadUsage("cannot tell which table the rows are for; say --table")


def records(kind: RecordKind, rows: list[Row], textual: bool) -> Iterator[tuple[int, Row]]:
    """(row number, stored fields) for each row that is a stored record (derived rows are
    dropped); `textual` when the rows are CSV/TSV cells, all text."""
    dropped = printed_only(kind) | EVERY_PRINTED
    for number, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            raise WriteRefused(f"row {number}: not an object")
        if row.get("kind") == "derived":
            continue
        nested = _nest(row) if textual else row
        fields: Row = {}
        for name, value in nested.items():
            if name in dropped:
                continue
            field = kind.fields.get(name)
            if field is None:
                raise WriteRefused(f"row {number}, field {name}: not a field of a {kind.name}")
            fields[name] = _typed(value, field, number, name) if textual else value
        yield number, fields


def _nest(row: Row) -> Row:
    nested: Row = {}
    for column, cell in row.items():
        *parents, last = column.split(".")
        target = nested
        for key in parents:
            target = target.setdefault(key, {})
            if not isinstance(target, dict):
                raise WriteRefused(f"column {column}: {key} is both a value and an object")
        target[last] = cell
    return nested


def _typed(value: Any, field: FieldType, number: int, name: str) -> Any:
    """A CSV/TSV cell (or nested cells) as the value the field holds."""
    if isinstance(value, dict):
        if field.fields is None:
            raise WriteRefused(f"row {number}, field {name}: not an object")
        if all(v in ("", None) for v in _leaves(value)):
            return None
        return {
            key: _typed(v, field.fields[key], number, f"{name}.{key}")
            for key, v in value.items()
            if key in field.fields and key != "converted_from"
        }
    if value == "":
        return [] if build.is_list(field) else None
    if build.is_flag(field):
        if value not in ("true", "false"):
            raise WriteRefused(f"row {number}, field {name}: {value!r} is not true or false")
        return value == "true"
    if field.items is not None or field.fields is not None:
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise WriteRefused(f"row {number}, field {name}: not JSON") from None
    try:
        return build.parse_value(name, field, value)
    except BadUsage as error:
        raise WriteRefused(f"row {number}, field {name}: {error}") from None


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    else:
        yield value


def complete(kind: RecordKind, fields: Row, stored: Row | None) -> Row:
    """The record a row stands for: the stored one with the row's fields over it, or a new
    record with dz's defaults for what the row leaves out."""
    if stored is not None:
        merged = {**stored, **fields}
        return {key: merged[key] for key in [*stored, *fields]}
    record: Row = {}
    for name, field in kind.fields.items():
        if name in fields:
            record[name] = fields[name]
        elif name == "kind":
            record[name] = "reported"
        elif name == "claim_rank":
            record[name] = "normal"
        else:
            record[name] = build.parse_value(name, field, None)
    unit, value = record.get("unit"), record.get("value")
    if isinstance(unit, str) and "base_unit" in kind.fields and record.get("base_unit") is None:
        record["base_unit"] = build.base_unit(unit, "unit")
    if (
        isinstance(unit, str)
        and isinstance(value, int | float)
        and not isinstance(value, bool)
        and record.get("base_value") is None
    ):
        record["base_value"] = build.base_value(value, unit)
    return record
