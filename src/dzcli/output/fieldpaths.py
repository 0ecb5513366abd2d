"""Field names of a listing: which exist, how `--fields` picks them, how rows are flattened.

A field is a key of a row or, dotted, of an object inside it (`source.quote`). The names come
from the record kind's JSON Schema, plus any key a row carries beyond it, so a listing knows its
fields even when it has no rows.
"""

from __future__ import annotations

import copy
import difflib
import json
from collections.abc import Sequence
from typing import Any

from dzcli.model.errors import BadUsage
from dzcli.model.kinds import KINDS
from dzcli.output import contract
from dzcli.output.contract import Field

Row = dict[str, Any]


def parse(text: str) -> tuple[str, ...]:
    """`a, b,c` → ("a", "b", "c"); repeats dropped, order kept."""
    names = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    if not names:
        raise BadUsage("--fields needs at least one field name, e.g. --fields id,value")
    return names


Paths = dict[str, Field]


def paths_of_kind(kind: str, rows: Sequence[Row]) -> Paths:
    """Every field path of a listing, in order: the schema's, then any others rows carry."""
    paths: Paths = {}
    if kind == "record":  # `dz show`: the fields of each record's own kind, after its type
        paths["type"] = Field(nested=False, required=True)
        kinds = [str(row.get("type")) for row in rows if row.get("type") in contract.KINDS]
    else:
        kinds = [kind]
    for each in dict.fromkeys(kinds):
        for path, field in contract.field_paths(each):
            seen = paths.get(path)
            paths[path] = (
                field if seen is None else Field(seen.nested or field.nested, seen.required)
            )
    for row in rows:
        _add_extra(row, "", paths)
    return paths


def known_names(kind: str) -> frozenset[str]:
    """Every field name a listing of `kind` may have by its schema (`dz show`'s: those of
    every record kind)."""
    kinds = [each.name for each in KINDS] if kind == "record" else [kind]
    return frozenset(path for each in kinds for path, _ in contract.field_paths(each))


def _add_extra(obj: Row, prefix: str, paths: Paths) -> None:
    # Keys a store has beyond the schema still reach every format.
    for key, value in obj.items():
        path = prefix + str(key)
        if path not in paths:
            paths[path] = Field(nested=isinstance(value, dict) and bool(value), required=False)
        if paths[path].nested and isinstance(value, dict):
            _add_extra(value, path + ".", paths)


def require_known(names: Sequence[str], paths: Paths, kind: str) -> None:
    """BadUsage (exit 2) naming the unknown fields, a close match, and every valid name."""
    unknown = [name for name in names if name not in paths]
    if not unknown:
        return
    listed = ", ".join(f"'{name}'" for name in unknown)
    hints = [hint for name in unknown if (hint := _close(name, list(paths)))]
    hint = f" (did you mean {' or '.join(repr(h) for h in hints)}?)" if hints else ""
    plural = "s" if len(unknown) > 1 else ""
    raise BadUsage(
        f"unknown field{plural} {listed} for {kind}{hint}; valid fields: {', '.join(paths)}"
    )


def _close(name: str, paths: list[str]) -> str | None:
    nested = [path for path in paths if path.endswith("." + name)]
    if nested:
        return nested[0]
    close = difflib.get_close_matches(name, paths, n=1, cutoff=0.6)
    return close[0] if close else None


def columns(paths: Paths, names: Sequence[str] | None) -> list[str]:
    """The flat columns (CSV, TSV, tables of --fields): leaves only, objects spelled out.
    Without `names`, every leaf of the kind in the schema's order, whichever these rows have: a
    script reads the same header from an empty listing or a year without derived rows."""
    if names is None:
        return [path for path, field in paths.items() if not field.nested]
    out: list[str] = []
    for name in names:
        if name in paths and paths[name].nested:
            out.extend(p for p, f in paths.items() if not f.nested and p.startswith(name + "."))
        else:
            out.append(name)
    return list(dict.fromkeys(out))


def value_at(row: Row, path: str) -> Any:
    """The value at a dotted path; None where any step is missing or not an object."""
    value: Any = row
    for key in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def flatten(row: Row, cols: Sequence[str]) -> Row:
    return {col: value_at(row, col) for col in cols}


def project(row: Row, names: Sequence[str]) -> Row:
    """The row cut down to `names`, in that order; a dotted name keeps its nesting. Where the
    row holds no object on the way, neither does the output: `--fields equivalent.value` of a
    row without one gives `"equivalent": null`, as the schema allows."""
    out: Row = {}
    for name in names:
        *parents, last = name.split(".")
        source: Any = row
        target = out
        for key in parents:
            source = source.get(key)
            if not isinstance(source, dict):
                target.setdefault(key, None)
                break
            if not isinstance(target.get(key), dict):
                target[key] = {}
            target = target[key]
        else:
            target[last] = copy.deepcopy(source.get(last))
    return out


def cell_text(value: object) -> str:
    """A value as one CSV/TSV cell: null empty, booleans and lists as JSON, numbers as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
