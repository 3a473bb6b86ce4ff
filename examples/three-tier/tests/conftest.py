"""Fixtures for the three-tier tests: a fresh items table, the two apps, real service processes."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from service_runtime.dynamodb_reads import DynamoReads
from three_tier_api import ApiSettings
from three_tier_api import create_app as create_api
from three_tier_web import WebSettings
from three_tier_web import create_app as create_web

from shipway.emulators import MotoServer, free_port
from shipway.testing import ServiceProcess

EXAMPLE_DIR = Path(__file__).resolve().parents[1]


@pytest.fixture
def dynamodb(aws_env: MotoServer) -> Any:
    return boto3.client("dynamodb")


@pytest.fixture
def items_table(dynamodb: Any) -> Iterator[str]:
    """A new, empty items table (partition key ``key``) in the shared moto server."""
    name = f"items-{uuid.uuid4().hex[:12]}"
    dynamodb.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "key", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "key", "AttributeType": "S"}],
    )
    yield name
    dynamodb.delete_table(TableName=name)


@pytest.fixture
def put_items(dynamodb: Any, items_table: str) -> Callable[[list[dict[str, Any]]], None]:
    """Write plain JSON items straight into the table, as the bucket loader would."""
    from three_tier_api.attributes import to_attributes

    def put(items: list[dict[str, Any]]) -> None:
        for item in items:
            dynamodb.put_item(TableName=items_table, Item=to_attributes(item))

    return put


@pytest.fixture
async def dynamo_reads(aws_env: MotoServer) -> AsyncIterator[DynamoReads]:
    """The api's event-loop reads of the moto server, closed after the test."""
    reads = DynamoReads.from_environment()
    yield reads
    await reads.close()


@pytest.fixture
def api_app(items_table: str, dynamo_reads: DynamoReads) -> Any:
    return create_api(ApiSettings(table_items=items_table), reads=dynamo_reads)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def open_client(stack: AsyncExitStack, app: Any, base_url: str) -> httpx.AsyncClient:
    """Run the app's lifespan and return an HTTP client reaching it in-process."""
    await stack.enter_async_context(app.router.lifespan_context(app))
    return await stack.enter_async_context(
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url)
    )


@pytest.fixture
async def api(api_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the api app, in-process."""
    async with AsyncExitStack() as stack:
        yield await open_client(stack, api_app, "http://api.internal")


class RecordingTransport(httpx.AsyncBaseTransport):
    """Passes requests to another transport and remembers them."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)


WebFactory = Callable[..., Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def web_for() -> AsyncIterator[WebFactory]:
    """Start the web app (lifespan included) against a given api transport and settings."""
    async with AsyncExitStack() as stack:

        async def start(
            transport: httpx.AsyncBaseTransport | None,
            *,
            clock: Callable[[], float] | None = None,
            **settings: Any,
        ) -> httpx.AsyncClient:
            settings.setdefault("service_api_url", "http://api.internal:8000")
            app = create_web(
                WebSettings(**settings),
                api_transport=transport,
                **({"clock": clock} if clock else {}),
            )
            return await open_client(stack, app, "http://web.internal")

        yield start


@pytest.fixture
def api_transport(api_app: Any) -> RecordingTransport:
    """The api app in-process, reached by the web app over ASGI."""
    return RecordingTransport(httpx.ASGITransport(app=api_app))


@pytest.fixture
def start_service(moto_server: MotoServer) -> Iterator[Callable[..., ServiceProcess]]:
    """Start a service process with the moto environment plus extra variables; killed at the end."""
    processes: list[ServiceProcess] = []

    def start(module: str, **env: str) -> ServiceProcess:
        environment = {**moto_server.client_environment(), "PORT": str(free_port()), **env}
        service = ServiceProcess(module, cwd=EXAMPLE_DIR, env=environment)
        processes.append(service)
        return service

    yield start
    for service in processes:
        service.kill()
