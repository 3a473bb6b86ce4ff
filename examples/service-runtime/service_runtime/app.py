"""A Starlette app with what every service has: the middleware, and an access log its lifespan
flushes."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.middleware import Middleware

from service_runtime.access_log import AccessLog, flushing
from service_runtime.middleware import RequestContextMiddleware, json_internal_error

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Mapping, Sequence
    from contextlib import AbstractAsyncContextManager

    from starlette.routing import BaseRoute

    from service_runtime.middleware import ErrorRenderer
    from service_runtime.settings import ServiceSettings

    Lifespan = Callable[[Starlette], AbstractAsyncContextManager[None]]


def service_app(
    *,
    service: str,
    settings: ServiceSettings,
    routes: Sequence[BaseRoute],
    exception_handlers: Mapping[Any, Callable[..., Any]] | None = None,
    lifespan: Lifespan | None = None,
    render_error: ErrorRenderer = json_internal_error,
    middleware: Sequence[Middleware] = (),
) -> Starlette:
    """The app, its access log (unless ACCESS_LOG is off) flushed while ``lifespan`` runs.

    ``app.state.settings`` and ``app.state.access_log`` hold what it was built with.
    """
    access_log = (
        AccessLog(service=service, logger=f"{service}.access") if settings.access_log else None
    )

    @contextlib.asynccontextmanager
    async def with_access_log(app: Starlette) -> AsyncIterator[None]:
        async with flushing(access_log):
            if lifespan is None:
                yield
                return
            async with lifespan(app):
                yield

    app = Starlette(
        routes=list(routes),
        middleware=[
            Middleware(RequestContextMiddleware, access_log=access_log, render_error=render_error),
            *middleware,
        ],
        exception_handlers=dict(exception_handlers or {}),
        lifespan=with_access_log,
    )
    app.state.settings = settings
    app.state.access_log = access_log
    return app
