"""Session-wide real servers: one moto server and one Redis for every test that needs them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shipway.emulators import MotoServer, RedisServer
from shipway.testing import GatedProxy

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    """A moto server process, reached over HTTP with endpoint_url."""
    with MotoServer() as server:
        yield server


@pytest.fixture
def aws_env(moto_server: MotoServer, monkeypatch: pytest.MonkeyPatch) -> MotoServer:
    """Point boto3 at the moto server for one test."""
    for name, value in moto_server.client_environment().items():
        monkeypatch.setenv(name, value)
    return moto_server


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A real redis-server process (CI installs it)."""
    with RedisServer() as server:
        if server.kind != "redis-server":
            pytest.fail("redis-server is not on PATH: install it (apt-get install redis-server)")
        yield server


@pytest.fixture
def gated_moto(moto_server: MotoServer) -> Iterator[Callable[..., GatedProxy]]:
    """Make a GatedProxy to the moto server holding calls whose X-Amz-Target contains a name."""
    proxies: list[GatedProxy] = []

    def make(hold_target: str, *, hold_answer: bool = False) -> GatedProxy:
        proxies.append(
            GatedProxy(moto_server.endpoint_url, hold_target, hold_answer=hold_answer).__enter__())
        return proxies[-1]

    yield make
    for proxy in proxies:
        proxy.__exit__()
