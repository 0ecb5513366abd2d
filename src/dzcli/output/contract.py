"""The JSON contract: the JSON Schema of each record kind, and the field names it gives.

The files in `schemas/` describe one row of a record kind; they share definitions through
`common.schema.json`. `bundle` inlines those references so that one printed schema stands alone.
"""

from __future__ import annotations

import json
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from dzcli.model.errors import StoreError
from dzcli.model.kinds import KINDS as RECORD_KINDS

Schema = dict[str, Any]


# The kinds of output with a schema: every record kind of the registry, then the two rows that
# only commands make, and the one document (`dz check --json`). Each is named as its schema
# file is (stat → schemas/stat.schema.json).
_OUTPUT_ONLY = {
    "record": "dz show (a record of any kind, with its type)",
    "match": "dz search",
    "comparison": "dz compare",
    "check": "dz check --json (one object: the problems and the summary)",
}
COMMANDS: dict[str, str] = {kind.name: kind.command for kind in RECORD_KINDS} | _OUTPUT_ONLY
"""The commands whose JSON output is made of each kind of row."""

OutputKind = StrEnum("OutputKind", {name: name for name in COMMANDS})  # type: ignore[misc]
"""The choices of `dz schema KIND`."""

KINDS = frozenset(COMMANDS)
_SUFFIX = ".schema.json"


def schema_dir() -> Path:
    """The schemas shipped in the package, or the repo's schemas/ in a source checkout."""
    # Same layout as the store (see locations.shipped_store_path): a wheel has a copy in the
    # package, dzcli/schemas (hatch force-include); an editable install or a checkout reads the
    # one at the repository's root.
    packaged = Path(__file__).parents[1] / "schemas"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "schemas"


@cache
def _load(file: str) -> Schema:
    path = schema_dir() / file
    try:
        loaded: Schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        # Only a broken installation gets here; say which file rather than crash.
        raise StoreError(f"cannot read schema {path}: {error}") from None
    return loaded


def bundle(kind: str) -> Schema:
    """The schema of `kind` with every reference to another file inlined under `$defs`."""
    defs: dict[str, Any] = {}  # inline() builds new objects: the cached files stay as read

    def inline(node: Any, here: str) -> Any:
        if isinstance(node, list):
            return [inline(item, here) for item in node]
        if not isinstance(node, dict):
            return node
        out = {key: inline(value, here) for key, value in node.items() if key != "$defs"}
        ref = node.get("$ref")
        if isinstance(ref, str):
            file, _, pointer = ref.partition("#")
            file = file or here
            if pointer:
                name = pointer.rsplit("/", 1)[-1]
                target = _load(file)["$defs"][name]
            else:
                name = file.removesuffix(_SUFFIX)
                target = {k: v for k, v in _load(file).items() if k not in ("$schema", "$defs")}
            if name not in defs:
                defs[name] = None  # claimed first, so a recursive reference terminates
                defs[name] = inline(target, file)
            out["$ref"] = f"#/$defs/{name}"
        return out

    bundled: Schema = inline(_load(kind + _SUFFIX), kind + _SUFFIX)
    if defs:
        bundled["$defs"] = dict(sorted(defs.items()))
    return bundled


class Field(NamedTuple):
    nested: bool  # an object whose own fields are listed too
    required: bool  # always present where its parent object is


@cache
def field_paths(kind: str) -> tuple[tuple[str, Field], ...]:
    """Every field name of a kind, nested ones dotted (source.quote), in the schema's order."""
    schema = bundle(kind)
    defs = schema.get("$defs", {})
    found: dict[str, Field] = {}

    def walk(node: Schema, prefix: str, depth: int) -> None:
        for name, (sub, required) in _properties(node, defs).items():
            path = prefix + name
            nested = bool(_properties(sub, defs)) and depth < 8
            seen = found.get(path)
            found[path] = Field(
                nested or bool(seen and seen.nested), required or bool(seen and seen.required)
            )
            if nested:
                walk(sub, path + ".", depth + 1)

    walk(schema, "", 0)
    return tuple(found.items())


def _properties(node: Schema, defs: dict[str, Any]) -> dict[str, tuple[Schema, bool]]:
    """The properties an object matching `node` may have, across $ref and its alternatives,
    each with whether the object requires it."""
    props: dict[str, tuple[Schema, bool]] = {}
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        props.update(_properties(defs[ref.removeprefix("#/$defs/")], defs))
    required = set(node.get("required", []))
    for name, sub in node.get("properties", {}).items():
        props[name] = (sub, name in required)
    for keyword in ("allOf", "anyOf", "oneOf"):
        for branch in node.get(keyword, []):
            for name, entry in _properties(branch, defs).items():
                props.setdefault(name, entry)
    return props
