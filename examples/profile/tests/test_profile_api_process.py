"""The service as its container runs it: `python -m profile_api`, JSON logs, SIGTERM."""

from __future__ import annotations

import socket
import time
from typing import TYPE_CHECKING

import httpx
import orjson

from shipway.emulators.ports import port_is_open

if TYPE_CHECKING:
    from collections.abc import Callable

    from .conftest import ServiceProcess


def test_serves_the_contract_and_logs_json(service_process: Callable[..., ServiceProcess]) -> None:
    service = service_process({"PROFILE_NAME": "Grace", "PROFILE_HOBBIES": "COBOL,Navy"})

    response = httpx.get(f"{service.url}/", headers={"X-Request-Id": "proc-1"})
    health = httpx.get(f"{service.url}/health")

    assert response.json() == {"Name": "Grace", "Hobbies": ["COBOL", "Navy"]}
    assert health.status_code == 200 and health.content == b""
    access = service.wait_for_log(lambda e: e.get("request_id") == "proc-1")
    assert access["status"] == 200 and access["path"] == "/"
    assert service.terminate() == 0
    assert all(line.startswith("{") for line in service.lines)


def test_sigterm_lets_an_in_flight_request_finish_then_exits_0(
    service_process: Callable[..., ServiceProcess],
) -> None:
    service = service_process()
    # GIVEN a request whose bytes are still arriving
    with socket.create_connection(("127.0.0.1", service.port), timeout=10) as connection:
        connection.sendall(b"GET / HTTP/1.1\r\nHost: profile\r\nX-Request-Id: in-flight\r\n")
        # The worker accepts connections in order: once a later one is served, ours is accepted.
        assert httpx.get(f"{service.url}/health").status_code == 200
        # WHEN the container is asked to stop
        service.send_sigterm()
        service.wait_for_log(lambda e: "Stopping worker" in str(e["message"]))
        connection.sendall(b"\r\n")
        reply = connection.makefile("rb").read()

    # THEN the request completes and the process exits cleanly
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert orjson.loads(body)["Name"] == "Alberto Eduardo"
    assert service.wait(timeout=15) == 0
    assert not port_is_open(service.port)
    assert service.wait_for_log(lambda e: e.get("request_id") == "in-flight")["status"] == 200


def test_a_client_that_never_finishes_its_headers_is_disconnected(
    service_process: Callable[..., ServiceProcess],
) -> None:
    service = service_process({"HEADER_TIMEOUT_SECONDS": "1"})
    with socket.create_connection(("127.0.0.1", service.port), timeout=10) as connection:
        connection.sendall(b"GET / HTTP/1.1\r\nHost: profile\r\n")  # and never the blank line
        started = time.monotonic()
        assert connection.recv(1024) == b""  # closed by the server, not by our 10 s timeout
    assert time.monotonic() - started < 5
    assert service.terminate() == 0


def test_an_idle_keep_alive_connection_is_closed_after_the_header_timeout(
    service_process: Callable[..., ServiceProcess],
) -> None:
    service = service_process({"HEADER_TIMEOUT_SECONDS": "1"})
    with socket.create_connection(("127.0.0.1", service.port), timeout=10) as connection:
        connection.sendall(b"GET /health HTTP/1.1\r\nHost: profile\r\n\r\n")
        assert connection.recv(1024).startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        assert connection.recv(1024) == b""
    assert time.monotonic() - started < 5
