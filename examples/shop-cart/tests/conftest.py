"""Fixtures for the shop-cart tests: a carts table, the app in-process, the service as a process."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import httpx
import pytest
from service_runtime.dynamodb_reads import DynamoReads
from shop_cart import CartSettings, create_app

from shipway.emulators import MotoServer, free_port
from shipway.testing import ServiceProcess

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterator

EXAMPLE_DIR = Path(__file__).resolve().parents[1]
TTL_SECONDS = 3600


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def dynamodb(aws_env: MotoServer) -> Any:
    return boto3.client("dynamodb")


@pytest.fixture
def carts_table(dynamodb: Any) -> Iterator[str]:
    """A new carts table (partition key ``id``, TTL on ``expires_at``) in the moto server."""
    name = f"carts-{uuid.uuid4().hex[:12]}"
    dynamodb.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    )
    dynamodb.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"}
    )
    yield name
    dynamodb.delete_table(TableName=name)


class Clock:
    """A settable clock standing in for time.time."""

    def __init__(self) -> None:
        self.now = float(int(time.time()))

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ttl_seconds() -> int:
    """The cart TTL the in-process app is configured with."""
    return TTL_SECONDS


@pytest.fixture
async def dynamo_reads(aws_env: MotoServer) -> AsyncIterator[DynamoReads]:
    """The app's event-loop reads of the moto server, closed after the test."""
    reads = DynamoReads.from_environment()
    yield reads
    await reads.close()


@pytest.fixture
def cart_app(carts_table: str, clock: Clock, dynamo_reads: DynamoReads) -> Any:
    return create_app(
        CartSettings(table_carts=carts_table, cart_ttl_seconds=TTL_SECONDS),
        clock=clock,
        reads=dynamo_reads,
    )


@pytest.fixture
async def api(cart_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client reaching the cart app in-process."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=cart_app), base_url="http://cart.internal"
    ) as client:
        yield client


@pytest.fixture
def stored(dynamodb: Any, carts_table: str) -> Callable[[str], dict[str, Any] | None]:
    """Read a cart's raw DynamoDB item, bypassing the app."""

    def read(cart_id: str) -> dict[str, Any] | None:
        item: dict[str, Any] | None = dynamodb.get_item(
            TableName=carts_table, Key={"id": {"S": cart_id}}, ConsistentRead=True
        ).get("Item")
        return item

    return read


@pytest.fixture
def start_cart_service(moto_server: MotoServer) -> Iterator[Callable[..., ServiceProcess]]:
    """Start ``python -m shop_cart`` with the moto environment plus extra variables."""
    processes: list[ServiceProcess] = []

    def start(**env: str) -> ServiceProcess:
        environment = {**moto_server.client_environment(), "PORT": str(free_port()), **env}
        processes.append(ServiceProcess("shop_cart", cwd=EXAMPLE_DIR, env=environment))
        return processes[-1]

    yield start
    for service in processes:
        service.kill()
