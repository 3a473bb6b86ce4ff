"""What every request gets: an id, an access log line and a JSON 500 on crashes."""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar
from typing import TYPE_CHECKING

import orjson

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "x-request-id"
# Ids from outside are echoed into headers and logs, so only plain tokens are trusted.
_ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
logger = logging.getLogger("shop_cart.access")


def current_request_id() -> str | None:
    """The id of the request being handled in this context, if any."""
    return _request_id.get()


def incoming_request_id(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The caller's X-Request-Id when it is a plain token, else None."""
    for name, value in headers:
        if name == b"x-request-id":
            text = value.decode("latin-1")
            return text if _ACCEPTABLE_ID.fullmatch(text) else None
    return None


class RequestContextMiddleware:
    """Assign a request id, echo it, log one access line, and answer crashes with a JSON 500."""

    def __init__(self, app: ASGIApp, *, access_log: bool = True) -> None:
        self.app = app
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = incoming_request_id(scope["headers"]) or uuid.uuid4().hex
        token = _request_id.set(request_id)
        started = time.perf_counter()
        response = _ResponseTracker(send, request_id)
        try:
            await self.app(scope, receive, response.send)
        except Exception:
            logger.exception("unhandled error in %s %s", scope["method"], scope["path"])
            if response.status is not None:
                raise  # headers are gone already; the server has to drop the connection
            await response.send_internal_error()
        finally:
            if self.access_log:
                _log_access(scope, response.status, started)
            _request_id.reset(token)


class _ResponseTracker:
    """Wraps ``send``: adds the request id header and remembers the status sent."""

    def __init__(self, send: Send, request_id: str) -> None:
        self._send = send
        self._header = (REQUEST_ID_HEADER.encode(), request_id.encode())
        self.request_id = request_id
        self.status: int | None = None

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            message = {**message, "headers": [*message.get("headers", ()), self._header]}
        await self._send(message)

    async def send_internal_error(self) -> None:
        body = orjson.dumps({"error": "internal_error", "detail": "the server failed; retry later",
                             "request_id": self.request_id})
        await self.send({"type": "http.response.start", "status": 500, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await self.send({"type": "http.response.body", "body": body})


def _log_access(scope: Scope, status: int | None, started: float) -> None:
    logger.info("%s %s %s", scope["method"], scope["path"], status, extra={
        "method": scope["method"], "path": scope["path"], "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 3)})
