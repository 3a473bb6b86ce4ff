"""Turn one parsed record into a DynamoDB item, or say precisely why it cannot be one."""

from __future__ import annotations

import base64
import binascii
import decimal
from collections.abc import Callable, Hashable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias

from boto3.dynamodb.types import DYNAMODB_CONTEXT, TypeSerializer

from shipway.loader.errors import InvalidRecordError

if TYPE_CHECKING:
    from shipway.loader.config import KeyAttribute, KeySchema

# Attribute values in the low-level client's shape: {"S": "text"}, {"N": "1.5"}, {"B": b"..."}.
Item: TypeAlias = dict[str, Any]
ItemKey: TypeAlias = tuple[Hashable, ...]

MAX_ITEM_BYTES = 400 * 1024
MAX_KEY_BYTES = {"partition key": 2048, "sort key": 1024}
TYPE_NAMES = {
    "S": "a string (S)",
    "N": "a number (N)",
    "B": "binary (B, base64 text)",
    "BOOL": "a boolean (BOOL)",
    "NULL": "null (NULL)",
    "M": "an object (M)",
    "L": "an array (L)",
    "SS": "a string set (SS)",
    "NS": "a number set (NS)",
    "BS": "a binary set (BS)",
}
_serializer = TypeSerializer()


def to_item(value: object, schema: KeySchema, *, typed: bool) -> tuple[Item, ItemKey]:
    """Validate one record; return it as a DynamoDB item with its primary key."""
    if not isinstance(value, dict):
        raise InvalidRecordError(f"a record must be a JSON object, got {_json_type(value)}")
    if not value:
        raise InvalidRecordError("the record is an empty object")
    if "" in value:
        raise InvalidRecordError("an attribute name is empty; DynamoDB needs one character or more")
    try:
        item = typed_item(value) if typed else plain_item(value, schema)
    except RecursionError:
        raise InvalidRecordError("the record nests deeper than DynamoDB's 32 levels") from None
    size = item_size(item)  # first: it also finds text that cannot be encoded
    if size > MAX_ITEM_BYTES:
        raise InvalidRecordError(
            f"the item is about {size // 1024} KB; DynamoDB stores at most 400 KB per item"
        )
    return item, item_key(item, schema)


def plain_item(record: dict[str, Any], schema: KeySchema) -> Item:
    """Convert plain JSON with boto3's TypeSerializer; binary keys arrive as base64 text."""
    item: Item = {}
    for name, value in record.items():
        try:
            item[name] = _serializer.serialize(value)
        except decimal.DecimalException:
            raise InvalidRecordError(
                "the number has more than 38 significant digits or is outside DynamoDB's range",
                (name,),
            ) from None
        except TypeError as error:
            raise InvalidRecordError(str(error), (name,)) from None
    for key in schema.attributes:
        if key.type == "B" and "S" in item.get(key.name, {}):
            try:
                item[key.name] = {"B": _decode_base64(item[key.name]["S"])}
            except InvalidRecordError as error:
                raise error.within(key.name) from None
    return item


def typed_item(record: dict[str, Any]) -> Item:
    """Check DynamoDB JSON (``{"name": {"S": "Ada"}}``); base64 binaries become bytes."""
    item: Item = {}
    for name, value in record.items():
        try:
            item[name] = typed_value(value)
        except InvalidRecordError as error:
            raise error.within(name) from None
    return item


def typed_value(value: object) -> dict[str, Any]:
    """Validate one DynamoDB JSON attribute value and return it in the client's shape."""
    if not isinstance(value, dict) or len(value) != 1:
        raise InvalidRecordError(
            'a DynamoDB JSON value is an object with one type key, such as {"S": "text"}'
        )
    ((code, payload),) = value.items()
    check = _TYPED_CHECKS.get(code)
    if check is None:
        raise InvalidRecordError(
            f"unknown DynamoDB type {code!r}; use one of {', '.join(TYPE_NAMES)}"
        )
    return {code: check(payload)}


def item_key(item: Item, schema: KeySchema) -> ItemKey:
    """The item's primary key, hashable, numbers normalised (DynamoDB treats 1 and 1.0 alike)."""
    return tuple(
        _key_part(item, key, role)
        for key, role in zip(schema.attributes, ("partition key", "sort key"), strict=False)
    )


def _key_part(item: Item, key: KeyAttribute, role: str) -> Hashable:
    value = item.get(key.name)
    if value is None:
        raise InvalidRecordError(f"the {role} '{key.name}' is missing")
    ((code, payload),) = value.items()
    if code != key.type:
        raise InvalidRecordError(
            f"the {role} '{key.name}' must be {TYPE_NAMES[key.type]}, got {TYPE_NAMES[code]}"
        )
    if not payload:
        raise InvalidRecordError(f"the {role} '{key.name}' must not be empty")
    if code == "N":
        return Decimal(payload)
    if _value_size(value) > MAX_KEY_BYTES[role]:
        raise InvalidRecordError(
            f"the {role} '{key.name}' is longer than DynamoDB's {MAX_KEY_BYTES[role]} bytes"
        )
    text_or_bytes: Hashable = payload
    return text_or_bytes


def item_size(item: Item) -> int:
    """DynamoDB's item size, by its published rules (numbers estimated from above)."""
    try:
        return sum(_text_size(name) + _value_size(value) for name, value in item.items())
    except UnicodeEncodeError:
        raise InvalidRecordError("a string is not valid Unicode (a lone surrogate)") from None


def _value_size(value: dict[str, Any]) -> int:
    ((code, payload),) = value.items()
    return _SIZES[code](payload)


def _text_size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8"))


def _number_size(text: str) -> int:
    return (len(text) + 1) // 2 + 1


_SIZES: dict[str, Callable[[Any], int]] = {
    "S": _text_size,
    "N": _number_size,
    "B": len,
    "BOOL": lambda _: 1,
    "NULL": lambda _: 1,
    "M": lambda members: (
        3 + sum(1 + _text_size(name) + _value_size(value) for name, value in members.items())
    ),
    "L": lambda elements: 3 + sum(1 + _value_size(value) for value in elements),
    "SS": lambda elements: sum(map(_text_size, elements)),
    "NS": lambda elements: sum(map(_number_size, elements)),
    "BS": lambda elements: sum(map(len, elements)),
}


def _text(payload: object) -> str:
    if not isinstance(payload, str):
        raise InvalidRecordError(f"S holds a string, got {_json_type(payload)}")
    return payload


def _number(payload: object) -> str:
    if isinstance(payload, bool) or not isinstance(payload, str | int | Decimal):
        raise InvalidRecordError(f"N holds a number as a string, got {_json_type(payload)}")
    try:
        # Text that is no number at all comes back as NaN: the context does not trap that.
        storable = DYNAMODB_CONTEXT.create_decimal(payload).is_finite()
    except decimal.DecimalException:
        storable = False
    if not storable:
        raise InvalidRecordError(
            f"N {payload!r} is not a number DynamoDB can store "
            "(finite, at most 38 significant digits)"
        )
    return str(payload)


def _binary(payload: object) -> bytes:
    if not isinstance(payload, str):
        raise InvalidRecordError(f"B holds base64 text, got {_json_type(payload)}")
    return _decode_base64(payload)


def _decode_base64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidRecordError("binary values must be base64 text") from None


def _boolean(payload: object) -> bool:
    if not isinstance(payload, bool):
        raise InvalidRecordError(f"BOOL holds true or false, got {_json_type(payload)}")
    return payload


def _null(payload: object) -> bool:
    if payload is not True:
        raise InvalidRecordError("NULL holds true")
    return True


def _map(payload: object) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise InvalidRecordError(f"M holds an object, got {_json_type(payload)}")
    return typed_item(payload)


def _list(payload: object) -> list[Any]:
    if not isinstance(payload, list):
        raise InvalidRecordError(f"L holds an array, got {_json_type(payload)}")
    checked = []
    for index, element in enumerate(payload):
        try:
            checked.append(typed_value(element))
        except InvalidRecordError as error:
            raise error.within(index) from None
    return checked


def _set_of(code: str, element: Callable[[object], Any]) -> Callable[[object], list[Any]]:
    def check(payload: object) -> list[Any]:
        if not isinstance(payload, list) or not payload:
            raise InvalidRecordError(f"{code} holds a non-empty array, got {_json_type(payload)}")
        elements = [element(value) for value in payload]
        unique = {Decimal(value) for value in elements} if code == "NS" else set(elements)
        if len(unique) != len(elements):
            raise InvalidRecordError(f"{code} holds duplicate values; a set's values are unique")
        return elements

    return check


_TYPED_CHECKS: dict[str, Callable[[object], Any]] = {
    "S": _text,
    "N": _number,
    "B": _binary,
    "BOOL": _boolean,
    "NULL": _null,
    "M": _map,
    "L": _list,
    "SS": _set_of("SS", _text),
    "NS": _set_of("NS", _number),
    "BS": _set_of("BS", _binary),
}


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float | Decimal):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"
