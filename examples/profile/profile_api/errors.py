"""JSON error bodies for every failure, including ones the framework raises (404, 405, 500).

The body is `{"error": message}`; the request id travels in the X-Request-Id header, so two
answers to the same mistake are byte-for-byte equal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import orjson
from starlette.exceptions import HTTPException

from profile_api.responses import OrjsonResponse

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response


def error_response(status: int, message: str) -> OrjsonResponse:
    """A JSON error: {"error": message}."""
    return OrjsonResponse({"error": message}, status_code=status)


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's HTTPException (unknown path, wrong method) as JSON."""
    assert isinstance(exc, HTTPException)
    response = error_response(exc.status_code, exc.detail)
    response.headers.update(exc.headers or {})
    return response


def internal_error(request_id: str) -> tuple[bytes, bytes]:
    """The body of a 500: JSON without the traceback (the logs have it)."""
    return b"application/json", orjson.dumps({"error": "internal error"})


EXCEPTION_HANDLERS = {HTTPException: http_error}
