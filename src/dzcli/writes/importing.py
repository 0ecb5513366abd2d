"""`dz import`: rows in the shape dz prints (CSV, TSV, JSON, JSON Lines) back into records.

What dz computes when it prints (a stat's metric names and category, a park's children and
depth, a project's park names, a target's actual and required growth, derived rows, converted
units) is recognised and dropped; anything else unknown is an error naming the row and field.
A row whose id is in the store updates that record (the fields it does not carry keep their
stored values, since a CSV holds only the printed columns); any other row adds a record.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from dzcli.model.errors import BadUsage, ConversionFailed, WriteRefused
from dzcli.model.fieldtypes import FieldType
from dzcli.model.kinds import BY_NAME, BY_TABLE, KINDS, RecordKind
from dzcli.model.numbers import is_number
from dzcli.model.units import SCALES, UNITS, expressed_in
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


def read_rows(path: Path, encoding: str | None = None) -> list[Row]:
    """The rows of FILE, by its suffix: .csv, .tsv, .json (a list) or .jsonl; in UTF-8 (a
    byte-order mark, as `--bom` and Excel's "CSV UTF-8" write, is not part of the first
    column's name), or in `encoding` (gb18030 for what Excel saves as "CSV" in a Chinese
    locale)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise BadUsage(f"cannot read {path}: {(error.strerror or str(error)).lower()}") from None
    text = decoded(raw, path, encoding).removeprefix("\ufeff")
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


def decoded(raw: bytes, path: Path, encoding: str | None) -> str:
    """The text of a file to import: UTF-8 unless `encoding` says otherwise. A file that is
    not UTF-8 but reads as GB18030 (GBK's superset) is most likely what Excel saves as "CSV"
    on a Chinese Windows: the error says how to save it, or to say --encoding gb18030."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise BadUsage(f"--encoding: {encoding!r} is not an encoding Python knows") from None
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as error:
            raise WriteRefused(
                f"{path} is not {encoding} (invalid byte at offset {error.start})"
            ) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        if _reads_as_gb18030(raw):
            raise WriteRefused(
                f'{path} is not UTF-8: it reads as GBK/GB18030, as Excel saves "CSV" in a '
                'Chinese locale; save it as "CSV UTF-8" (File > Save As), or say '
                "--encoding gb18030"
            ) from None
        raise WriteRefused(f"{path} is not UTF-8 (invalid byte at offset {error.start})") from None


def _reads_as_gb18030(raw: bytes) -> bool:
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    # GB18030 decodes almost any bytes; Chinese text it reads has CJK characters in it.
    return any("\u4e00" <= char <= "\u9fff" for char in text)


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
    """The kind the rows are: --table (a table or kind name), else the one kind whose fields
    account for every column (a row need not have an id: `dz add` computes some)."""
    if table is not None:
        kind = BY_TABLE.get(table) or BY_NAME.get(table)
        if kind is None:
            raise BadUsage(f"--table: {table!r} is not a table (known: {', '.join(BY_TABLE)})")
        return kind
    columns = {str(column).split(".")[0] for row in rows if isinstance(row, dict) for column in row}
    fitting = [
        kind
        for kind in KINDS
        if columns and columns <= set(kind.fields) | printed_only(kind) | EVERY_PRINTED
    ]
    if len(fitting) > 1:  # stats and targets share their columns, not their ids or periods
        fitting = [kind for kind in fitting if _rows_fit(kind, rows)] or fitting
    if len(fitting) == 1:
        return fitting[0]
    if fitting:
        tables = " and ".join(", ".join(k.table for k in fitting).rsplit(", ", 1))
        raise BadUsage(f"the columns fit {tables}; say which with --table")
    raise BadUsage(
        "cannot tell which table the rows are for (no table has all these columns); say --table"
    )


def _rows_fit(kind: RecordKind, rows: list[Row]) -> bool:
    """Whether the rows read as records of `kind`: each id is the one its fields give (any id
    fits a kind whose ids are free-form), and each period is one `kind` holds (2021-Q1 is a
    stat's, not a target's: targets are set for years); False when no row tells either way."""
    told = False
    period = kind.fields.get("period")
    for row in rows:
        if not isinstance(row, dict):
            continue
        nested = _nest(row) if any("." in str(key) for key in row) else row
        if row.get("id") not in (None, "") and kind.expected_id is not None:
            if kind.expected_id(nested) != row.get("id"):
                return False
            told = True
        if period is not None and nested.get("period") not in (None, ""):
            if not period.accepts(nested["period"]):
                return False
            told = True
    return told


def records(kind: RecordKind, rows: list[Row], textual: bool) -> Iterator[tuple[int, Row]]:
    """(row number, stored fields) for each row that is a stored record (derived rows are
    dropped); `textual` when the rows are CSV/TSV cells, all text. An amount printed in
    another unit (`--unit 万元`, with its `converted_from`) is taken back to the unit it was
    reported in; a rate another claim gave the row (its `yoy_from`) is that claim's."""
    dropped = printed_only(kind) | EVERY_PRINTED
    for number, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            raise WriteRefused(f"row {number}: not an object")
        if row.get("kind") == "derived":
            continue
        nested = _nest(row) if textual else row
        nested = _as_reported(nested, number, textual)
        if nested.get("yoy_from") not in (None, ""):
            nested = {k: v for k, v in nested.items() if k not in BORROWED_WITH_THE_RATE}
        fields: Row = {}
        for name, value in nested.items():
            if name in dropped:
                continue
            field = kind.fields.get(name)
            if field is None:
                raise WriteRefused(f"row {number}, field {name}: not a field of a {kind.name}")
            fields[name] = _typed(value, field, number, name) if textual else value
        yield number, fields


BORROWED_WITH_THE_RATE = ("yoy_pct", "basis", "basis_by")
"""What a stat row shows of another claim when its own claim states no rate (`yoy_from`)."""


def _as_reported(node: Row, number: int, textual: bool, at: str = "") -> Row:
    """`node` (and the objects in it) with an amount `--unit` converted back to the value and
    unit it was reported in (from its `converted_from`): exactly, through decimals, so an
    edited 万元 value is stored in 亿元 as the report writes it."""
    out = {
        key: _as_reported(value, number, textual, f"{at}{key}.")
        if isinstance(value, dict)
        else value
        for key, value in node.items()
    }
    was = out.pop("converted_from", None)
    if not isinstance(was, dict) or all(v in ("", None) for v in was.values()):
        return out
    unit, value = out.get("unit"), out.get("value")
    reported = was.get("unit")
    where = f"row {number}, field {at}value"
    if not isinstance(reported, str) or reported not in SCALES or unit not in SCALES:
        raise WriteRefused(f"{where}: converted_from.unit {reported!r} is not a unit of money")
    if value in ("", None):
        out["value"], out["unit"] = None, reported
        return out
    try:
        amount = build.parse_number(str(value), where) if textual else value
        if not is_number(amount):
            raise BadUsage(f"{where}: {value!r} is not a number")
        back = expressed_in(amount, str(unit), reported)
        out["value"] = json.dumps(back) if textual else back  # a cell is typed later
    except (BadUsage, ConversionFailed) as error:
        raise WriteRefused(str(error)) from None
    out["unit"] = reported
    return out


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
        # Excel writes TRUE and FALSE; any case is taken.
        word = value.strip().lower() if isinstance(value, str) else value
        if word not in ("true", "false"):
            raise WriteRefused(f"row {number}, field {name}: {value!r} is not true or false")
        return word == "true"
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
    record with dz's defaults for what the row leaves out. Base values are dz's to compute:
    each amount's (the record's, its figures', its equivalent's) comes from its value and
    unit, so a value edited in a spreadsheet needs no other cell changed."""
    if stored is not None:
        merged = {**stored, **fields}
        return _with_base_values({key: merged[key] for key in [*stored, *fields]})
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
    return _with_base_values(record)


def _with_base_values(record: Row) -> Row:
    done = _amount_with_base(record)
    if isinstance(done.get("equivalent"), dict):
        done["equivalent"] = _amount_with_base(done["equivalent"])
    if isinstance(done.get("figures"), list):
        done["figures"] = [
            _amount_with_base(f) if isinstance(f, dict) else f for f in done["figures"]
        ]
    return done


def _amount_with_base(amount: Row) -> Row:
    """`amount` with its base unit and base value computed, where it has those fields and a
    unit dz knows (the validator names any other)."""
    unit, value = amount.get("unit"), amount.get("value")
    if "base_unit" not in amount or not isinstance(unit, str) or unit not in UNITS:
        return amount
    done = {**amount, "base_unit": build.base_unit(unit)}
    if "base_value" in done:
        done["base_value"] = build.base_value(value, unit) if is_number(value) else None
    return done
