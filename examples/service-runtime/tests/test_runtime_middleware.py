"""Request ids, security headers, access lines and JSON 500s on a minimal app."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

import httpx
import orjson
import pytest
from service_runtime import (
    HTML_PAGE_POLICY,
    SECURITY_HEADERS,
    AccessLog,
    RequestContextMiddleware,
    current_request_id,
)
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route

if TYPE_CHECKING:
    from starlette.requests import Request

pytestmark = pytest.mark.anyio


async def whoami(_request: Request) -> PlainTextResponse:
    return PlainTextResponse(current_request_id() or "")


async def page(_request: Request) -> HTMLResponse:
    return HTMLResponse("<p>hi</p>", headers={"Content-Security-Policy": HTML_PAGE_POLICY})


async def crash(_request: Request) -> PlainTextResponse:
    raise RuntimeError("boom")


def client(access_log: AccessLog | None = None) -> httpx.AsyncClient:
    app = Starlette(
        routes=[Route("/whoami", whoami), Route("/page", page), Route("/crash", crash)],
        middleware=[Middleware(RequestContextMiddleware, access_log=access_log)],
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def test_a_callers_request_id_is_used_and_echoed() -> None:
    async with client() as http:
        response = await http.get("/whoami", headers={"X-Request-Id": "abc-1.2:3"})

    assert response.text == "abc-1.2:3"
    assert response.headers["x-request-id"] == "abc-1.2:3"


@pytest.mark.parametrize("header", [None, "has space", "x" * 129, "new\u00e9line", "a\tb"])
async def test_a_missing_or_unsafe_request_id_is_replaced(header: str | None) -> None:
    headers = {"X-Request-Id": header.encode("utf-8")} if header else {}
    async with client() as http:
        response = await http.get("/whoami", headers=headers)

    assert re.fullmatch(r"[0-9a-f]{32}", response.text)
    assert response.headers["x-request-id"] == response.text


async def test_each_request_gets_its_own_id() -> None:
    async with client() as http:
        ids = {(await http.get("/whoami")).text for _ in range(3)}

    assert len(ids) == 3


@pytest.mark.parametrize("path", ["/whoami", "/missing", "/crash"])
async def test_every_answer_carries_the_security_headers(path: str) -> None:
    async with client() as http:
        response = await http.get(path)

    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get_list(name) == [value]


async def test_a_page_keeps_its_own_content_security_policy() -> None:
    async with client() as http:
        response = await http.get("/page")

    assert response.headers.get_list("content-security-policy") == [HTML_PAGE_POLICY]
    assert response.headers["x-frame-options"] == "DENY"


async def test_one_access_line_per_request_with_its_id_status_and_duration() -> None:
    stream = io.BytesIO()
    log = AccessLog(service="svc", logger="svc.access", stream=stream)
    async with client(log) as http:
        await http.get("/whoami", headers={"X-Request-Id": "r1"})
        missing = await http.get("/missing")
    log.flush()

    first, second = (orjson.loads(line) for line in stream.getvalue().splitlines())
    assert (first["method"], first["path"], first["status"], first["request_id"]) == (
        "GET",
        "/whoami",
        200,
        "r1",
    )
    assert (second["status"], second["request_id"]) == (404, missing.headers["x-request-id"])
    assert isinstance(first["duration_ms"], float)


async def test_a_crash_is_a_json_500_with_the_request_id_and_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    stream = io.BytesIO()
    log = AccessLog(service="svc", stream=stream)
    async with client(log) as http:
        response = await http.get("/crash", headers={"X-Request-Id": "r500"})
    log.flush()

    assert response.status_code == 500
    assert response.json() == {
        "error": "internal_error",
        "detail": "the server failed; retry later",
        "request_id": "r500",
    }
    assert response.headers["x-request-id"] == "r500"
    assert "boom" not in response.text
    assert any(r.exc_info and "GET /crash" in r.getMessage() for r in caplog.records)
    assert orjson.loads(stream.getvalue())["status"] == 500
