"""JSON error bodies for every failure, including ones the framework raises (404, 405, 500)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import orjson
from starlette.exceptions import HTTPException

from profile_api.logs import REQUEST_ID
from profile_api.responses import OrjsonResponse

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response


def error_response(status: int, message: str) -> OrjsonResponse:
    """A JSON error: {"error": message, "request_id": ...}."""
    return OrjsonResponse({"error": message, "request_id": REQUEST_ID.get()}, status_code=status)


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's HTTPException (unknown path, wrong method) as JSON."""
    assert isinstance(exc, HTTPException)
    response = error_response(exc.status_code, exc.detail)
    response.headers.update(exc.headers or {})
    return response


def internal_error(request_id: str) -> tuple[bytes, bytes]:
    """The body of a 500: JSON without the traceback (the logs have it)."""
    return b"application/json", orjson.dumps({"error": "internal error",
                                              "request_id": request_id})


EXCEPTION_HANDLERS = {HTTPException: http_error}
