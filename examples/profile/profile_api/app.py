"""The Starlette application: the profile card, a health check and the OpenAPI document."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

import orjson
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import Response
from starlette.routing import Route

from profile_api.access_log import AccessLog
from profile_api.errors import EXCEPTION_HANDLERS, internal_error
from profile_api.logs import SERVICE
from profile_api.openapi import OPENAPI
from profile_api.request_context import RequestContextMiddleware
from profile_api.settings import Settings, load_settings

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable
    from contextlib import AbstractAsyncContextManager

    from starlette.requests import Request
    from starlette.types import Receive, Scope, Send


class PreRenderedJson:
    """An ASGI endpoint answering with the same JSON bytes, rendered once at startup."""

    def __init__(self, document: object) -> None:
        self.body = orjson.dumps(document)
        self.headers = [(b"content-type", b"application/json"),
                        (b"content-length", str(len(self.body)).encode())]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # A fresh start message each time: middleware replaces its header list.
        await send({"type": "http.response.start", "status": 200, "headers": self.headers})
        body = b"" if scope["method"] == "HEAD" else self.body
        await send({"type": "http.response.body", "body": body})


async def health(request: Request) -> Response:
    """Liveness: 200 with an empty body."""
    return Response(b"")


def profile_document(settings: Settings) -> dict[str, object]:
    """The card as the contract spells it: capitalised keys, Name first."""
    return {"Name": settings.profile_name, "Hobbies": list(settings.profile_hobbies)}


def lifespan_for(
    access_log: AccessLog | None,
) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """A lifespan that flushes the access log periodically and at shutdown."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if access_log is None:
            yield
            return
        flusher = asyncio.create_task(access_log.run_flusher(), name="access-log-flusher")
        try:
            yield
        finally:
            flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await flusher

    return lifespan


def create_app(settings: Settings | None = None) -> Starlette:
    """Build the ASGI application from settings (read from the environment when omitted)."""
    settings = settings or load_settings()
    access_log = AccessLog(service=SERVICE, logger="profile_api.access") \
        if settings.access_log else None
    routes = [
        Route("/", PreRenderedJson(profile_document(settings)), methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        Route("/openapi.json", PreRenderedJson(OPENAPI), methods=["GET"]),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(RequestContextMiddleware, render_error=internal_error,
                               access_log=access_log)],
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        lifespan=lifespan_for(access_log),
    )
    app.state.settings = settings
    app.state.access_log = access_log
    return app
