"""The Starlette application: the profile card, a health check and the OpenAPI document."""

from __future__ import annotations

from typing import TYPE_CHECKING

from service_runtime import PreRenderedJson, http_error_message, message_internal_error, service_app
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from profile_api import SERVICE
from profile_api.openapi import OPENAPI
from profile_api.settings import Settings, load_settings

if TYPE_CHECKING:
    from starlette.applications import Starlette
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
    routes = [
        Route("/", PreRenderedJson(profile_document(settings)), methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        Route("/openapi.json", PreRenderedJson(OPENAPI), methods=["GET"]),
    ]
    # errors are {"error": message}, the request id in its header: equal mistakes, equal bodies
    return service_app(
        service=SERVICE,
        settings=settings,
        routes=routes,
        exception_handlers={HTTPException: http_error_message},
        render_error=message_internal_error,
    )
