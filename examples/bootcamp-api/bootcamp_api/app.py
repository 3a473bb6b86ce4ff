"""The Starlette application: login, the two conversions, health and the OpenAPI document."""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

import anyio.to_thread
import orjson
from botocore.exceptions import BotoCoreError, ClientError
from service_runtime import (
    OrjsonResponse,
    PreRenderedJson,
    error_response,
    http_error_message,
    message_internal_error,
    service_app,
)
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bootcamp_api import SERVICE
from bootcamp_api.auth import authenticated_claims
from bootcamp_api.bare_asgi import header, query_value, send_json
from bootcamp_api.credentials import read_credentials
from bootcamp_api.netmask import cidr_to_mask, mask_to_cidr
from bootcamp_api.openapi import OPENAPI
from bootcamp_api.services import Services, build_services
from bootcamp_api.settings import Settings, load_settings
from bootcamp_api.signing_keys import SigningKeyUnavailableError

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable
    from contextlib import AbstractAsyncContextManager

    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.types import ASGIApp, Receive, Scope, Send

logger = logging.getLogger(__name__)

INVALID_CREDENTIALS = "invalid username or password"
NO_STORE = {"Cache-Control": "no-store"}


async def ok(request: Request) -> Response:
    """Liveness: `OK`."""
    return PlainTextResponse("OK")


async def login(request: Request) -> Response:
    """Exchange a username and password for a token."""
    username, password = await read_credentials(request)
    services: Services = request.app.state.services
    try:
        user = await anyio.to_thread.run_sync(
            services.logins.authenticate, username, password, limiter=services.login_limiter
        )
    except (BotoCoreError, ClientError) as error:
        logger.error("user table unavailable", extra={"error": str(error)})
        raise HTTPException(503, "the user store is unavailable, try again later") from None
    if user is None:
        logger.info("login refused", extra={"username": username})
        raise HTTPException(401, INVALID_CREDENTIALS)
    logger.info("login", extra={"username": user.username, "role": user.role})
    return OrjsonResponse({"data": await services.tokens.issue(user)}, headers=NO_STORE)


class Conversion:
    """GET /cidr-to-mask and /mask-to-cidr: authenticate, then convert the `value` parameter.

    A bare ASGI endpoint (no Request or Response objects): these are the hot paths. Being an
    instance rather than a function is what tells Starlette's Route to call it as ASGI.
    """

    def __init__(self, function: str, convert: Callable[[str], str]) -> None:
        self.function = function
        self.convert = convert

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (error := scope.pop(_FAST_PATH_ERROR, None)) is not None:
            raise error  # ConversionFastPath already ran this request: render its error as usual
        services: Services = scope["app"].state.services
        await authenticated_claims(header(scope, b"authorization"), services.tokens)
        value = query_value(scope, "value")
        if value is None:
            raise HTTPException(400, "missing query parameter: value")
        await send_json(
            scope,
            send,
            orjson.dumps(
                {"function": self.function, "input": value, "output": self.convert(value)}
            ),
        )


_FAST_PATH_ERROR = "bootcamp_api.fast_path_error"


class ConversionFastPath:
    """GET /cidr-to-mask and /mask-to-cidr straight to their endpoint, everything else onwards.

    An error the app renders (HTTPException, no signing key) goes on through the router and
    exception handlers, stashed in the scope so the endpoint re-raises it without running again:
    error responses are exactly those of the routed path.
    """

    def __init__(self, app: ASGIApp, *, endpoints: dict[str, Conversion]) -> None:
        self.app = app
        self.endpoints = endpoints

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = (
            self.endpoints.get(scope["path"])
            if scope["type"] == "http" and scope["method"] == "GET" and not scope.get("root_path")
            else None
        )
        if endpoint is None:
            await self.app(scope, receive, send)
            return
        try:
            await endpoint(scope, receive, send)
        except (HTTPException, SigningKeyUnavailableError) as error:
            scope[_FAST_PATH_ERROR] = error
            await self.app(scope, receive, send)


async def key_unavailable(request: Request, exc: Exception) -> Response:
    """No signing key: the service cannot issue or check tokens right now."""
    logger.error("jwt signing key unavailable", extra={"error": str(exc)})
    return error_response(503, "the signing key is unavailable, try again later")


def lifespan_for(services: Services) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """Read the signing key before serving (fail to start without one)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            await services.keys.prime()
        except SigningKeyUnavailableError as error:
            logger.critical("cannot start without a JWT signing key", extra={"error": str(error)})
            raise
        yield

    return lifespan


def create_app(
    settings: Settings | None = None, *, services: Services | None = None, fast_path: bool = True
) -> Starlette:
    """Build the ASGI application (settings from the environment and AWS clients by default).

    fast_path=False sends the conversions through the router too (tests compare the two).
    """
    settings = settings or load_settings()
    services = services or build_services(settings)
    conversions = {
        "/cidr-to-mask": Conversion("cidrToMask", cidr_to_mask),
        "/mask-to-cidr": Conversion("maskToCidr", mask_to_cidr),
    }
    routes = [  # hot paths first: the router tries routes in order
        *(Route(path, endpoint, methods=["GET"]) for path, endpoint in conversions.items()),
        Route("/", ok, methods=["GET"]),
        Route("/_health", ok, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/openapi.json", PreRenderedJson(OPENAPI), methods=["GET"]),
    ]
    # measured: the router and exception middleware are ~19 of ~65 us a request
    fast = [Middleware(ConversionFastPath, endpoints=conversions)] if fast_path else []
    app = service_app(
        service=SERVICE,
        settings=settings,
        routes=routes,
        lifespan=lifespan_for(services),
        middleware=fast,
        render_error=message_internal_error,
        exception_handlers={
            HTTPException: http_error_message,
            SigningKeyUnavailableError: key_unavailable,
        },
    )
    app.state.services = services
    return app
