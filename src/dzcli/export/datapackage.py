"""`dz export datapackage` and its inverse (`read`): the store as a Frictionless Data Package.

One CSV per table (UTF-8, RFC 4180: CRLF line ends, fields quoted where needed) and a
`datapackage.json` whose Table Schemas give each field's type and the keys. Table Schema has
no unit (frictionless-specs #216), so a field has two custom properties: `dz:unit`, the unit
of all its values (`percent`), and `dz:unitField`, the field naming each row's (`unit`).
"""

from __future__ import annotations

import contextlib
import csv
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from dzcli.export import ExportError, tabular
from dzcli.export.files import LICENCE_NOTE, ProgressReport, Source, replacing, stream
from dzcli.export.tabular import BOOLEAN, INTEGER, JSON, NUMBER, Row, Table, respelled

NAME = "dz-facts"
_INTEGER = re.compile(r"-?[0-9]+")


def _field(column: tabular.Column) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": column.name,
        "type": {JSON: "string"}.get(column.type, column.type),
        "description": column.description,
    }
    if column.type == JSON:
        field["format"] = "default"
        field["description"] += " (JSON text)"
    if column.choices:
        field["constraints"] = {"enum": list(column.choices)}
    return field | column.unit_properties()


def _resource(table: Table) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [_field(c) for c in table.columns],
        "primaryKey": list(table.primary_key),
        "missingValues": [""],
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": list(key.columns),
                "reference": {
                    "resource": "" if key.table == table.name else key.table,
                    "fields": list(key.target),
                },
            }
            for key in table.foreign_keys
        ]
    return {
        "name": table.name,
        "path": f"{table.name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": table.description,
        "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True},
        "schema": schema,
    }


def descriptor(source: Source, tables: list[Table]) -> dict[str, Any]:
    return {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": "dz: facts of the Dezhou Economic and Technological Development Zone",
        "description": "Every record dz holds, each with the exact words of its source. "
        "Units: a field's `dz:unit` is the unit of all its values; `dz:unitField` names the "
        "field that holds each row's unit. Written by `dz export datapackage`; "
        "`dz import` reads it back.",
        "version": "1.0.0",
        "licenses": [{"name": "notspecified", "title": LICENCE_NOTE}],
        "sources": [
            {"title": str(s.get("name_zh") or s["id"]), "path": str(s.get("file") or s["id"])}
            for s in source.store.records("sources")
        ],
        "dz:store_sha256": source.store.sha256,
        "resources": [_resource(table) for table in tables],
    }


def write(source: Source, out: Path, *, force: bool, progress: ProgressReport) -> list[Path]:
    """Write the folder `out`: one CSV per table and datapackage.json."""
    tables = tabular.schema()
    # A flag is spelled as JSON spells it; the csv module writes every other cell as the data
    # package wants it: null as "", a number as Python and JSON both spell it, a text as it is.
    flags = {t.name: [i for i, c in enumerate(t.columns) if c.type == BOOLEAN] for t in tables}
    with replacing(out, force=force, directory=True) as folder, contextlib.ExitStack() as opened:
        writers = {}
        for table in tables:
            path = folder / f"{table.name}.csv"
            handle = opened.enter_context(path.open("w", encoding="utf-8", newline=""))
            writers[table.name] = csv.writer(handle, lineterminator="\r\n")
            writers[table.name].writerow(table.column_names)

        def write_rows(table: Table, rows: list[Row]) -> None:
            at = flags[table.name]
            spelled = (respelled(row, at, _flag) for row in rows) if at else rows
            writers[table.name].writerows(spelled)

        stream(source, tables, write_rows, progress)
        text = json.dumps(descriptor(source, tables), ensure_ascii=False, indent=2) + "\n"
        (folder / "datapackage.json").write_text(text, encoding="utf-8")
    return [out]


def _flag(value: Any) -> str:
    return "true" if value else "false"


# --- back to a store ------------------------------------------------------------------------


def _typed(text: str, kind: str) -> Any:
    if text == "":
        return None
    if kind == NUMBER:
        return int(text) if _INTEGER.fullmatch(text) else float(text)
    if kind == INTEGER:
        return int(text)
    if kind == BOOLEAN:
        return text == "true"
    return text


def _rows(folder: Path, table: Table) -> Iterator[Mapping[str, Any]]:
    path = folder / f"{table.name}.csv"
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header != table.column_names:
                raise ExportError(
                    f"{path}: the columns are not those dz writes for {table.name} "
                    "(a package from another dz version, or edited?)"
                )
            kinds = [c.type for c in table.columns]
            for line, cells in enumerate(reader, start=2):
                if len(cells) != len(kinds):
                    raise ExportError(f"{path}, line {line}: {len(cells)} cells, not {len(kinds)}")
                yield {
                    name: _typed(cell, kind)
                    for name, cell, kind in zip(table.column_names, cells, kinds, strict=True)
                }
    except FileNotFoundError:
        raise ExportError(f"{path}: no such file (not a data package written by dz)") from None
    except UnicodeDecodeError:
        raise ExportError(f"{path}: not UTF-8 text") from None
    except ValueError as error:
        raise ExportError(f"{path}: {error}") from None
    except OSError as error:
        raise ExportError(f"{path}: {(error.strerror or str(error)).lower()}") from None


def read(folder: Path) -> dict[str, dict[str, Any]]:
    """The store a data package written by `dz export datapackage` holds."""
    described = folder / "datapackage.json"
    try:
        package = json.loads(described.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExportError(f"{described}: no such file (not a data package)") from None
    except (OSError, ValueError) as error:
        raise ExportError(f"{described}: cannot be read ({error})") from None
    if not isinstance(package, dict) or package.get("name") != NAME:
        raise ExportError(f"{described}: not a data package written by dz")
    return tabular.assemble(tabular.schema(), lambda table: _rows(folder, table))
