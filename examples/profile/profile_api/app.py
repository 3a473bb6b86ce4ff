"""The Starlette application: the profile card, a health check and the OpenAPI document."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from service_runtime import AccessLog, PreRenderedJson, RequestContextMiddleware, flushing
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import Response
from starlette.routing import Route

from profile_api import SERVICE
from profile_api.errors import EXCEPTION_HANDLERS, internal_error
from profile_api.openapi import OPENAPI
from profile_api.settings import Settings, load_settings

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from starlette.requests import Request


async def health(request: Request) -> Response:
    """Liveness: 200 with an empty body."""
    return Response(b"")


def profile_document(settings: Settings) -> dict[str, object]:
    """The card as the contract spells it: capitalised keys, Name first."""
    return {"Name": settings.profile_name, "Hobbies": list(settings.profile_hobbies)}


def create_app(settings: Settings | None = None) -> Starlette:
    """Build the ASGI application from settings (read from the environment when omitted)."""
    settings = settings or load_settings()
    access_log = (
        AccessLog(service=SERVICE, logger="profile_api.access") if settings.access_log else None
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with flushing(access_log):
            yield

    routes = [
        Route("/", PreRenderedJson(profile_document(settings)), methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        Route("/openapi.json", PreRenderedJson(OPENAPI), methods=["GET"]),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(RequestContextMiddleware, render_error=internal_error, access_log=access_log)
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.access_log = access_log
    return app
