"""SharedReads: one read per key at a time, and never an answer older than the request."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import boto3
import httpx
import pytest
from shop_cart import CartSettings, create_app
from shop_cart.cart import Cart, LineItem
from shop_cart.shared_reads import SharedReads
from shop_cart.store import CartStore
from starlette.concurrency import run_in_threadpool

from shipway.testing import recorded_calls

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable

    from shipway.emulators import MotoServer

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


def cart(cart_id: str, version: int) -> Cart:
    return Cart(cart_id, version, 1_700_000_000, 1_700_000_000, 4_000_000_000,
                {"tea": LineItem(version, 100)})


async def test_over_dynamodb_a_write_between_two_gets_is_seen_by_the_second(
        aws_env: MotoServer, carts_table: str, dynamodb: Any,
        gated_moto: Callable[..., Any]) -> None:
    """The first GetItem has been answered by moto but its answer is held when another replica
    writes; a GET arriving after that write must not be given the held, older answer."""
    writer = CartStore(carts_table, dynamodb)
    writer.create(cart("c1", 1))
    proxy = gated_moto("GetItem", hold_answer=True)
    reader = CartStore(carts_table, boto3.client("dynamodb", endpoint_url=proxy.endpoint_url))
    reads: SharedReads[str, Cart | None] = SharedReads(
        lambda cart_id: run_in_threadpool(reader.load, cart_id))

    early = asyncio.create_task(reads.get("c1"))
    await run_in_threadpool(proxy.arrived.wait, 10)
    writer.replace(cart("c1", 2), expected_version=1)
    late = asyncio.create_task(reads.get("c1"))
    await one_loop_pass()
    proxy.release.set()

    early_cart, late_cart = await early, await late
    assert early_cart is not None and late_cart is not None
    assert (early_cart.version, late_cart.version) == (1, 2)


@pytest.fixture
async def api_with_counted_reads(
        carts_table: str) -> AsyncIterator[tuple[httpx.AsyncClient, list[Any]]]:
    """The app in-process, and the GetItem calls its DynamoDB client makes."""
    client = boto3.client("dynamodb")
    get_items = recorded_calls(client, "GetItem")
    app = create_app(CartSettings(table_carts=carts_table), dynamodb=client)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://cart.internal") as http:
        yield http, get_items


async def test_concurrent_gets_of_one_cart_share_dynamodb_reads(
        api_with_counted_reads: tuple[httpx.AsyncClient, list[Any]]) -> None:
    api, get_items = api_with_counted_reads
    created = await api.post("/carts")
    get_items.clear()
    cart_url = created.headers["location"]

    answers = await asyncio.gather(*(api.get(cart_url) for _ in range(40)))

    assert {answer.status_code for answer in answers} == {200}
    assert {answer.headers["etag"] for answer in answers} == {created.headers["etag"]}
    assert 1 <= len(get_items) <= 20  # one read per wave of arrivals, not one per request
