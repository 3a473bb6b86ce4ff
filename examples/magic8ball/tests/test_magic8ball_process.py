"""The service as its container runs it: `python -m magic8ball`, JSON logs, Redis, SIGTERM."""

from __future__ import annotations

import socket
import subprocess
import sys
from typing import TYPE_CHECKING

import httpx

from shipway.emulators.ports import port_is_open

from .conftest import EXAMPLE_DIR, ServiceProcess

if TYPE_CHECKING:
    from collections.abc import Callable

    import redis


def test_answers_writes_fizzbuzz_and_stops_cleanly_on_sigterm(
    service_process: Callable[..., ServiceProcess], redis_url: str, redis_client: redis.Redis
) -> None:
    service = service_process({"REDIS_URL": redis_url, "FIZZBUZZ_INTERVAL_SECONDS": "0.05"})

    answer = httpx.get(f"{service.url}/", params={"q": "ship it?"}, headers={"X-Request-Id": "p1"})
    missing = httpx.get(f"{service.url}/")
    ready = httpx.get(f"{service.url}/ready")
    service.wait_for_log(lambda e: e["message"] == "fizzbuzz writer started")

    assert answer.status_code == 200 and answer.text.startswith("Magic 8-ball says: ")
    assert (missing.status_code, missing.text) == (400, "Missing `q` in query string")
    assert ready.status_code == 200
    assert service.wait_for_log(lambda e: e.get("request_id") == "p1")["status"] == 200

    # GIVEN a request whose bytes are still arriving when the container is told to stop
    with socket.create_connection(("127.0.0.1", service.port), timeout=10) as connection:
        connection.sendall(b"GET /?q=late HTTP/1.1\r\nHost: m8\r\n")
        # The worker accepts connections in order: once a later one is served, ours is accepted.
        assert httpx.get(f"{service.url}/health").status_code == 200
        service.send_sigterm()
        service.wait_for_log(lambda e: "Stopping worker" in str(e["message"]))
        connection.sendall(b"\r\n")
        reply = connection.makefile("rb").read()

    # THEN it is answered, the writer stops, and the process exits 0
    assert reply.startswith(b"HTTP/1.1 200") and b"Magic 8-ball says: " in reply
    assert service.wait(timeout=15) == 0
    assert not port_is_open(service.port)
    service.wait_for_log(lambda e: e["message"] == "fizzbuzz writer stopped")
    assert redis_client.get("3") == "Fizz"
    assert not [e for e in service.json_lines() if e["level"] in ("ERROR", "CRITICAL")]


def test_help_documents_the_options() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "magic8ball", "--help"],
        cwd=EXAMPLE_DIR,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    assert result.returncode == 0
    for name in ("REDIS_URL", "PORT", "FIZZBUZZ_INTERVAL_SECONDS", "rediss://"):
        assert name in result.stdout
