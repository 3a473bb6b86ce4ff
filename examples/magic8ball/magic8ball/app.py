"""The Starlette application: the 8-ball, liveness, readiness and the FizzBuzz writer."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from service_runtime import PreRenderedJson, service_app
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from magic8ball import SERVICE
from magic8ball.answers import has_question, shake
from magic8ball.backoff import Backoff
from magic8ball.fizzbuzz import FizzBuzzWriter
from magic8ball.openapi import OPENAPI
from magic8ball.redis_connection import connect, is_ready
from magic8ball.settings import Settings, load_settings

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable
    from contextlib import AbstractAsyncContextManager

    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.types import Receive, Scope, Send

logger = logging.getLogger(__name__)

TEXT = "text/plain; charset=utf-8"
TEXT_BYTES = TEXT.encode()
MISSING_Q = "Missing `q` in query string"
MISSING_Q_BODY = MISSING_Q.encode()


class EightBall:
    """GET /: an answer when some `q` is non-empty; 400 when `q` is missing or every `q` empty.

    A bare ASGI endpoint (no Request or Response objects): it is the hot path. Being an
    instance rather than a function is what tells Starlette's Route to call it as ASGI.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if has_question(scope["query_string"]):
            status, body = 200, shake()
        else:
            status, body = 400, MISSING_Q_BODY
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", TEXT_BYTES),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )


async def health(request: Request) -> Response:
    """Liveness: the process serves; Redis is not consulted."""
    return PlainTextResponse("OK")


async def ready(request: Request) -> Response:
    """Readiness: 200 when Redis answers PING within REDIS_TIMEOUT_SECONDS, else 503."""
    settings: Settings = request.app.state.settings
    if await is_ready(request.app.state.redis, settings.redis_timeout_seconds):
        return PlainTextResponse("ready")
    return PlainTextResponse("redis unavailable", status_code=503)


def internal_error(request_id: str) -> tuple[bytes, bytes]:
    """The body of a 500: plain text, no traceback (the logs have it)."""
    return TEXT.encode(), b"Internal Server Error"


async def stop(task: asyncio.Task[None]) -> None:
    """Cancel a background task and wait until it has finished."""
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def lifespan_for(settings: Settings) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """Open Redis and run the FizzBuzz writer; undo it at shutdown."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        redis = connect(settings)
        app.state.redis = redis
        writer = FizzBuzzWriter(
            redis,
            counter_key=settings.fizzbuzz_counter_key,
            ttl_seconds=settings.fizzbuzz_ttl_seconds,
        )
        backoff = Backoff(settings.backoff_initial_seconds, settings.backoff_max_seconds)
        task = asyncio.create_task(
            writer.run(interval=settings.fizzbuzz_interval_seconds, backoff=backoff)
        )
        logger.info(
            "fizzbuzz writer started", extra={"interval_s": settings.fizzbuzz_interval_seconds}
        )
        try:
            yield
        finally:
            await stop(task)
            await redis.aclose()
            logger.info("fizzbuzz writer stopped")

    return lifespan


def create_app(settings: Settings | None = None) -> Starlette:
    """Build the ASGI application from settings (read from the environment when omitted)."""
    settings = settings or load_settings()
    routes = [
        Route("/", EightBall(), methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        Route("/ready", ready, methods=["GET"]),
        Route("/openapi.json", PreRenderedJson(OPENAPI), methods=["GET"]),
    ]
    return service_app(
        service=SERVICE,
        settings=settings,
        routes=routes,
        lifespan=lifespan_for(settings),
        render_error=internal_error,
    )
