"""JSON responses rendered with orjson, and the one shape every error body takes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson
from starlette.responses import JSONResponse

if TYPE_CHECKING:
    from collections.abc import Mapping


class OrjsonResponse(JSONResponse):
    """A JSON response serialised by orjson (several times faster than the stdlib)."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def error_response(status: int, error: str, detail: str, *,
                   headers: Mapping[str, str] | None = None, **extra: Any) -> OrjsonResponse:
    """``{"error": <code>, "detail": <what to do>, ...}`` with the given status."""
    return OrjsonResponse({"error": error, "detail": detail, **extra}, status_code=status,
                          headers=headers)
