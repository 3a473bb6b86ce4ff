"""JSON logs: the formatter carries the request id; the access log records every request."""

from __future__ import annotations

import io
import logging

import orjson
import pytest
from magic8ball.app import create_app
from magic8ball.logs import REQUEST_ID, JsonFormatter

from .conftest import fast_settings, running

pytestmark = pytest.mark.anyio


def test_formatter_writes_one_json_object_with_the_request_id() -> None:
    record = logging.makeLogRecord({"name": "magic8ball.x", "levelname": "WARNING",
                                    "msg": "redis %s", "args": ("down",), "failures": 3})
    token = REQUEST_ID.set("r-9")
    try:
        entry = orjson.loads(JsonFormatter().format(record))
    finally:
        REQUEST_ID.reset(token)

    assert entry | {"timestamp": None} == {
        "timestamp": None, "level": "WARNING", "logger": "magic8ball.x", "message": "redis down",
        "service": "magic8ball", "request_id": "r-9", "failures": 3}


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
