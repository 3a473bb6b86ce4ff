"""ASGI middleware giving each request an id, an access log line and a JSON 500 on crashes."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TYPE_CHECKING, BinaryIO

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
        if scope["type"] == "lifespan":
            try:
                await self.app(scope, receive, send)
            finally:
                access_log.flush()  # shutdown: write the lines still buffered
            return
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
                _log_access(scope, response.status, started, request_id)
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


class AccessLog:
    """Access lines rendered with orjson, buffered and written to stdout in batches.

    Going through ``logging`` (record, formatter, lock, a flush per line) took ~22% of the hot
    path, so lines are written together: at ``max_lines``, ``flush_interval`` seconds after the
    first buffered line, and at shutdown (lifespan end, or process exit).
    """

    def __init__(self, *, stream: BinaryIO | None = None, max_lines: int = 256,
                 flush_interval: float = 0.5) -> None:
        self.stream = stream
        self.max_lines = max_lines
        self.flush_interval = flush_interval
        self._lines: list[bytes] = []
        self._deadline = 0.0
        self._second = -1
        self._second_text = ""

    def record(self, entry: dict[str, object]) -> None:
        """Buffer one line; write the batch when it is full or old enough."""
        entry = {"timestamp": self._timestamp(), "level": "INFO", "logger": logger.name, **entry}
        self._lines.append(orjson.dumps(entry, default=str, option=orjson.OPT_APPEND_NEWLINE))
        now = time.monotonic()
        if len(self._lines) == 1:
            self._deadline = now + self.flush_interval
            # a timer on the serving loop writes the batch even if no further request comes
            with contextlib.suppress(RuntimeError):
                asyncio.get_running_loop().call_later(self.flush_interval, self.flush)
        if len(self._lines) >= self.max_lines or now >= self._deadline:
            self.flush()

    def _timestamp(self) -> str:
        """Now as JsonFormatter writes it; the date and time part is made once a second."""
        now = time.time()
        second = int(now)
        if second != self._second:
            self._second = second
            self._second_text = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        return f"{self._second_text}.{int((now - second) * 1000):03d}+00:00"

    def flush(self) -> None:
        """Write the pending lines in one call."""
        if not self._lines:
            return
        lines, self._lines = self._lines, []
        if self.stream is None:
            sys.stdout.flush()  # keep order with lines logging wrote to the text layer
            stream = sys.stdout.buffer
        else:
            stream = self.stream
        stream.write(b"".join(lines))
        stream.flush()


access_log = AccessLog()
atexit.register(access_log.flush)


def _log_access(scope: Scope, status: int | None, started: float, request_id: str) -> None:
    if not logger.isEnabledFor(logging.INFO):  # LOG_LEVEL above info drops access lines, as before
        return
    method, path = scope["method"], scope["path"]
    access_log.record({
        "message": f"{method} {path} {status}", "request_id": request_id, "method": method,
        "path": path, "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 3)})
