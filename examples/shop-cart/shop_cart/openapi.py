"""The cart API's OpenAPI 3.1 document; summaries come from the endpoints' docstrings."""

from __future__ import annotations

from typing import Any

from service_runtime import json_content, operation

from shop_cart import routes
from shop_cart.bodies import MAX_BODY_BYTES, LineItemBody

_CART = {"$ref": "#/components/schemas/Cart"}
_ERROR = {"$ref": "#/components/schemas/Error"}
_CART_ID = {
    "name": "cart_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
}
_SKU = {
    "name": "sku",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"},
}
_IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "schema": {"type": "string"},
    "description": 'the ETag you read, e.g. "3", or *. Anything else names no version. 412 only '
    "when the request would otherwise succeed: one that fails anyway (422, 404, 409) says so",
}
_BODY_LIMIT = f"at most {MAX_BODY_BYTES} bytes; 413 beyond"
_ETAG = {"ETag": {"schema": {"type": "string"}, "description": 'the cart version, e.g. "3"'}}


_ORDER = {
    "type": "object",
    "required": ["order_id", "total_cents", "item_count"],
    "properties": {
        "order_id": {"type": "string"},
        "total_cents": {"type": "integer"},
        "item_count": {"type": "integer"},
    },
}

_json = json_content


def _operation(endpoint: Any, responses: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return operation(endpoint, {"503": _json(_ERROR, "DynamoDB unavailable"), **responses}, **extra)


def _changes(endpoint: Any, **extra: Any) -> dict[str, Any]:
    with_body = {"413": _json(_ERROR, "body too large")} if "requestBody" in extra else {}
    return _operation(
        endpoint,
        {
            **with_body,
            "200": _json(_CART, "the cart after the change", **_ETAG),
            "404": _json(_ERROR, "no such cart (or item)"),
            "409": _json(_ERROR, "cart full, or too many concurrent writers"),
            "412": _json(_ERROR, "If-Match names neither the current version nor *"),
            "422": _json(_ERROR, "invalid body or SKU"),
        },
        parameters=[_CART_ID, _SKU, _IF_MATCH],
        **extra,
    )


def _paths() -> dict[str, Any]:
    return {
        "/carts": {
            "post": _operation(
                routes.create_cart,
                {
                    "201": _json(
                        _CART, "the new cart", Location={"schema": {"type": "string"}}, **_ETAG
                    )
                },
            )
        },
        "/carts/{cart_id}": {
            "get": _operation(
                routes.get_cart,
                {
                    "200": _json(_CART, "the cart", **_ETAG),
                    "304": {"description": "unchanged"},
                    "404": _json(_ERROR, "no such cart, or expired"),
                },
                parameters=[_CART_ID],
            ),
            "delete": _operation(
                routes.delete_cart,
                {
                    "204": {"description": "deleted"},
                    "404": _json(_ERROR, "no such cart"),
                    "412": _json(_ERROR, "If-Match names neither the current version nor *"),
                },
                parameters=[_CART_ID, _IF_MATCH],
            ),
        },
        "/carts/{cart_id}/items/{sku}": {
            "put": _changes(
                routes.put_item,
                requestBody={
                    "required": True,
                    "description": _BODY_LIMIT,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/LineItemBody"}
                        }
                    },
                },
            ),
            "delete": _changes(routes.delete_item),
        },
        "/carts/{cart_id}/checkout": {
            "post": _operation(
                routes.checkout,
                {
                    "202": _json(_ORDER, "the order, published for fulfilment"),
                    "404": _json(_ERROR, "no such cart, or expired"),
                    "409": _json(_ERROR, "the cart is empty"),
                },
                parameters=[_CART_ID],
            )
        },
        "/health": {
            "get": _operation(
                routes.health,
                {
                    "200": _json(
                        {"type": "object", "properties": {"status": {"const": "ok"}}}, "healthy"
                    )
                },
            )
        },
    }


def _cart_schema() -> dict[str, Any]:
    line = {
        "type": "object",
        "properties": {
            "sku": {"type": "string"},
            "quantity": {"type": "integer"},
            "unit_price_cents": {"type": "integer"},
            "line_total_cents": {"type": "integer"},
        },
    }
    timestamp = {"type": "string", "format": "date-time"}
    return {
        "type": "object",
        "required": ["id", "items", "total_cents", "version"],
        "properties": {
            "id": {"type": "string"},
            "items": {"type": "array", "items": line},
            "item_count": {"type": "integer"},
            "total_cents": {"type": "integer"},
            "version": {"type": "integer"},
            "created_at": timestamp,
            "updated_at": timestamp,
            "expires_at": timestamp,
        },
    }


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document served at /openapi.json."""
    error = {
        "type": "object",
        "required": ["error", "detail"],
        "properties": {
            "error": {"type": "string"},
            "detail": {"type": "string"},
            "errors": {"type": "array", "items": {"type": "object"}},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "shop-cart",
            "version": "1.0.0",
            "description": "Shopping carts on DynamoDB with optimistic concurrency.",
        },
        "paths": _paths(),
        "components": {
            "schemas": {
                "Cart": _cart_schema(),
                "Error": error,
                "LineItemBody": LineItemBody.model_json_schema(),
            }
        },
    }
