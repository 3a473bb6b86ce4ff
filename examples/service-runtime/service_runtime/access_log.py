"""The access log: one JSON line per request, written to stdout in batches.

Routing every request through ``logging`` (record, formatter, lock, a flush per line) cost more
than half the throughput of the hot paths. Like nginx's ``access_log ... buffer= flush=``, lines
are rendered with orjson, kept in memory and written together: when the batch is full, every
``flush_interval`` seconds while the app's lifespan runs ``flushing()``, and when it ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, BinaryIO

import orjson

if TYPE_CHECKING:
    from collections.abc import AsyncIterator


class AccessLog:
    """Collect access lines and write them to a binary stream (stdout by default) in batches."""

    def __init__(
        self,
        *,
        service: str,
        logger: str = "access",
        stream: BinaryIO | None = None,
        max_lines: int = 256,
        flush_interval: float = 0.5,
    ) -> None:
        self.service = service
        self.logger = logger
        self.stream = stream
        self.max_lines = max_lines
        self.flush_interval = flush_interval
        self._lines: list[bytes] = []
        self._second = -1
        self._second_text = ""

    def record(
        self, *, request_id: str, method: str, path: str, status: int, duration_ms: float
    ) -> None:
        """Add one request's line; write the batch when it is full."""
        self._lines.append(
            orjson.dumps(
                {
                    "timestamp": self._timestamp(),
                    "level": "INFO",
                    "logger": self.logger,
                    "message": "request",
                    "service": self.service,
                    "request_id": request_id,
                    "method": method,
                    "path": path,
                    "status": status,
                    "duration_ms": duration_ms,
                },
                option=orjson.OPT_APPEND_NEWLINE,
            )
        )
        if len(self._lines) >= self.max_lines:
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
            sys.stdout.flush()  # keep order with lines `logging` wrote to the text layer
        stream = self.stream or sys.stdout.buffer
        stream.write(b"".join(lines))
        stream.flush()

    async def run_flusher(self) -> None:
        """Flush every flush_interval seconds until cancelled, then flush what is left."""
        try:
            while True:
                await asyncio.sleep(self.flush_interval)
                self.flush()
        finally:
            self.flush()


@contextlib.asynccontextmanager
async def flushing(access_log: AccessLog | None) -> AsyncIterator[None]:
    """For an app's lifespan: flush ``access_log`` periodically while inside, and at the end."""
    if access_log is None:
        yield
        return
    flusher = asyncio.create_task(access_log.run_flusher(), name="access-log-flusher")
    try:
        yield
    finally:
        flusher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await flusher
        access_log.flush()  # a flusher cancelled before it first ran never reached its own
