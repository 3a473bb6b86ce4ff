"""Fixtures for the magic8ball tests: Redis, the app with its lifespan, the service as a process."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import orjson
import pytest
import redis
from magic8ball.app import create_app
from magic8ball.settings import Settings

from shipway.emulators import RedisServer, free_port, wait_for_port

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterator

    from starlette.applications import Starlette

EXAMPLE_DIR = Path(__file__).resolve().parents[1]
# The session Redis is shared with other examples' tests: these use their own database.
TEST_DB = 5


def fast_settings(redis_url: str, **overrides: object) -> Settings:
    """Settings for tests: a quick writer, quick retries, no access log."""
    values: dict[str, object] = {
        "redis_url": redis_url, "access_log": False, "fizzbuzz_interval_seconds": 0.02,
        "backoff_initial_seconds": 0.02, "backoff_max_seconds": 0.1,
        "redis_timeout_seconds": 0.3, **overrides}
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


class ServiceProcess:
    """`python -m <package>` started as the container would, its stdout collected line by line."""

    def __init__(self, package: str, *, env: dict[str, str] | None = None) -> None:
        self.package = package
        self.port = free_port()
        self.env = {**os.environ, "PORT": str(self.port), "HOST": "127.0.0.1", **(env or {})}
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self.process: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServiceProcess:
        self.process = subprocess.Popen(  # noqa: S603 - fixed argv
            [sys.executable, "-m", self.package], cwd=EXAMPLE_DIR, env=self.env, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        threading.Thread(target=self._collect, daemon=True).start()
        wait_for_port(self.port, timeout=30, alive=lambda: self.process.poll() is None)
        return self

    def _collect(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()

    def json_lines(self) -> list[dict[str, object]]:
        with self._changed:
            return [orjson.loads(line) for line in self.lines]

    def wait_for_log(self, matches: Callable[[dict[str, object]], bool],
                     timeout: float = 15.0) -> dict[str, object]:
        """Block until a JSON log line satisfies matches; fail after timeout."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self.lines:
                    entry = orjson.loads(line)
                    if matches(entry):
                        return entry
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no matching log line within {timeout} s: {self.lines}")
                self._changed.wait(remaining)

    def send_sigterm(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)

    def wait(self, timeout: float) -> int:
        """The exit status, once the process has exited (fails after timeout)."""
        assert self.process is not None
        return self.process.wait(timeout)

    def terminate(self, timeout: float = 15.0) -> int:
        self.send_sigterm()
        return self.wait(timeout)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def service_process() -> Iterator[Callable[..., ServiceProcess]]:
    started: list[ServiceProcess] = []

    def start(env: dict[str, str] | None = None) -> ServiceProcess:
        service = ServiceProcess("magic8ball", env=env).start()
        started.append(service)
        return service

    yield start
    for service in started:
        service.stop()
