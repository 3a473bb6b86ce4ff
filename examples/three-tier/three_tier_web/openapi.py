"""The web tier's OpenAPI 3.1 document: its page, its health check and this document."""

from __future__ import annotations

from typing import Any

from service_runtime import HTML_PAGE_POLICY

from three_tier_web import routes

_HTML = {"text/html": {"schema": {"type": "string"}}}
_PAGE_HEADERS = {
    "Content-Security-Policy": {"schema": {"const": HTML_PAGE_POLICY}},
    "Cache-Control": {"schema": {"const": "no-cache"}},
}


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document served at /openapi.json."""
    page = {
        "summary": "The items page: the table's name and one row per attribute of every item.",
        "operationId": "page",
        "responses": {
            "200": {
                "description": "the page (rebuilt at most every PAGE_CACHE_SECONDS)",
                "headers": _PAGE_HEADERS,
                "content": _HTML,
            },
            "503": {
                "description": "the api is unavailable and no recent page is at hand",
                "headers": {**_PAGE_HEADERS, "Retry-After": {"schema": {"type": "string"}}},
                "content": _HTML,
            },
        },
    }
    health = {
        "summary": routes.healthz.__doc__,
        "operationId": "healthz",
        "responses": {
            "200": {
                "description": "healthy",
                "content": {"text/plain": {"schema": {"type": "string"}}},
            }
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "three-tier web", "version": "1.0.0"},
        "paths": {"/": {"get": page}, "/healthz": {"get": health}},
    }
