"""The api's OpenAPI 3.1 document, summaries taken from the endpoints' docstrings."""

from __future__ import annotations

from typing import Any

from three_tier_api import routes

_ERROR = {"$ref": "#/components/schemas/Error"}
_ITEM = {"$ref": "#/components/schemas/Item"}
_KEY = {
    "name": "key",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "minLength": 1, "maxLength": 2048},
}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _operation(endpoint: Any, responses: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "summary": endpoint.__doc__,
        "operationId": endpoint.__name__,
        "responses": responses,
        **extra,
    }


def _paths() -> dict[str, Any]:
    page = {
        "type": "object",
        "required": ["items", "next_cursor"],
        "properties": {
            "items": {"type": "array", "items": _ITEM},
            "next_cursor": {"type": ["string", "null"]},
        },
    }
    return {
        "/items": {
            "get": _operation(
                routes.list_items,
                {
                    "200": _json(page, "a page of items"),
                    "400": _json(_ERROR, "bad limit or cursor"),
                },
                parameters=[
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 25},
                    },
                    {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                ],
            )
        },
        "/items/{key}": {
            "get": _operation(
                routes.get_item,
                {"200": _json(_ITEM, "the item"), "404": _json(_ERROR, "no such item")},
                parameters=[_KEY],
            ),
            "put": _operation(
                routes.put_item,
                {
                    "200": _json(_ITEM, "the item, replaced"),
                    "201": _json(_ITEM, "the item, created"),
                    "413": _json(_ERROR, "body too large"),
                    "422": _json(_ERROR, "invalid body"),
                },
                parameters=[_KEY],
                requestBody={
                    "required": True,
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
            ),
        },
        "/meta": {
            "get": _operation(
                routes.meta,
                {
                    "200": _json(
                        {"type": "object", "properties": {"table": {"type": "string"}}}, "facts"
                    )
                },
            )
        },
        "/healthz": {
            "get": _operation(
                routes.healthz,
                {
                    "200": {
                        "description": "healthy",
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    }
                },
            )
        },
    }


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document served at /openapi.json."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "three-tier items api", "version": "1.0.0"},
        "paths": _paths(),
        "components": {
            "schemas": {
                "Item": {
                    "type": "object",
                    "required": ["key"],
                    "additionalProperties": True,
                    "properties": {"key": {"type": "string"}},
                },
                "Error": {
                    "type": "object",
                    "required": ["error", "detail"],
                    "properties": {"error": {"type": "string"}, "detail": {"type": "string"}},
                },
            }
        },
    }
