"""SharedReads: a get joins only a read that starts after it arrived; nothing is kept."""

from __future__ import annotations

import asyncio

import pytest
from service_runtime import SharedReads

pytestmark = pytest.mark.anyio


class ScriptedTable:
    """A table whose reads see it as it was when they started and end when the test says."""

    def __init__(self) -> None:
        self.values: dict[str, object] = {}
        self.reads: list[tuple[str, asyncio.Event]] = []
        self._read_started = asyncio.Condition()

    async def read(self, key: str) -> object:
        value = self.values.get(key)  # the read's snapshot
        done = asyncio.Event()
        async with self._read_started:
            self.reads.append((key, done))
            self._read_started.notify_all()
        await done.wait()
        if isinstance(value, Exception):
            raise value
        return value

    async def started(self, count: int) -> None:
        """Wait until count reads have started in all."""
        async with self._read_started:
            await self._read_started.wait_for(lambda: len(self.reads) >= count)

    def finish(self, index: int) -> None:
        self.reads[index][1].set()


async def one_loop_pass() -> None:
    """Let tasks created before this run up to their first real await (FIFO scheduling)."""
    await asyncio.sleep(0)


async def test_a_lone_get_reads_once_and_keeps_nothing() -> None:
    table = ScriptedTable()
    table.values["a"] = 1
    reads = SharedReads(table.read)

    get = asyncio.create_task(reads.get("a"))
    await table.started(1)
    assert reads.busy_keys == 1
    table.finish(0)

    assert await get == 1
    assert len(table.reads) == 1
    assert reads.busy_keys == 0


async def test_gets_arriving_during_a_read_share_the_next_read() -> None:
    table = ScriptedTable()
    table.values["a"] = "first"
    reads = SharedReads(table.read)
    first = asyncio.create_task(reads.get("a"))
    await table.started(1)

    later = [asyncio.create_task(reads.get("a")) for _ in range(5)]
    await one_loop_pass()
    assert reads.waiting("a") == 5
    table.values["a"] = "second"
    assert len(table.reads) == 1  # the five wait; they do not start reads of their own
    table.finish(0)
    await table.started(2)
    table.finish(1)

    assert await first == "first"
    assert await asyncio.gather(*later) == ["second"] * 5
    assert len(table.reads) == 2
    assert reads.busy_keys == 0


async def test_a_get_never_gets_a_read_that_started_before_it_arrived() -> None:
    table = ScriptedTable()
    table.values["a"] = "old"
    reads = SharedReads(table.read)
    early = asyncio.create_task(reads.get("a"))
    await table.started(1)  # this read has seen "old"

    table.values["a"] = "new"  # a write acknowledged before the next get arrives
    late = asyncio.create_task(reads.get("a"))
    await one_loop_pass()
    assert reads.waiting("a") == 1
    table.finish(0)
    await table.started(2)
    table.finish(1)

    assert (await early, await late) == ("old", "new")


async def test_an_error_reaches_that_reads_waiters_only() -> None:
    table = ScriptedTable()
    table.values["a"] = RuntimeError("throttled")
    reads = SharedReads(table.read)
    failing = asyncio.create_task(reads.get("a"))
    await table.started(1)
    table.values["a"] = "recovered"
    following = asyncio.create_task(reads.get("a"))
    await one_loop_pass()

    table.finish(0)
    with pytest.raises(RuntimeError, match="throttled"):
        await failing
    await table.started(2)
    table.finish(1)
    assert await following == "recovered"


async def test_a_caller_going_away_does_not_cancel_the_read_others_wait_for() -> None:
    table = ScriptedTable()
    table.values["a"] = "value"
    reads = SharedReads(table.read)
    first = asyncio.create_task(reads.get("a"))
    await table.started(1)
    leaving, staying = (asyncio.create_task(reads.get("a")) for _ in range(2))
    await one_loop_pass()

    leaving.cancel()
    table.finish(0)
    await table.started(2)
    table.finish(1)

    assert (await first, await staying) == ("value", "value")
    assert leaving.cancelled()
    assert reads.busy_keys == 0


async def test_different_keys_are_read_at_the_same_time() -> None:
    table = ScriptedTable()
    table.values.update(a="A", b="B")
    reads = SharedReads(table.read)

    gets = [asyncio.create_task(reads.get(key)) for key in ("a", "b")]
    await table.started(2)  # b's read did not wait for a's
    assert reads.busy_keys == 2
    table.finish(1)
    table.finish(0)

    assert await asyncio.gather(*gets) == ["A", "B"]
