"""The web tier's endpoints."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route
from three_tier_runtime import current_request_id

from three_tier_web.items_api import ApiUnavailableError
from three_tier_web.page import render_listing, render_unavailable

if TYPE_CHECKING:
    from starlette.requests import Request

logger = logging.getLogger("three_tier_web")
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}


async def index(request: Request) -> Response:
    """The table's items as an HTML page; 503 while the api is unavailable."""
    state = request.app.state

    async def build() -> bytes:
        return render_listing(await state.items_api.listing()).encode()

    try:
        page = await state.page_cache.get(build)
    except ApiUnavailableError as error:
        logger.warning("api unavailable: %s", error)
        return HTMLResponse(render_unavailable(current_request_id()), status_code=503,
                            headers={**PAGE_HEADERS, "Retry-After": "5"})
    return HTMLResponse(page, headers=PAGE_HEADERS)


async def healthz(_request: Request) -> Response:
    """Liveness: the process serves requests (the api is not consulted)."""
    return PlainTextResponse("app is healthy")


ROUTES = [
    Route("/", index, methods=["GET"]),
    Route("/healthz", healthz, methods=["GET"]),
]
