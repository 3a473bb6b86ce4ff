"""Starlette's own errors (unknown path 404, wrong method 405 with Allow) as JSON, in the two
shapes the examples use: a code with a detail, or a message alone."""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING

import orjson
from starlette.exceptions import HTTPException

from service_runtime.responses import error_response

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response


async def http_error(_request: Request, exc: Exception) -> Response:
    """``{"error": "method_not_allowed", "detail": ...}``: the status's phrase as the code."""
    assert isinstance(exc, HTTPException)
    code = HTTPStatus(exc.status_code).phrase.lower().replace(" ", "_")
    return error_response(exc.status_code, code, exc.detail, headers=exc.headers)


async def http_error_message(_request: Request, exc: Exception) -> Response:
    """``{"error": <detail>}``: the same body for the same mistake, the request id in a header."""
    assert isinstance(exc, HTTPException)
    return error_response(exc.status_code, exc.detail, headers=exc.headers)


def message_internal_error(_request_id: str) -> tuple[bytes, bytes]:
    """The body of a 500 as ``{"error": "internal error"}``, for ``render_error``."""
    return b"application/json", orjson.dumps({"error": "internal error"})
