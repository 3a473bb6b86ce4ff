"""The api's OpenAPI 3.1 document, summaries taken from the endpoints' docstrings."""

from __future__ import annotations

from typing import Any

from service_runtime import json_content, operation

from three_tier_api import routes
from three_tier_api.attributes import MAX_DEPTH, MAX_DIGITS
from three_tier_api.requests import DEFAULT_LIMIT, MAX_BODY_BYTES, MAX_KEY_CHARACTERS, MAX_LIMIT

_ERROR = {"$ref": "#/components/schemas/Error"}
_ITEM = {"$ref": "#/components/schemas/Item"}
_KEY = {
    "name": "key",
    "in": "path",
    "required": True,
    "description": f"1 to {MAX_KEY_CHARACTERS} characters (at most 2048 bytes of UTF-8, "
    "DynamoDB's limit for a key); 400 otherwise",
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_CHARACTERS},
}
_BAD_KEY = {"400": {"$ref": "#/components/responses/BadKey"}}
_UNAVAILABLE = {"503": {"$ref": "#/components/responses/Unavailable"}}
# DynamoDB's numbers: 0, or a magnitude from 1E-130 up to (not including) 1E+126
_SMALLEST = 1e-130
_TOO_LARGE = 1e126


_json = json_content
_operation = operation


def _list_items() -> dict[str, Any]:
    page = {
        "type": "object",
        "required": ["items", "next_cursor"],
        "properties": {
            "items": {"type": "array", "items": _ITEM},
            "next_cursor": {"type": ["string", "null"]},
        },
    }
    limit = {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}
    return _operation(
        routes.list_items,
        {
            "200": _json(page, "a page of items"),
            "400": _json(_ERROR, "bad limit or cursor"),
            **_UNAVAILABLE,
        },
        parameters=[
            {
                "name": "limit",
                "in": "query",
                "schema": limit,
                "description": "digits only: `2.0` or `1e1` are 400",
            },
            {
                "name": "cursor",
                "in": "query",
                "schema": {"type": "string", "minLength": 1},
                "description": "the `next_cursor` of the previous page, unchanged; any other "
                "value (the empty one too) is 400",
            },
        ],
    )


def _put_item() -> dict[str, Any]:
    body = {
        "description": f"the item's attributes, at most {MAX_BODY_BYTES} bytes (413 beyond)",
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Attributes"}}},
    }
    return _operation(
        routes.put_item,
        {
            "200": _json(_ITEM, "the item, replaced"),
            "201": _json(_ITEM, "the item, created"),
            "400": _json(
                _ERROR,
                "bad key, or an item DynamoDB does not store (an empty "
                "attribute name, a number out of its range, deeper than "
                f"{MAX_DEPTH} levels)",
            ),
            "413": _json(_ERROR, "body too large"),
            "422": _json(_ERROR, "the body is not a JSON object, or its `key` is not the path's"),
            **_UNAVAILABLE,
        },
        parameters=[_KEY],
        requestBody=body,
    )


def _paths() -> dict[str, Any]:
    text = {"description": "healthy", "content": {"text/plain": {"schema": {"type": "string"}}}}
    return {
        "/items": {"get": _list_items()},
        "/items/{key}": {
            "get": _operation(
                routes.get_item,
                {
                    "200": _json(_ITEM, "the item"),
                    "404": _json(_ERROR, "no such item"),
                    **_BAD_KEY,
                    **_UNAVAILABLE,
                },
                parameters=[_KEY],
            ),
            "put": _put_item(),
        },
        "/meta": {
            "get": _operation(
                routes.meta,
                {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["table"],
                            "properties": {"table": {"type": "string"}},
                        },
                        "facts",
                    )
                },
            )
        },
        "/healthz": {"get": _operation(routes.healthz, {"200": text})},
    }


def _schemas() -> dict[str, Any]:
    value = {"$ref": "#/components/schemas/Value"}
    number = {
        "type": "number",
        "description": f"at most {MAX_DIGITS} significant digits, stored exactly",
        "anyOf": [
            {"const": 0},
            {"minimum": _SMALLEST, "exclusiveMaximum": _TOO_LARGE},
            {"exclusiveMinimum": -_TOO_LARGE, "maximum": -_SMALLEST},
        ],
    }
    return {
        "Item": {
            "type": "object",
            "required": ["key"],
            "additionalProperties": True,
            "properties": {"key": {"type": "string"}},
        },
        "Attributes": {
            "type": "object",
            "propertyNames": {"minLength": 1},
            "additionalProperties": value,
            "properties": {"key": {"type": "string", "description": "the path's"}},
        },
        "Value": {
            "anyOf": [
                {"type": ["string", "boolean", "null"]},
                number,
                {"type": "array", "items": value},
                {
                    "type": "object",
                    "propertyNames": {"minLength": 1},
                    "additionalProperties": value,
                },
            ]
        },
        "Error": {
            "type": "object",
            "required": ["error", "detail"],
            "properties": {"error": {"type": "string"}, "detail": {"type": "string"}},
        },
    }


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document served at /openapi.json."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "three-tier items api", "version": "1.0.0"},
        "paths": _paths(),
        "components": {
            "schemas": _schemas(),
            "responses": {
                "BadKey": _json(_ERROR, f"the key is not 1 to {MAX_KEY_CHARACTERS} characters"),
                "Unavailable": _json(_ERROR, "DynamoDB is unavailable; retry later"),
            },
        },
    }
