"""The web tier's endpoints."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from service_runtime import HTML_PAGE_POLICY, current_request_id
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from three_tier_web.items_api import ApiUnavailableError
from three_tier_web.page import render_listing, render_unavailable

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.types import Receive, Scope, Send

logger = logging.getLogger("three_tier_web")
PAGE_HEADERS = {
    "Content-Security-Policy": HTML_PAGE_POLICY,
    "Cache-Control": "no-cache",
}


# Encoded once: building Starlette response headers on every request cost ~13% of the hot path.
_PAGE_RAW_HEADERS = [
    (name.lower().encode(), value.encode()) for name, value in PAGE_HEADERS.items()
]
_HTML = (b"content-type", b"text/html; charset=utf-8")


class PageEndpoint:
    """``GET /`` as a bare ASGI app: the items page; 503 while the api is unavailable."""

    def __init__(self) -> None:
        self._body: bytes | None = None
        self._headers: list[tuple[bytes, bytes]] = []

    def _headers_for(self, body: bytes) -> list[tuple[bytes, bytes]]:
        # The cached page is the same object for a while, so its headers are made once per page.
        if body is not self._body:
            self._headers = [
                *_PAGE_RAW_HEADERS,
                (b"content-length", str(len(body)).encode()),
                _HTML,
            ]
            self._body = body
        return self._headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = scope["app"].state

        async def build() -> bytes:
            return render_listing(await state.items_api.listing()).encode()

        try:
            page = await state.page_cache.get(build)
        except ApiUnavailableError as error:
            logger.warning("api unavailable: %s", error)
            response = HTMLResponse(
                render_unavailable(current_request_id()),
                status_code=503,
                headers={**PAGE_HEADERS, "Retry-After": "5"},
            )
            await response(scope, receive, send)
            return
        await send(
            {"type": "http.response.start", "status": 200, "headers": self._headers_for(page)}
        )
        await send({"type": "http.response.body", "body": page})


index = PageEndpoint()


async def healthz(_request: Request) -> Response:
    """Liveness: the process serves requests (the api is not consulted)."""
    return PlainTextResponse("app is healthy")


ROUTES = [
    Route("/", index, methods=["GET"]),
    Route("/healthz", healthz, methods=["GET"]),
]
"""The page and the health check; the app adds /openapi.json."""
