"""Request ids, access log lines and JSON 500s, on a minimal app wrapped by the middleware."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from three_tier_runtime import RequestContextMiddleware, current_request_id

if TYPE_CHECKING:
    from starlette.requests import Request

pytestmark = pytest.mark.anyio


async def whoami(_request: Request) -> PlainTextResponse:
    return PlainTextResponse(current_request_id() or "")


async def crash(_request: Request) -> PlainTextResponse:
    raise RuntimeError("boom")


def client(access_log: bool = True) -> httpx.AsyncClient:
    app = Starlette(routes=[Route("/whoami", whoami), Route("/crash", crash)], middleware=[
        Middleware(RequestContextMiddleware, access_log=access_log)])
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def test_a_callers_request_id_is_used_and_echoed() -> None:
    async with client() as http:
        response = await http.get("/whoami", headers={"X-Request-Id": "abc-1.2:3"})

    assert response.text == "abc-1.2:3"
    assert response.headers["x-request-id"] == "abc-1.2:3"


@pytest.mark.parametrize("header", [None, "has space", "x" * 129, "new\u00e9line"])
async def test_a_missing_or_unsafe_request_id_is_replaced(header: str | None) -> None:
    headers = {"X-Request-Id": header.encode("utf-8")} if header else {}
    async with client() as http:
        response = await http.get("/whoami", headers=headers)

    assert len(response.text) == 32 and int(response.text, 16) >= 0
    assert response.headers["x-request-id"] == response.text


async def test_each_request_gets_its_own_id() -> None:
    async with client() as http:
        ids = {(await http.get("/whoami")).text for _ in range(3)}

    assert len(ids) == 3


async def test_one_access_line_per_request(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="three_tier.access")
    async with client() as http:
        await http.get("/whoami", headers={"X-Request-Id": "r1"})

    (record,) = [r for r in caplog.records if r.name == "three_tier.access"]
    assert (record.method, record.path, record.status) == ("GET", "/whoami", 200)  # type: ignore[attr-defined]
    assert record.duration_ms >= 0  # type: ignore[attr-defined]


async def test_access_log_can_be_turned_off(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="three_tier.access")
    async with client(access_log=False) as http:
        await http.get("/whoami")

    assert not [r for r in caplog.records if r.name == "three_tier.access"]


async def test_a_crash_is_a_json_500_with_the_request_id_and_is_logged(
        caplog: pytest.LogCaptureFixture) -> None:
    async with client() as http:
        response = await http.get("/crash", headers={"X-Request-Id": "r500"})

    assert response.status_code == 500
    assert response.json() == {"error": "internal_error",
                               "detail": "the server failed; retry later", "request_id": "r500"}
    assert response.headers["x-request-id"] == "r500"
    assert "boom" not in response.text
    assert any(r.exc_info and "GET /crash" in r.getMessage() for r in caplog.records)
