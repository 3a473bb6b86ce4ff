"""JSON responses rendered with orjson, and a JSON body rendered once for a fixed answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson
from starlette.responses import JSONResponse

if TYPE_CHECKING:
    from collections.abc import Mapping

    from starlette.types import Receive, Scope, Send


class OrjsonResponse(JSONResponse):
    """A JSON response serialised by orjson (faster, and strict about non-JSON values)."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def error_response(
    status: int,
    error: str,
    detail: str | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> OrjsonResponse:
    """``{"error": <code or message>, "detail": <what to do>, ...}`` with the given status."""
    body: dict[str, Any] = {"error": error}
    if detail is not None:
        body["detail"] = detail
    return OrjsonResponse({**body, **extra}, status_code=status, headers=headers)


class PreRenderedJson:
    """An ASGI endpoint answering 200 with the same JSON bytes, rendered once at startup."""

    def __init__(self, document: object) -> None:
        self.body = orjson.dumps(document)
        self.headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(self.body)).encode()),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": self.headers})
        body = b"" if scope["method"] == "HEAD" else self.body
        await send({"type": "http.response.body", "body": body})
