"""The batched access log: held until full, flushed by the lifespan periodically and at its end."""

from __future__ import annotations

import io

import anyio
import orjson
import pytest
from service_runtime import AccessLog, flushing

pytestmark = pytest.mark.anyio


def lines_of(stream: io.BytesIO) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in stream.getvalue().splitlines()]


def record(log: AccessLog, request_id: str, status: int = 200) -> None:
    log.record(request_id=request_id, method="GET", path="/x", status=status, duration_ms=0.2)


def test_lines_are_held_until_the_batch_is_full() -> None:
    stream = io.BytesIO()
    log = AccessLog(service="profile", logger="access", stream=stream, max_lines=3)

    record(log, "r0")
    record(log, "r1")
    assert stream.getvalue() == b""
    record(log, "r2", status=404)

    entries = lines_of(stream)
    assert [entry["request_id"] for entry in entries] == ["r0", "r1", "r2"]
    assert entries[2] | {"timestamp": None} == {
        "timestamp": None,
        "level": "INFO",
        "logger": "access",
        "message": "request",
        "service": "profile",
        "request_id": "r2",
        "method": "GET",
        "path": "/x",
        "status": 404,
        "duration_ms": 0.2,
    }


async def test_flushing_writes_periodically_and_what_is_left_when_the_lifespan_ends() -> None:
    stream = io.BytesIO()
    log = AccessLog(service="s", stream=stream, flush_interval=0.01)
    async with flushing(log):
        record(log, "a")
        with anyio.fail_after(5):
            while not stream.getvalue():  # the flusher's own period, not a guess
                await anyio.sleep(0.005)
        record(log, "b")
        assert [entry["request_id"] for entry in lines_of(stream)] == ["a"]

    assert [entry["request_id"] for entry in lines_of(stream)] == ["a", "b"]


async def test_a_lifespan_that_ends_at_once_still_writes_its_lines() -> None:
    stream = io.BytesIO()
    log = AccessLog(service="s", stream=stream)
    async with flushing(log):
        record(log, "only")

    assert [entry["request_id"] for entry in lines_of(stream)] == ["only"]


async def test_flushing_nothing_is_a_no_op() -> None:
    async with flushing(None):
        pass
