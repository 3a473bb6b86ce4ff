"""Reading a request body with a limit, so a large body is refused before it is held in memory."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.requests import Request


class BodyTooLargeError(ValueError):
    """The body is longer than the endpoint accepts (answer 413)."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"the body must be at most {max_bytes} bytes")
        self.max_bytes = max_bytes


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The whole body; BodyTooLargeError once it (or its Content-Length) exceeds max_bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise BodyTooLargeError(max_bytes)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise BodyTooLargeError(max_bytes)
    return bytes(body)
