"""The OpenAPI document of magic8ball, written by hand so it states the exact contract."""

from __future__ import annotations

from typing import Any

from service_runtime import OPENAPI_PATH_ITEM

from magic8ball import __version__
from magic8ball.answers import ANSWERS

_TEXT = "text/plain"

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "magic8ball",
        "version": __version__,
        "description": "Ask the Magic 8-Ball a question; plain-text answers.",
    },
    "paths": {
        "/": {
            "get": {
                "summary": "Shake the ball.",
                "operationId": "ask",
                "parameters": [
                    {
                        "name": "q",
                        "in": "query",
                        "required": True,
                        "description": "The question; any non-empty value.",
                        "schema": {"type": "string", "minLength": 1},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "One of the twenty classic answers.",
                        "content": {
                            _TEXT: {
                                "schema": {
                                    "type": "string",
                                    "enum": [f"Magic 8-ball says: {answer}" for answer in ANSWERS],
                                }
                            }
                        },
                    },
                    "400": {
                        "description": "`q` is missing or empty.",
                        "content": {_TEXT: {"schema": {"const": "Missing `q` in query string"}}},
                    },
                },
            }
        },
        "/health": {
            "get": {
                "summary": "Liveness: 200 while the process serves; never touches Redis.",
                "operationId": "getHealth",
                "responses": {"200": {"description": "Alive.", "content": {_TEXT: {}}}},
            }
        },
        "/ready": {
            "get": {
                "summary": "Readiness: 200 when Redis answers PING in time, else 503.",
                "operationId": "getReady",
                "responses": {
                    "200": {"description": "Redis reachable.", "content": {_TEXT: {}}},
                    "503": {"description": "Redis unreachable.", "content": {_TEXT: {}}},
                },
            }
        },
        "/openapi.json": OPENAPI_PATH_ITEM,
    },
}
