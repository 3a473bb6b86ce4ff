"""Fixtures for the profile tests: settings, the app in-process and the service as a process."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from profile_api.app import create_app
from profile_api.settings import Settings

from shipway.testing import ServiceProcess

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterator

EXAMPLE_DIR = Path(__file__).resolve().parents[1]


@pytest.fixture
def settings() -> Settings:
    return Settings(access_log=False)


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://profile") as client:
        yield client


@pytest.fixture
def service_process() -> Iterator[Callable[..., ServiceProcess]]:
    started: list[ServiceProcess] = []

    def start(env: dict[str, str] | None = None) -> ServiceProcess:
        service = ServiceProcess("profile_api", cwd=EXAMPLE_DIR, env=env).start()
        started.append(service)
        return service

    yield start
    for service in started:
        service.stop()
