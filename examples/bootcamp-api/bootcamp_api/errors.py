"""JSON error bodies for every failure, including ones the framework raises (404, 405, 500).

The body is `{"error": message}`; the request id travels in the X-Request-Id header, so two
answers to the same mistake are byte-for-byte equal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import orjson
from service_runtime import error_response
from starlette.exceptions import HTTPException

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's HTTPException (unknown path, wrong method) as JSON."""
    assert isinstance(exc, HTTPException)
    return error_response(exc.status_code, exc.detail, headers=exc.headers)


def internal_error(request_id: str) -> tuple[bytes, bytes]:
    """The body of a 500: JSON without the traceback (the logs have it)."""
    return b"application/json", orjson.dumps({"error": "internal error"})


EXCEPTION_HANDLERS = {HTTPException: http_error}
