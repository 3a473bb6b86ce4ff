"""Small builders for hand-written OpenAPI 3.1 documents, which state a contract exactly."""

from __future__ import annotations

from typing import Any

# The path item of a service's own /openapi.json.
OPENAPI_PATH_ITEM = {
    "get": {
        "summary": "This document.",
        "operationId": "getOpenApi",
        "responses": {
            "200": {"description": "OpenAPI 3.1 document.", "content": {"application/json": {}}}
        },
    }
}


def json_content(schema: dict[str, Any], description: str, **headers: Any) -> dict[str, Any]:
    """A response whose body is JSON matching ``schema``, with the given response headers."""
    answer = {"description": description, "content": {"application/json": {"schema": schema}}}
    return {**answer, "headers": headers} if headers else answer


def operation(endpoint: Any, responses: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """An operation named after ``endpoint``, its docstring as the summary."""
    return {
        "summary": endpoint.__doc__,
        "operationId": endpoint.__name__,
        "responses": responses,
        **extra,
    }
