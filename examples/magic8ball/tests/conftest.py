"""Fixtures for the magic8ball tests: Redis, the app with its lifespan, the service as a process."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
import redis
from magic8ball.app import create_app
from magic8ball.settings import Settings

from shipway.emulators import RedisServer
from shipway.testing import ServiceProcess

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterator

    from starlette.applications import Starlette

EXAMPLE_DIR = Path(__file__).resolve().parents[1]
# The session Redis is shared with other examples' tests: these use their own database.
TEST_DB = 5


def fast_settings(redis_url: str, **overrides: object) -> Settings:
    """Settings for tests: a quick writer, quick retries, no access log."""
    values: dict[str, object] = {
        "redis_url": redis_url,
        "access_log": False,
        "fizzbuzz_interval_seconds": 0.02,
        "backoff_initial_seconds": 0.02,
        "backoff_max_seconds": 0.1,
        "redis_timeout_seconds": 0.3,
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


def with_db(url: str, db: int = TEST_DB) -> str:
    return url.rsplit("/", 1)[0] + f"/{db}"


@pytest.fixture
def redis_url(redis_server: RedisServer) -> Iterator[str]:
    """The session Redis, database TEST_DB, emptied before each test."""
    url = with_db(redis_server.url)
    with redis.Redis.from_url(url) as client:
        client.flushdb()
    yield url


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    with redis.Redis.from_url(redis_url, decode_responses=True) as client:
        yield client


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    """A Redis of this test's own, which the test may stop and start again."""
    server = RedisServer()
    if server.kind != "redis-server":
        pytest.fail("redis-server is not on PATH: install it (apt-get install redis-server)")
    with server:
        yield server


@contextlib.asynccontextmanager
async def running(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan running (Redis client, writer), and a client for it."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://magic8ball") as client:
            yield client


@pytest.fixture
async def client(redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with running(create_app(fast_settings(redis_url))) as client:
        yield client


@pytest.fixture
def service_process() -> Iterator[Callable[..., ServiceProcess]]:
    started: list[ServiceProcess] = []

    def start(env: dict[str, str] | None = None) -> ServiceProcess:
        service = ServiceProcess("magic8ball", cwd=EXAMPLE_DIR, env=env).start()
        started.append(service)
        return service

    yield start
    for service in started:
        service.stop()
