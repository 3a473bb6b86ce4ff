"""Reading and checking what a caller sent: path key, query parameters, JSON body."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from service_runtime import read_body

from three_tier_api.cursor import BadCursorError, decode_cursor
from three_tier_api.errors import ApiError

if TYPE_CHECKING:
    from starlette.requests import Request

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
# DynamoDB takes 2048 bytes of key; 512 characters fit whatever they are (UTF-8: 4 bytes at most)
# and, unlike bytes, a length in characters is what an OpenAPI `maxLength` can state.
MAX_KEY_CHARACTERS = 512
MAX_BODY_BYTES = 400 * 1024  # DynamoDB's limit for an item


def item_key(request: Request) -> str:
    """The ``{key}`` path parameter, checked against DynamoDB's key limits."""
    key: str = request.path_params["key"]
    if not 0 < len(key) <= MAX_KEY_CHARACTERS:
        raise ApiError(400, "invalid_key", f"key must be 1 to {MAX_KEY_CHARACTERS} characters")
    return key


def page_limit(request: Request) -> int:
    """The ``limit`` query parameter: 1 to 100, default 25."""
    raw = request.query_params.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ApiError(400, "invalid_limit", f"limit must be an integer from 1 to {MAX_LIMIT}")
    return int(raw)


def start_key(request: Request) -> dict[str, Any] | None:
    """The DynamoDB start key behind the ``cursor`` query parameter."""
    try:
        return decode_cursor(request.query_params.get("cursor"))
    except BadCursorError as error:
        raise ApiError(400, "invalid_cursor", str(error)) from None


async def json_object(request: Request) -> dict[str, Any]:
    """The request body as a JSON object, refusing anything larger than an item can be."""
    body = await read_body(request, MAX_BODY_BYTES)
    try:  # Decimal: a number is stored as written, never rounded through a float
        value = json.loads(body, parse_float=Decimal, parse_constant=_no_constant)
    except ValueError:
        raise ApiError(422, "invalid_body", "body must be a JSON object") from None
    if not isinstance(value, dict):
        raise ApiError(422, "invalid_body", "body must be a JSON object")
    return value


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")
