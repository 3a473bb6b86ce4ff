"""SharedReads: one read per key at a time, and never an answer older than the request."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import boto3
import httpx
import pytest
from service_runtime import SharedReads
from shop_cart import CartSettings, create_app
from shop_cart.cart import Cart, LineItem
from shop_cart.store import CartStore
from starlette.concurrency import run_in_threadpool

from shipway.testing import recorded_calls

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable

    from shipway.emulators import MotoServer

pytestmark = pytest.mark.anyio


async def one_loop_pass() -> None:
    """Let tasks created before this run up to their first real await (FIFO scheduling)."""
    await asyncio.sleep(0)


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
    reader = CartStore(carts_table, boto3.client("dynamodb", endpoint_url=proxy.endpoint_url))
    reads: SharedReads[str, Cart | None] = SharedReads(
        lambda cart_id: run_in_threadpool(reader.load, cart_id)
    )

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
    carts_table: str,
) -> AsyncIterator[tuple[httpx.AsyncClient, list[Any]]]:
    """The app in-process, and the GetItem calls its DynamoDB client makes."""
    client = boto3.client("dynamodb")
    get_items = recorded_calls(client, "GetItem")
    app = create_app(CartSettings(table_carts=carts_table), dynamodb=client)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://cart.internal"
    ) as http:
        yield http, get_items


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
