"""The access log records every request, with the service's name."""

from __future__ import annotations

import io

import orjson
import pytest
from magic8ball.app import create_app

from .conftest import fast_settings, running

pytestmark = pytest.mark.anyio


async def test_each_request_gets_one_access_line(redis_url: str) -> None:
    app = create_app(fast_settings(redis_url, access_log=True))
    stream = io.BytesIO()
    app.state.access_log.stream = stream
    async with running(app) as client:
        await client.get("/?q=x", headers={"X-Request-Id": "a-1"})
        await client.get("/")
    # leaving the lifespan flushed the batch

    entries = [orjson.loads(line) for line in stream.getvalue().splitlines()]
    assert [(e["request_id"], e["status"]) for e in entries][0] == ("a-1", 200)
    assert [e["status"] for e in entries] == [200, 400]
    assert {e["service"] for e in entries} == {"magic8ball"}
