"""SharedReads: one read per key at a time, and never an answer older than the request."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from service_runtime import SharedReads
from service_runtime.dynamodb_reads import DynamoReads
from shop_cart import CartSettings, create_app
from shop_cart.cart import Cart, LineItem
from shop_cart.store import CartStore
from starlette.concurrency import run_in_threadpool

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Mapping

    from shipway.emulators import MotoServer

pytestmark = pytest.mark.anyio


async def one_loop_pass() -> None:
    """Let tasks created before this run up to their first real await (FIFO scheduling)."""
    await asyncio.sleep(0)


class CountedReads(DynamoReads):
    """The app's reads, remembering the key of each GetItem they make."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.keys: list[Mapping[str, Any]] = []

    async def get_item(self, table: str, key: Mapping[str, Any]) -> dict[str, Any] | None:
        self.keys.append(key)
        return await super().get_item(table, key)


def cart(cart_id: str, version: int) -> Cart:
    return Cart(
        cart_id,
        version,
        1_700_000_000,
        1_700_000_000,
        4_000_000_000,
        {"tea": LineItem(version, 100)},
    )


async def test_over_dynamodb_a_write_between_two_gets_is_seen_by_the_second(
    aws_env: MotoServer, carts_table: str, dynamodb: Any, gated_moto: Callable[..., Any]
) -> None:
    """The first GetItem has been answered by moto but its answer is held when another replica
    writes; a GET arriving after that write must not be given the held, older answer."""
    writer = CartStore(carts_table, dynamodb)
    writer.create(cart("c1", 1))
    proxy = gated_moto("GetItem", hold_answer=True)
    through_proxy = DynamoReads(region="us-east-1", endpoint_url=proxy.endpoint_url)
    reader = CartStore(carts_table, dynamodb, through_proxy)
    reads: SharedReads[str, Cart | None] = SharedReads(reader.read)

    early = asyncio.create_task(reads.get("c1"))
    await run_in_threadpool(proxy.arrived.wait, 10)
    writer.replace(cart("c1", 2), expected_version=1)
    late = asyncio.create_task(reads.get("c1"))
    await one_loop_pass()
    proxy.release.set()

    early_cart, late_cart = await early, await late
    await through_proxy.close()
    assert early_cart is not None and late_cart is not None
    assert (early_cart.version, late_cart.version) == (1, 2)


@pytest.fixture
async def api_with_counted_reads(
    carts_table: str,
) -> AsyncIterator[tuple[httpx.AsyncClient, list[Any]]]:
    """The app in-process, and the GetItem calls its DynamoDB client makes."""
    reads = CountedReads.from_environment()
    app = create_app(CartSettings(table_carts=carts_table), reads=reads)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://cart.internal"
    ) as http:
        yield http, reads.keys
    await reads.close()


async def test_concurrent_gets_of_one_cart_share_dynamodb_reads(
    api_with_counted_reads: tuple[httpx.AsyncClient, list[Any]],
) -> None:
    api, get_items = api_with_counted_reads
    created = await api.post("/carts")
    get_items.clear()
    cart_url = created.headers["location"]

    answers = await asyncio.gather(*(api.get(cart_url) for _ in range(40)))

    assert {answer.status_code for answer in answers} == {200}
    assert {answer.headers["etag"] for answer in answers} == {created.headers["etag"]}
    assert 1 <= len(get_items) <= 20  # one read per wave of arrivals, not one per request
