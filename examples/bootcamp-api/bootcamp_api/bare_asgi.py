"""Reading a request and writing a JSON response straight from and to ASGI, for hot paths.

Starlette's Request, QueryParams and Response objects cost more than the rest of a
conversion request; these helpers keep Starlette's semantics (latin-1 headers, the last of
repeated query parameters, HEAD without a body).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

if TYPE_CHECKING:
    from starlette.types import Scope, Send


def header(scope: Scope, name: bytes) -> str | None:
    """The first value of header `name` (lower case), or None."""
    for key, value in scope["headers"]:
        if key == name:
            text: str = value.decode("latin-1")
            return text
    return None


def query_value(scope: Scope, name: str) -> str | None:
    """The last value of query parameter `name`, or None when absent."""
    found = None
    for key, value in parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True):
        if key == name:
            found = value
    return found


async def send_json(scope: Scope, send: Send, body: bytes, status: int = 200) -> None:
    """Send body (already JSON) with its content type and length."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
