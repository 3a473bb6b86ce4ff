"""Converting between JSON values and DynamoDB attribute values."""

from __future__ import annotations

import base64
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

JsonValue = Any
AttributeValue = dict[str, Any]

_INTEGER = re.compile(r"-?\d+")


def to_attribute(value: JsonValue) -> AttributeValue:
    """The DynamoDB attribute value for a JSON value (numbers are sent as exact decimal text)."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, int | float):
        return {"N": repr(value)}
    if isinstance(value, list):
        return {"L": [to_attribute(element) for element in value]}
    if isinstance(value, dict):
        return {"M": to_attributes(value)}
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def to_attributes(item: dict[str, JsonValue]) -> dict[str, AttributeValue]:
    """A JSON object as a DynamoDB item."""
    return {name: to_attribute(value) for name, value in item.items()}


def parse_number(text: str) -> int | float:
    """A DynamoDB number as int when integral in form, else float."""
    return int(text) if _INTEGER.fullmatch(text) else float(text)


def _binary(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


_FROM_ATTRIBUTE: dict[str, Callable[[Any], JsonValue]] = {
    "S": lambda value: value,
    "N": parse_number,
    "BOOL": lambda value: value,
    "NULL": lambda _value: None,
    "B": _binary,
    "SS": sorted,
    "NS": lambda values: sorted(parse_number(value) for value in values),
    "BS": lambda values: sorted(_binary(value) for value in values),
    "L": lambda values: [from_attribute(value) for value in values],
    "M": lambda values: from_attributes(values),
}


def from_attribute(attribute: Mapping[str, Any]) -> JsonValue:
    """The JSON value for a DynamoDB attribute value (sets become sorted lists, binary base64)."""
    ((kind, value),) = attribute.items()
    return _FROM_ATTRIBUTE[kind](value)


def from_attributes(item: Mapping[str, Mapping[str, Any]]) -> dict[str, JsonValue]:
    """A DynamoDB item as a JSON object."""
    return {name: from_attribute(value) for name, value in item.items()}
