"""Fixtures for the three-tier tests: a fresh items table, the two apps, real service processes."""

from __future__ import annotations

import http.client
import threading
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import httpx
import pytest
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
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "key", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "key", "AttributeType": "S"}])
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
def api_app(items_table: str) -> Any:
    return create_api(ApiSettings(table_items=items_table))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def open_client(stack: AsyncExitStack, app: Any, base_url: str) -> httpx.AsyncClient:
    """Run the app's lifespan and return an HTTP client reaching it in-process."""
    await stack.enter_async_context(app.router.lifespan_context(app))
    return await stack.enter_async_context(
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url))


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

        async def start(transport: httpx.AsyncBaseTransport | None,
                        **settings: Any) -> httpx.AsyncClient:
            settings.setdefault("service_api_url", "http://api.internal:8000")
            app = create_web(WebSettings(**settings), api_transport=transport)
            return await open_client(stack, app, "http://web.internal")

        yield start


@pytest.fixture
def api_transport(api_app: Any) -> RecordingTransport:
    """The api app in-process, reached by the web app over ASGI."""
    return RecordingTransport(httpx.ASGITransport(app=api_app))


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
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

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
                status, headers, answer = proxy.forward(self.path, dict(self.headers), body)
                self.send_response(status)
                for name, value in headers:
                    if name.lower() not in {"content-length", "connection", "server", "date"}:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        return Handler

    def forward(self, path: str, headers: dict[str, str], body: bytes) -> tuple[
            int, list[tuple[str, str]], bytes]:
        connection = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port,
                                                timeout=30)
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def __enter__(self) -> GatedProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def gated_moto(moto_server: MotoServer) -> Iterator[Callable[[str], GatedProxy]]:
    """Make a GatedProxy to the moto server holding calls whose X-Amz-Target contains a name."""
    proxies: list[GatedProxy] = []

    def make(hold_target: str) -> GatedProxy:
        proxy = GatedProxy(moto_server.endpoint_url, hold_target).__enter__()
        proxies.append(proxy)
        return proxy

    yield make
    for proxy in proxies:
        proxy.__exit__()


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
