"""GET /items/{key}: concurrent reads of one item share DynamoDB reads and are never stale."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from service_runtime.dynamodb_reads import DynamoReads
from starlette.concurrency import run_in_threadpool
from three_tier_api import ApiSettings, create_app

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Mapping

    from starlette.applications import Starlette

pytestmark = pytest.mark.anyio


class CountedReads(DynamoReads):
    """The api's reads, remembering the key of each GetItem they make."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.keys: list[Mapping[str, Any]] = []

    async def get_item(self, table: str, key: Mapping[str, Any]) -> dict[str, Any] | None:
        self.keys.append(key)
        return await super().get_item(table, key)


async def until_waiting(app: Starlette, key: str, count: int) -> None:
    """Let the event loop run until count requests wait for the read after key's current one."""
    async with asyncio.timeout(10):
        while app.state.item_reads.waiting(key) < count:
            await asyncio.sleep(0)  # a yield to the in-process requests, not a delay


@pytest.fixture
async def counted_api(items_table: str) -> AsyncIterator[tuple[httpx.AsyncClient, list[Any]]]:
    """The api in-process, and the GetItem calls its reads make."""
    reads = CountedReads.from_environment()
    app = create_app(ApiSettings(table_items=items_table), reads=reads)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://api.internal"
    ) as http:
        yield http, reads.keys
    await reads.close()


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
    reads = DynamoReads(region="us-east-1", endpoint_url=proxy.endpoint_url)
    app = create_app(ApiSettings(table_items=items_table), reads=reads)
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
    await reads.close()
