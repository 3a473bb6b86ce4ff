"""Fixtures for the shop-cart tests: a carts table, the app in-process, the service as a process."""

from __future__ import annotations

import http.client
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import boto3
import httpx
import pytest
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
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification={
        "Enabled": True, "AttributeName": "expires_at"})
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
def cart_app(carts_table: str, clock: Clock) -> Any:
    return create_app(CartSettings(table_carts=carts_table, cart_ttl_seconds=TTL_SECONDS),
                      clock=clock)


@pytest.fixture
async def api(cart_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client reaching the cart app in-process."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=cart_app),
                                 base_url="http://cart.internal") as client:
        yield client


@pytest.fixture
def stored(dynamodb: Any, carts_table: str) -> Callable[[str], dict[str, Any] | None]:
    """Read a cart's raw DynamoDB item, bypassing the app."""

    def read(cart_id: str) -> dict[str, Any] | None:
        item: dict[str, Any] | None = dynamodb.get_item(
            TableName=carts_table, Key={"id": {"S": cart_id}}, ConsistentRead=True).get("Item")
        return item

    return read


class GatedProxy:
    """An HTTP proxy in front of moto that holds chosen DynamoDB calls until released."""

    def __init__(self, upstream: str, hold_target: str) -> None:
        self.upstream = urlsplit(upstream)
        self.hold_target = hold_target
        self.arrived = threading.Event()
        self.release = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True  # a held call must not hold up the test's teardown
        self._server.block_on_close = False
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server naming scheme
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if proxy.hold_target in self.headers.get("X-Amz-Target", ""):
                    proxy.arrived.set()
                    proxy.release.wait(30)
                status, answer = proxy.forward(self.path, dict(self.headers), body)
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.0")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        return Handler

    def forward(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port,
                                                timeout=30)
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def close(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def gated_moto(moto_server: MotoServer) -> Iterator[Callable[[str], GatedProxy]]:
    """Make a GatedProxy to the moto server holding calls whose X-Amz-Target contains a name."""
    proxies: list[GatedProxy] = []

    def make(hold_target: str) -> GatedProxy:
        proxies.append(GatedProxy(moto_server.endpoint_url, hold_target))
        return proxies[-1]

    yield make
    for proxy in proxies:
        proxy.close()


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
