"""Opaque page cursors: base64url of DynamoDB's LastEvaluatedKey."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import orjson


class BadCursorError(ValueError):
    """The cursor was not one this api handed out."""


def encode_cursor(last_key: dict[str, Any] | None) -> str | None:
    """The cursor for the page after ``last_key``, or None on the last page."""
    if not last_key:
        return None
    return base64.urlsafe_b64encode(orjson.dumps(last_key)).rstrip(b"=").decode("ascii")


def decode_cursor(cursor: str | None) -> dict[str, Any] | None:
    """The ExclusiveStartKey a cursor stands for; raise BadCursorError when it is not ours."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = orjson.loads(raw)
    except (binascii.Error, ValueError) as error:
        raise BadCursorError("cursor is not valid; pass back next_cursor unchanged") from error
    if not _is_item_key(key):
        raise BadCursorError("cursor is not valid; pass back next_cursor unchanged")
    return key  # type: ignore[no-any-return]


def _is_item_key(key: object) -> bool:
    return (
        isinstance(key, dict)
        and key.keys() == {"key"}
        and isinstance(key["key"], dict)
        and key["key"].keys() == {"S"}
        and isinstance(key["key"]["S"], str)
        and 0 < len(key["key"]["S"].encode()) <= 2048
    )
