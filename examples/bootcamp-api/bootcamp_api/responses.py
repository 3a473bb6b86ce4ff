"""JSON responses serialized with orjson."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import JSONResponse


class OrjsonResponse(JSONResponse):
    """A JSONResponse rendered by orjson (faster, and strict about non-JSON values)."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)
