"""One route per path (405 and Allow name every method) and bodies read with a limit."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest
from service_runtime import BodyTooLargeError, error_response, path_route, read_body
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse, Response

if TYPE_CHECKING:
    from starlette.requests import Request

pytestmark = pytest.mark.anyio


async def read(_request: Request) -> Response:
    """Read it."""
    return PlainTextResponse("read")


async def replace(request: Request) -> Response:
    """Replace it."""
    return PlainTextResponse(f"{len(await read_body(request, 8))} bytes")


async def too_large(_request: Request, exc: Exception) -> Response:
    return error_response(413, str(exc))


async def http_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(exc.status_code, exc.detail, headers=exc.headers)


def client() -> httpx.AsyncClient:
    app = Starlette(
        routes=[path_route("/things/{key}", {"GET": read, "PUT": replace})],
        exception_handlers={BodyTooLargeError: too_large, HTTPException: http_error},
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def test_each_method_reaches_its_endpoint_and_head_goes_with_get() -> None:
    async with client() as http:
        got, head, put = (
            await http.get("/things/a"),
            await http.head("/things/a"),
            await http.put("/things/a", content=b"1234"),
        )

    assert (got.text, head.status_code, put.text) == ("read", 200, "4 bytes")


@pytest.mark.parametrize("method", ["DELETE", "PATCH", "OPTIONS", "POST"])
async def test_another_method_is_405_and_allow_lists_every_method_of_the_path(method: str) -> None:
    async with client() as http:
        response = await http.request(method, "/things/a")

    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "PUT"}


async def test_a_body_over_the_limit_is_413_whether_declared_or_streamed() -> None:
    async def chunks():  # type: ignore[no-untyped-def]  # no Content-Length: streamed
        yield b"12345"
        yield b"67890"

    async with client() as http:
        declared = await http.put("/things/a", content=b"x" * 9)
        streamed = await http.put("/things/a", content=chunks())

    assert (declared.status_code, streamed.status_code) == (413, 413)
    assert declared.json() == {"error": "the body must be at most 8 bytes"}
