"""GET /items/{key}: concurrent reads of one item share DynamoDB reads and are never stale."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import boto3
import httpx
import pytest
from starlette.concurrency import run_in_threadpool
from three_tier_api import ApiSettings, create_app

from shipway.testing import recorded_calls

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable

    from starlette.applications import Starlette

pytestmark = pytest.mark.anyio


async def until_waiting(app: Starlette, key: str, count: int) -> None:
    """Let the event loop run until count requests wait for the read after key's current one."""
    async with asyncio.timeout(10):
        while app.state.item_reads.waiting(key) < count:
            await asyncio.sleep(0)  # a yield to the in-process requests, not a delay


@pytest.fixture
async def counted_api(items_table: str) -> AsyncIterator[tuple[httpx.AsyncClient, list[Any]]]:
    """The api in-process, and the GetItem calls its DynamoDB client makes."""
    client = boto3.client("dynamodb")
    get_items = recorded_calls(client, "GetItem")
    app = create_app(ApiSettings(table_items=items_table), dynamodb=client)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://api.internal"
    ) as http:
        yield http, get_items


async def test_concurrent_gets_of_one_item_share_dynamodb_reads(
    counted_api: tuple[httpx.AsyncClient, list[Any]],
) -> None:
    api, get_items = counted_api
    await api.put("/items/popular", json={"value": "v"})

    answers = await asyncio.gather(*(api.get("/items/popular") for _ in range(40)))

    assert [answer.json() for answer in answers] == [{"key": "popular", "value": "v"}] * 40
    assert 1 <= len(get_items) <= 20  # one read per wave of arrivals, not one per request


async def test_a_get_after_a_put_sees_it_though_an_older_read_is_in_flight(
    items_table: str, gated_moto: Callable[..., Any]
) -> None:
    """The first GET's GetItem is answered by moto, but its answer is held while the item is
    replaced; the GET sent after the PUT returned must not be given that older answer."""
    proxy = gated_moto("GetItem", hold_answer=True)
    app = create_app(
        ApiSettings(table_items=items_table),
        dynamodb=boto3.client("dynamodb", endpoint_url=proxy.endpoint_url),
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://api.internal"
    ) as api:
        await api.put("/items/k", json={"value": "old"})
        early = asyncio.create_task(api.get("/items/k"))
        await run_in_threadpool(proxy.arrived.wait, 10)

        assert (await api.put("/items/k", json={"value": "new"})).status_code == 200
        late = asyncio.create_task(api.get("/items/k"))
        await until_waiting(app, "k", 1)
        proxy.release.set()

        assert (await early).json()["value"] == "old"
        assert (await late).json()["value"] == "new"
