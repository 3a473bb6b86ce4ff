"""The OpenAPI document of the bootcamp API, written by hand so it states the exact contract."""

from __future__ import annotations

from typing import Any

from service_runtime import OPENAPI_PATH_ITEM, json_content

from bootcamp_api import __version__

_json = json_content


_ERROR = {"$ref": "#/components/schemas/Error"}
_TEXT_OK = {"200": {"description": "`OK`", "content": {"text/plain": {"schema": {"const": "OK"}}}}}


def _conversion(operation: str, function: str, summary: str, example: str) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "operationId": operation,
            "security": [{"bearer": []}],
            "parameters": [
                {
                    "name": "value",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "string"},
                    "example": example,
                }
            ],
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "required": ["function", "input", "output"],
                        "properties": {
                            "function": {"const": function},
                            "input": {"type": "string"},
                            "output": {"type": "string"},
                        },
                    },
                    'The conversion; `output` is "Invalid" for values outside the contract.',
                ),
                "400": _json(_ERROR, "`value` is missing."),
                "401": _json(_ERROR, "Missing, malformed, tampered or expired token."),
            },
        }
    }


OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "bootcamp-api",
        "version": __version__,
        "description": "Log in for a JWT; convert CIDR prefix lengths and netmasks.",
    },
    "paths": {
        "/": {"get": {"summary": "Liveness.", "operationId": "getRoot", "responses": _TEXT_OK}},
        "/_health": {
            "get": {
                "summary": "Liveness (for the load balancer).",
                "operationId": "getHealth",
                "responses": _TEXT_OK,
            }
        },
        "/login": {
            "post": {
                "summary": "Exchange a username and password for a token (HS256, 1 hour).",
                "operationId": "login",
                "requestBody": {
                    "required": True,
                    "content": {
                        media: {"schema": {"$ref": "#/components/schemas/Credentials"}}
                        for media in ("application/x-www-form-urlencoded", "application/json")
                    },
                },
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["data"],
                            "properties": {"data": {"type": "string", "description": "The JWT."}},
                        },
                        "A token.",
                    ),
                    "400": _json(_ERROR, "A field is missing, empty or not a string."),
                    "401": _json(_ERROR, "Unknown user or wrong password (one answer for both)."),
                    "413": _json(_ERROR, "Body larger than 16 KiB."),
                    "415": _json(_ERROR, "Neither a form nor JSON."),
                    "503": _json(_ERROR, "The user table or signing key is unavailable."),
                },
            }
        },
        "/cidr-to-mask": _conversion(
            "cidrToMask", "cidrToMask", "Prefix length (1-32) to dotted netmask.", "24"
        ),
        "/mask-to-cidr": _conversion(
            "maskToCidr",
            "maskToCidr",
            "Contiguous dotted netmask to prefix length.",
            "255.255.255.0",
        ),
        "/openapi.json": OPENAPI_PATH_ITEM,
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        "schemas": {
            "Credentials": {
                "type": "object",
                "required": ["username", "password"],
                "properties": {
                    "username": {"type": "string", "minLength": 1, "maxLength": 128},
                    "password": {"type": "string", "minLength": 1, "maxLength": 1024},
                },
            },
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"type": "string"}},
            },
        },
    },
}
