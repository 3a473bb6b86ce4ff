"""Every request writes one access line with its id and status, unless ACCESS_LOG is off."""

from __future__ import annotations

import io

import httpx
import orjson
import pytest
from profile_api.app import create_app
from profile_api.settings import Settings

pytestmark = pytest.mark.anyio


def lines_of(stream: io.BytesIO) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in stream.getvalue().splitlines()]


async def test_every_request_is_logged_with_its_id_and_status() -> None:
    app = create_app(Settings(access_log=True))
    stream = io.BytesIO()
    app.state.access_log.stream = stream
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://profile"
    ) as client:
        ok = await client.get("/", headers={"X-Request-Id": "given-id"})
        missing = await client.get("/missing")
    app.state.access_log.flush()

    entries = lines_of(stream)
    assert [(e["path"], e["status"], e["request_id"]) for e in entries] == [
        ("/", 200, "given-id"),
        ("/missing", 404, missing.headers["x-request-id"]),
    ]
    assert ok.headers["x-request-id"] == "given-id"
    assert all(isinstance(e["duration_ms"], float) for e in entries)


async def test_access_log_can_be_switched_off() -> None:
    app = create_app(Settings(access_log=False))

    assert app.state.access_log is None
