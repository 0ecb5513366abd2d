"""Records built from what a user typed (`dz add KIND --field value …`), field by field from the
registry of record kinds: which fields a command asks for, how each is read, and what dz
computes itself (the id of a stat or target, base values, the record's kind and rank)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from dzcli.model import fieldtypes
from dzcli.model.errors import BadUsage
from dzcli.model.fieldtypes import FieldType
from dzcli.model.kinds import HOME_AREA, REPORTED, RecordKind
from dzcli.model.units import UNITS

Record = dict[str, Any]

COMPUTED = frozenset(
    {"base_value", "base_unit", "kind", "source", "quotes", "figures", "equivalent"}
    | {"claim_rank", "rank_reason"}  # set by the claim rules and `dz prefer`/`dz retract`
)
"""Fields dz fills in itself: never options of `dz add`."""

OPTION_ALIASES = {"yoy_pct": ("--yoy",)}
DEFAULTS = {"nature": "actual", "area": HOME_AREA}
"""What a field that must have a value holds when its option is not given: a figure that
happened, of the zone, unless told (a park's area, which may be null, stays unknown)."""
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_NUMBER_WORDS = (fieldtypes.NUMBER.expected, fieldtypes.WHOLE.expected)


def has_computed_id(kind: RecordKind) -> bool:
    return kind.expected_id is not None


def option_fields(kind: RecordKind) -> dict[str, FieldType]:
    """The fields `dz add KIND` takes as options, in the registry's order."""
    return {
        name: field
        for name, field in kind.fields.items()
        if name not in COMPUTED and not (name == "id" and has_computed_id(kind))
    }


def is_flag(field: FieldType) -> bool:
    return field.expected == fieldtypes.FLAG.expected


def is_list(field: FieldType) -> bool:
    return field.items is not None


def is_required(name: str, field: FieldType) -> bool:
    return not (field.optional or is_flag(field) or is_list(field) or name in DEFAULTS)


def option_name(field: str) -> str:
    return "--" + field.replace("_", "-")


_LABELS = {"source.doc": "--source", "source.quote": "--quote"}


def option_label(field: str) -> str:
    """How an error about `field` names the option it came from: "--yoy: ", "--quote: "."""
    if field in _LABELS:
        return _LABELS[field] + ": "
    names = OPTION_ALIASES.get(field)
    return (names[0] if names else option_name(field)) + ": "


def parse_number(text: str, what: str) -> int | float:
    """A number as JSON writes it (340.12, 12, -3.5e2); never NaN or infinity."""
    cleaned = text.strip()
    if not _NUMBER.fullmatch(cleaned):
        raise BadUsage(f"{what}: {text!r} is not a number")
    if re.fullmatch(r"-?[0-9]+", cleaned):
        return int(cleaned)
    value = float(cleaned)
    if not math.isfinite(value):
        raise BadUsage(f"{what}: {text!r} is too large")
    return value


def parse_value(name: str, field: FieldType, text: Any) -> Any:
    """A field's value from what was typed (text, a flag, or a list of texts)."""
    if text is None:
        if is_flag(field) or is_list(field):
            return False if is_flag(field) else []
        return None if field.optional else DEFAULTS.get(name)
    if is_flag(field) or is_list(field):
        return list(text) if is_list(field) else bool(text)
    base = field.expected.removesuffix(" or null")
    value: Any = parse_number(text, option_name(name)) if base in _NUMBER_WORDS else text
    if not field.accepts(value):
        raise BadUsage(f"{option_name(name)}: {text!r} is not {field.expected}")
    return value


def base_value(value: int | float, unit: str) -> int | float:
    """`value` in its unit's base unit, exactly (317.19 亿元 is 31719000000 CNY)."""
    exact = Decimal(repr(value)).scaleb(UNITS[unit][1])
    if exact == exact.to_integral_value():
        return int(exact)
    return float(exact)


def base_unit(unit: object, what: str = "--unit") -> str:
    if not isinstance(unit, str) or unit not in UNITS:
        raise BadUsage(f"{what}: {unit!r} is not a known unit (known: {' '.join(UNITS)})")
    return UNITS[unit][0]


def build(kind: RecordKind, options: Mapping[str, Any], source: Record) -> Record:
    """A complete record of `kind` from the parsed options and its source {doc, quote}."""
    fields = option_fields(kind)
    for name, field in fields.items():
        if is_required(name, field) and options.get(name) is None:
            raise BadUsage(f"missing option {option_name(name)}")
    record: Record = {}
    for name, field in kind.fields.items():
        if name in fields:
            record[name] = options.get(name, parse_value(name, field, None))
        elif name in ("quotes", "figures"):
            record[name] = []
        elif name == "kind":
            record[name] = REPORTED
        elif name == "source":
            record[name] = dict(source)
        elif name == "claim_rank":
            record[name] = "normal"
        else:
            record[name] = None
    record = with_base_values(record)
    if kind.expected_id is not None:
        record["id"] = kind.expected_id(record)
    return record


def with_base_values(record: Record) -> Record:
    """`record` with its base unit, and base value, computed from its unit and value."""
    if "unit" not in record:
        return record
    done = {**record, "base_unit": base_unit(record["unit"])}
    if "base_value" in done:
        value = done.get("value")
        done["base_value"] = None if value is None else base_value(value, done["unit"])
    return done
