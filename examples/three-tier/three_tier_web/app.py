"""The web tier's Starlette application factory."""

from __future__ import annotations

import time
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import httpx
from service_runtime import PreRenderedJson, service_app
from starlette.routing import Route

from three_tier_web.items_api import ItemsApi
from three_tier_web.openapi import openapi_document
from three_tier_web.page_cache import PageCache
from three_tier_web.routes import ROUTES
from three_tier_web.settings import SERVICE, WebSettings, get_settings

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable

    from starlette.applications import Starlette


def create_app(
    settings: WebSettings | None = None,
    *,
    api_transport: httpx.AsyncBaseTransport | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Starlette:
    """Build the web tier; its one HTTP client to the api lives as long as the app."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with httpx.AsyncClient(
            base_url=str(settings.service_api_url),
            transport=api_transport,
            timeout=settings.api_timeout_seconds,
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=64),
        ) as client:
            app.state.items_api = ItemsApi(client, max_items=settings.max_items)
            app.state.page_cache = PageCache[bytes](settings.page_cache_seconds, clock=clock)
            yield

    document = Route("/openapi.json", PreRenderedJson(openapi_document()), methods=["GET"])
    return service_app(
        service=SERVICE, settings=settings, routes=[*ROUTES, document], lifespan=lifespan
    )
