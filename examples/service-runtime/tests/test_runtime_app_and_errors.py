"""service_app wires the middleware, the access log and the app's own lifespan; JSON errors."""

from __future__ import annotations

import contextlib
import io
from typing import TYPE_CHECKING

import httpx
import orjson
import pytest
from service_runtime import (
    ServiceSettings,
    http_error,
    http_error_message,
    message_internal_error,
    path_route,
    service_app,
)
from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

pytestmark = pytest.mark.anyio


async def hello(_request: Request) -> Response:
    return PlainTextResponse("hello")


async def crash(_request: Request) -> Response:
    raise RuntimeError("boom")


async def test_the_apps_lifespan_runs_inside_and_the_access_log_is_flushed_after_it() -> None:
    events: list[str] = []

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        events.append("started")
        yield
        events.append("stopped")

    app = service_app(
        service="svc",
        settings=ServiceSettings(),
        lifespan=lifespan,
        routes=[path_route("/", {"GET": hello})],
    )
    stream = io.BytesIO()
    app.state.access_log.stream = stream
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://svc"
        ) as client:
            assert (await client.get("/")).text == "hello"
        assert events == ["started"]

    assert events == ["started", "stopped"]
    (line,) = stream.getvalue().splitlines()
    assert orjson.loads(line)["logger"] == "svc.access"
    assert isinstance(app.state.settings, ServiceSettings)


def test_access_log_off_means_none() -> None:
    app = service_app(service="svc", settings=ServiceSettings(access_log=False), routes=[])

    assert app.state.access_log is None


@pytest.mark.parametrize(
    ("handler", "render_error", "not_allowed", "crashed"),
    [
        (
            http_error,
            None,
            {"error": "method_not_allowed", "detail": "Method Not Allowed"},
            "internal_error",
        ),
        (
            http_error_message,
            message_internal_error,
            {"error": "Method Not Allowed"},
            "internal error",
        ),
    ],
)
async def test_starlettes_errors_in_either_json_shape(
    handler: object, render_error: object, not_allowed: dict[str, str], crashed: str
) -> None:
    app = service_app(
        service="svc",
        settings=ServiceSettings(access_log=False),
        routes=[path_route("/", {"GET": hello}), path_route("/crash", {"GET": crash})],
        exception_handlers={HTTPException: handler},
        **({"render_error": render_error} if render_error else {}),  # type: ignore[arg-type]
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://svc"
    ) as client:
        posted, crash_response = await client.post("/"), await client.get("/crash")

    assert (posted.status_code, posted.json()) == (405, not_allowed)
    assert set(posted.headers["allow"].split(", ")) == {"GET", "HEAD"}  # a set: any order
    assert (crash_response.status_code, crash_response.json()["error"]) == (500, crashed)
