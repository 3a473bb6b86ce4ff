"""ASGI middleware: a request id, security headers, one access line and a JSON 500 on crashes."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import orjson

from service_runtime.request_id import (
    REQUEST_ID_HEADER,
    bind_request_id,
    incoming_request_id,
    new_request_id,
    unbind_request_id,
)
from service_runtime.security_headers import SECURITY_HEADERS, encoded

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from service_runtime.access_log import AccessLog

    # The body of a 500 for a request id: (content type, body).
    ErrorRenderer = Callable[[str], tuple[bytes, bytes]]

logger = logging.getLogger("service_runtime")


def json_internal_error(request_id: str) -> tuple[bytes, bytes]:
    """``{"error": "internal_error", "detail": ..., "request_id": ...}``; the logs hold the rest."""
    return b"application/json", orjson.dumps(
        {
            "error": "internal_error",
            "detail": "the server failed; retry later",
            "request_id": request_id,
        }
    )


class RequestContextMiddleware:
    """Bind a request id for logs and echo it, add security headers, record the access line.

    An unexpected exception is logged with its traceback and answered with a 500 rendered by
    ``render_error`` (no traceback), still carrying the request id and the headers.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        access_log: AccessLog | None = None,
        render_error: ErrorRenderer = json_internal_error,
        headers: Mapping[str, str] = SECURITY_HEADERS,
    ) -> None:
        self.app = app
        self.access_log = access_log
        self.render_error = render_error
        self._headers = encoded(dict(headers))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = incoming_request_id(scope["headers"]) or new_request_id()
        token = bind_request_id(request_id)
        started = time.perf_counter()
        response = _Response(
            send, [*self._headers, (REQUEST_ID_HEADER.encode(), request_id.encode())]
        )
        try:
            await self.app(scope, receive, response.send)
        except Exception:
            logger.exception("unhandled error in %s %s", scope["method"], scope["path"])
            if response.status:  # the response has begun: all that is left is to drop it
                raise
            await response.send_error(*self.render_error(request_id))
        finally:
            if self.access_log is not None:
                self.access_log.record(
                    request_id=request_id,
                    method=scope["method"],
                    path=scope["path"],
                    status=response.status,
                    duration_ms=round((time.perf_counter() - started) * 1000, 3),
                )
            unbind_request_id(token)


class _Response:
    """Wraps ``send``: adds the headers the endpoint did not set, remembers the status."""

    def __init__(self, send: Send, headers: list[tuple[bytes, bytes]]) -> None:
        self._send = send
        self._headers = headers
        self.status = 0

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            own = message.get("headers", [])
            names = {name.lower() for name, _ in own}
            message = {
                **message,
                "headers": [*own, *(header for header in self._headers if header[0] not in names)],
            }
        await self._send(message)

    async def send_error(self, content_type: bytes, body: bytes) -> None:
        await self.send(
            {
                "type": "http.response.start",
                "status": 500,
                "headers": [
                    (b"content-type", content_type),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await self.send({"type": "http.response.body", "body": body})
