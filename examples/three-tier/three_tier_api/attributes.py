"""Converting between JSON values and DynamoDB attribute values, refusing what DynamoDB would.

Numbers travel as exact decimal text both ways: a JSON number is never rounded through a float
on its way in, and one that a float cannot hold exactly comes back as the text that was stored.
"""

from __future__ import annotations

import base64
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

JsonValue = Any
AttributeValue = dict[str, Any]

MAX_DEPTH = 32  # DynamoDB nests maps and lists at most 32 levels deep
MAX_DIGITS = 38  # DynamoDB keeps 38 significant digits of a number
EXPONENTS = range(-130, 126)  # DynamoDB numbers: 1E-130 to 9.99...E+125 in magnitude
_INTEGER = re.compile(r"-?\d+")


class InvalidItemError(ValueError):
    """The item holds something DynamoDB does not store; the message says what."""


def to_attribute(value: JsonValue, depth: int = 1) -> AttributeValue:
    """The DynamoDB attribute value for a JSON value (numbers are sent as exact decimal text)."""
    if depth > MAX_DEPTH:
        raise InvalidItemError(f"the item nests deeper than DynamoDB's {MAX_DEPTH} levels")
    if value is None or isinstance(value, bool):
        return {"NULL": True} if value is None else {"BOOL": value}
    if isinstance(value, str):
        return {"S": _text(value)}
    if isinstance(value, int | float | Decimal):
        return {"N": _number(value)}
    if isinstance(value, list):
        return {"L": [to_attribute(element, depth + 1) for element in value]}
    if isinstance(value, dict):
        return {"M": to_attributes(value, depth + 1)}
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def to_attributes(item: Mapping[str, JsonValue], depth: int = 1) -> dict[str, AttributeValue]:
    """A JSON object as a DynamoDB item (or map); every attribute name needs a character."""
    if "" in item:
        raise InvalidItemError("an attribute name is empty; DynamoDB needs one character or more")
    return {_text(name): to_attribute(value, depth) for name, value in item.items()}


def _text(value: str) -> str:
    try:
        value.encode()
    except UnicodeEncodeError:
        raise InvalidItemError("a string holds a lone surrogate, which is not UTF-8") from None
    return value


def _number(value: int | float | Decimal) -> str:
    text = repr(value) if isinstance(value, float) else str(value)
    exact = Decimal(text)
    if not exact.is_finite():
        raise InvalidItemError(f"{text} is not a number DynamoDB stores")
    # significant digits without rounding (Decimal.normalize would round to its context's 28)
    digits = "".join(map(str, exact.as_tuple().digits)).strip("0")
    if exact and (len(digits) > MAX_DIGITS or exact.adjusted() not in EXPONENTS):
        raise InvalidItemError(
            f"{text} is outside DynamoDB's numbers: at most {MAX_DIGITS} significant digits, "
            "magnitude from 1E-130 to 9.99E+125"
        )
    return text


def parse_number(text: str) -> int | float | orjson.Fragment:
    """A DynamoDB number as int or float when that is exact, else as its own JSON text."""
    if _INTEGER.fullmatch(text):
        number = int(text)
        return number if -(2**63) <= number < 2**64 else orjson.Fragment(text)
    approximate = float(text)
    return approximate if Decimal(repr(approximate)) == Decimal(text) else orjson.Fragment(text)


def _binary(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _number_set(values: list[str]) -> list[JsonValue]:
    return [parse_number(value) for value in sorted(values, key=Decimal)]


_FROM_ATTRIBUTE: dict[str, Callable[[Any], JsonValue]] = {
    "S": lambda value: value,
    "N": parse_number,
    "BOOL": lambda value: value,
    "NULL": lambda _value: None,
    "B": _binary,
    "SS": sorted,
    "NS": _number_set,
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
