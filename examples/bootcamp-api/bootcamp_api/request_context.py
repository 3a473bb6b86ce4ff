"""Per-request context: a request id (X-Request-Id, or a new one) for logs and the response."""

from __future__ import annotations

import logging
import re
import secrets
import time
from typing import TYPE_CHECKING

from bootcamp_api.logs import REQUEST_ID

if TYPE_CHECKING:
    from collections.abc import Callable

    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from bootcamp_api.access_log import AccessLog

    # Renders the body of a 500 for a request id: (content type, body).
    ErrorRenderer = Callable[[str], tuple[bytes, bytes]]

logger = logging.getLogger(__name__)

HEADER = b"x-request-id"
# Printable ASCII without spaces, bounded: a caller cannot inject log lines or huge values.
_ACCEPTABLE_ID = re.compile(rb"[\x21-\x7e]{1,128}")


def incoming_request_id(scope: Scope) -> str | None:
    """The caller's X-Request-Id when present and well formed."""
    for name, value in scope["headers"]:
        if name == HEADER:
            return value.decode("ascii") if _ACCEPTABLE_ID.fullmatch(value) else None
    return None


class RequestContextMiddleware:
    """Bind a request id for logs, echo it in X-Request-Id and record the access line.

    An unexpected exception is logged with its traceback and answered with a 500 rendered by
    render_error (no traceback), still carrying the request id.
    """

    def __init__(self, app: ASGIApp, *, render_error: ErrorRenderer,
                 access_log: AccessLog | None = None) -> None:
        self.app = app
        self.render_error = render_error
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = incoming_request_id(scope) or secrets.token_hex(16)
        header = (HEADER, request_id.encode("ascii"))
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 0

        async def send_with_request_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_request_id)
        except Exception:
            logger.exception("unhandled error", extra={"path": scope["path"]})
            if status:  # the response has begun: all that is left is to drop the connection
                raise
            status = 500
            await self._send_error(send, header, request_id)
        finally:
            if self.access_log is not None:
                self.access_log.record(
                    request_id=request_id, method=scope["method"], path=scope["path"],
                    status=status, duration_ms=round((time.perf_counter() - started) * 1000, 3))
            REQUEST_ID.reset(token)

    async def _send_error(self, send: Send, header: tuple[bytes, bytes], request_id: str) -> None:
        content_type, body = self.render_error(request_id)
        await send({"type": "http.response.start", "status": 500, "headers": [
            (b"content-type", content_type), (b"content-length", str(len(body)).encode()),
            header]})
        await send({"type": "http.response.body", "body": body})
