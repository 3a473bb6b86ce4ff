"""Request ids, access log lines and JSON 500s, on a minimal app wrapped by the middleware."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from typing import TYPE_CHECKING

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from three_tier_runtime import RequestContextMiddleware, current_request_id
from three_tier_runtime.request_context import access_log

if TYPE_CHECKING:
    from collections.abc import Iterator

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


@pytest.fixture
def access_lines(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.BytesIO]:
    """Send the batched access log to a buffer, with info lines enabled."""
    stream = io.BytesIO()
    monkeypatch.setattr(access_log, "stream", stream)
    monkeypatch.setattr(access_log, "_lines", [])
    access_logger = logging.getLogger("three_tier.access")
    level = access_logger.level
    access_logger.setLevel(logging.INFO)
    yield stream
    access_logger.setLevel(level)


def lines_of(stream: io.BytesIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


async def test_one_access_line_per_request(access_lines: io.BytesIO) -> None:
    async with client() as http:
        await http.get("/whoami", headers={"X-Request-Id": "r1"})
    access_log.flush()

    (entry,) = lines_of(access_lines)
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/whoami", 200)
    assert entry["request_id"] == "r1" and entry["logger"] == "three_tier.access"
    assert entry["level"] == "INFO" and str(entry["timestamp"]).endswith("+00:00")
    assert float(entry["duration_ms"]) >= 0  # type: ignore[arg-type]


async def test_access_lines_are_batched_and_flushed_at_shutdown(
        access_lines: io.BytesIO) -> None:
    app = Starlette(routes=[Route("/whoami", whoami)], middleware=[
        Middleware(RequestContextMiddleware)])
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    started, stopping = asyncio.Event(), asyncio.Event()

    async def receive() -> dict[str, str]:
        message = next(messages)
        if message["type"] == "lifespan.shutdown":
            await stopping.wait()
        return message

    async def send(message: dict[str, str]) -> None:
        if message["type"] == "lifespan.startup.complete":
            started.set()

    lifespan = asyncio.ensure_future(app({"type": "lifespan", "asgi": {"version": "3.0"}},
                                         receive, send))
    await started.wait()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://t") as http:
        for _ in range(3):
            await http.get("/whoami")
    assert access_lines.getvalue() == b""  # still buffered

    stopping.set()
    await lifespan  # the server's shutdown writes what is left

    assert len(lines_of(access_lines)) == 3


async def test_access_lines_are_written_when_the_batch_is_full(
        access_lines: io.BytesIO, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(access_log, "max_lines", 2)
    async with client() as http:
        for _ in range(3):
            await http.get("/whoami")

    assert len(lines_of(access_lines)) == 2


async def test_access_lines_are_written_after_the_flush_interval(
        access_lines: io.BytesIO, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(access_log, "flush_interval", 0.05)
    async with client() as http:
        await http.get("/whoami")
    await asyncio.sleep(0.1)

    assert len(lines_of(access_lines)) == 1


async def test_access_log_can_be_turned_off(access_lines: io.BytesIO) -> None:
    async with client(access_log=False) as http:
        await http.get("/whoami")
    access_log.flush()

    assert access_lines.getvalue() == b""


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
