"""Field types: what a field of a stored record may hold, and the words a message uses for it
(the registry, `dzcli.model.kinds`, gives each field its type)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from dzcli.model.numbers import is_json_number, is_whole
from dzcli.model.periods import is_date, is_period, is_year


class FieldType:
    """What a field may hold, and the words a message uses for it. A plain class: every
    command imports this module, and a dataclass costs half a millisecond to create."""

    __slots__ = ("accepts", "choices", "expected", "fields", "items", "optional")

    def __init__(
        self,
        expected: str,
        accepts: Callable[[object], bool],
        fields: Mapping[str, FieldType] | None = None,  # an object's own fields
        items: FieldType | None = None,  # a list's items
        optional: bool = False,  # may be null
        choices: tuple[str, ...] = (),  # a vocabulary: the only texts allowed
    ) -> None:
        self.expected = expected
        self.accepts = accepts
        self.fields = fields
        self.items = items
        self.optional = optional
        self.choices = choices


def nullable(kind: FieldType) -> FieldType:
    return FieldType(
        f"{kind.expected} or null",
        lambda value: value is None or kind.accepts(value),
        kind.fields,
        kind.items,
        optional=True,
        choices=kind.choices,
    )


def obj(fields: Mapping[str, FieldType]) -> FieldType:
    return FieldType("an object", lambda value: isinstance(value, dict), fields=fields)


def list_of(item: FieldType, expected: str) -> FieldType:
    return FieldType(expected, lambda value: isinstance(value, list), items=item)


def one_of(*choices: str, expected: str = "") -> FieldType:
    """Text from a fixed vocabulary (a project's status, a figure's kind)."""
    allowed = frozenset(choices)
    return FieldType(
        expected or "one of " + ", ".join(choices),
        lambda value: isinstance(value, str) and value in allowed,
        choices=choices,
    )


TEXT = FieldType("text", lambda value: isinstance(value, str))
NUMBER = FieldType("a number", is_json_number)
WHOLE = FieldType("a whole number", is_whole)
FLAG = FieldType("true or false", lambda value: isinstance(value, bool))
PERIOD = FieldType("a period (YYYY, YYYY-QN or YYYY-MM/YYYY-MM)", is_period)
YEAR = FieldType("a year (YYYY)", is_year)
DATE = FieldType("a date (YYYY, YYYY-MM or YYYY-MM-DD)", is_date)
