"""The OpenAPI document of the profile service, written by hand so it states the exact contract."""

from __future__ import annotations

from typing import Any

from service_runtime import OPENAPI_PATH_ITEM

from profile_api import __version__

_ERROR = {
    "description": "Error",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "profile",
        "version": __version__,
        "description": "A profile card as JSON, and a health check.",
    },
    "paths": {
        "/": {
            "get": {
                "summary": "The profile card.",
                "operationId": "getProfile",
                "responses": {
                    "200": {
                        "description": "The profile.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Profile"}}
                        },
                    },
                    "default": _ERROR,
                },
            }
        },
        "/health": {
            "get": {
                "summary": "Liveness: 200 with an empty body while the process serves.",
                "operationId": "getHealth",
                "responses": {"200": {"description": "Alive (empty body)."}},
            }
        },
        "/openapi.json": OPENAPI_PATH_ITEM,
    },
    "components": {
        "schemas": {
            "Profile": {
                "type": "object",
                "required": ["Name", "Hobbies"],
                "properties": {
                    "Name": {"type": "string", "example": "Alberto Eduardo"},
                    "Hobbies": {
                        "type": "array",
                        "items": {"type": "string"},
                        "example": ["AWS", "Kubernetes"],
                    },
                },
            },
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"type": "string"}},
            },
        }
    },
}
