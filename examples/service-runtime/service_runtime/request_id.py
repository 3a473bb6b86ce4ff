"""The request id: taken from a caller's X-Request-Id when it is a plain token, else made."""

from __future__ import annotations

import re
import secrets
from contextvars import ContextVar, Token

REQUEST_ID_HEADER = "x-request-id"
_HEADER = REQUEST_ID_HEADER.encode()
# Ids from outside are echoed into headers and logs, so only plain tokens are trusted.
_ACCEPTABLE_ID = re.compile(rb"[A-Za-z0-9._:\-]{1,128}")
_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request being handled in this context, if any."""
    return _request_id.get()


def incoming_request_id(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The caller's X-Request-Id when it is a plain token, else None."""
    for name, value in headers:
        if name == _HEADER:
            return value.decode("ascii") if _ACCEPTABLE_ID.fullmatch(value) else None
    return None


def new_request_id() -> str:
    """A fresh id: 32 lowercase hex digits."""
    return secrets.token_hex(16)


def bind_request_id(request_id: str) -> Token[str | None]:
    """Make request_id the current one; pass the token to ``unbind_request_id``."""
    return _request_id.set(request_id)


def unbind_request_id(token: Token[str | None]) -> None:
    """Restore the request id that was current before ``bind_request_id``."""
    _request_id.reset(token)
