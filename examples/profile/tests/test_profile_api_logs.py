"""JSON logs: the formatter, the batched access log and the request id that ties them together."""

from __future__ import annotations

import io
import logging
import re
import sys
from datetime import datetime, timedelta

import anyio
import httpx
import orjson
import pytest
from profile_api.access_log import AccessLog
from profile_api.app import create_app
from profile_api.logs import REQUEST_ID, JsonFormatter
from profile_api.settings import Settings

pytestmark = pytest.mark.anyio


def lines_of(stream: io.BytesIO) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in stream.getvalue().splitlines()]


def record(message: str, **extra: object) -> logging.LogRecord:
    return logging.makeLogRecord({"name": "profile_api.test", "levelname": "WARNING",
                                  "levelno": logging.WARNING, "msg": message, **extra})


def test_formatter_writes_one_json_object_with_the_request_id() -> None:
    token = REQUEST_ID.set("req-1")
    try:
        line = JsonFormatter().format(record("disk %s", args=("full",), table="users"))
    finally:
        REQUEST_ID.reset(token)

    entry = orjson.loads(line)
    assert "\n" not in line
    assert entry["message"] == "disk full"
    assert entry["level"] == "WARNING"
    assert entry["request_id"] == "req-1"
    assert entry["table"] == "users"
    assert entry["service"] == "profile"
    assert entry["timestamp"].endswith("+00:00")


def test_formatter_includes_the_traceback_of_an_exception() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        entry = orjson.loads(JsonFormatter().format(record("failed", exc_info=sys.exc_info())))

    assert "ValueError: boom" in entry["exception"]
    assert "request_id" not in entry


def test_access_log_holds_lines_until_the_batch_is_full() -> None:
    stream = io.BytesIO()
    log = AccessLog(service="profile", logger="access", stream=stream, max_lines=3)

    for number in range(2):
        log.record(request_id=f"r{number}", method="GET", path="/", status=200, duration_ms=0.1)
    assert stream.getvalue() == b""
    log.record(request_id="r2", method="GET", path="/x", status=404, duration_ms=0.2)

    entries = lines_of(stream)
    assert [entry["request_id"] for entry in entries] == ["r0", "r1", "r2"]
    assert entries[2] | {"timestamp": None} == {
        "timestamp": None, "level": "INFO", "logger": "access", "message": "request",
        "service": "profile", "request_id": "r2", "method": "GET", "path": "/x",
        "status": 404, "duration_ms": 0.2}


async def test_flusher_writes_pending_lines_periodically_and_when_cancelled() -> None:
    stream = io.BytesIO()
    log = AccessLog(service="profile", logger="access", stream=stream, flush_interval=0.01)
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(log.run_flusher)
        log.record(request_id="a", method="GET", path="/", status=200, duration_ms=1.0)
        with anyio.fail_after(5):
            while not stream.getvalue():
                await anyio.sleep(0.005)
        log.record(request_id="b", method="GET", path="/", status=200, duration_ms=1.0)
        tasks.cancel_scope.cancel()

    assert [entry["request_id"] for entry in lines_of(stream)] == ["a", "b"]


async def test_every_request_is_logged_with_its_id_and_status() -> None:
    app = create_app(Settings(access_log=True))
    stream = io.BytesIO()
    app.state.access_log.stream = stream
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://profile") as client:
        ok = await client.get("/", headers={"X-Request-Id": "given-id"})
        missing = await client.get("/missing")
    app.state.access_log.flush()

    entries = lines_of(stream)
    assert [(e["path"], e["status"], e["request_id"]) for e in entries] == [
        ("/", 200, "given-id"), ("/missing", 404, missing.headers["x-request-id"])]
    assert ok.headers["x-request-id"] == "given-id"
    assert all(isinstance(e["duration_ms"], float) for e in entries)


async def test_access_log_can_be_switched_off() -> None:
    app = create_app(Settings(access_log=False))

    assert app.state.access_log is None


def test_access_lines_and_log_records_share_one_timestamp_format() -> None:
    stream = io.BytesIO()
    log = AccessLog(service="profile", logger="access", stream=stream)
    log.record(request_id="r", method="GET", path="/", status=200, duration_ms=0.1)
    log.flush()
    formatted = orjson.loads(JsonFormatter().format(record("x")))["timestamp"]

    access = lines_of(stream)[0]["timestamp"]
    pattern = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00"
    assert re.fullmatch(pattern, access) and re.fullmatch(pattern, formatted)
    assert abs(datetime.fromisoformat(access) - datetime.fromisoformat(formatted)) < timedelta(
        seconds=5)
