"""The service as the image runs it: ``python -m shop_cart`` over 127.0.0.1."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from service_runtime.healthcheck import probe

from shipway.emulators import free_port

if TYPE_CHECKING:
    from collections.abc import Callable

EXAMPLE_DIR = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.timeout(90)


def worker_draining(entry: dict[str, Any]) -> bool:
    """granian's worker logs this once it has stopped accepting and is finishing requests."""
    return entry["message"].startswith("Stopping worker")


def test_the_whole_flow_against_the_real_process(
    start_cart_service: Callable[..., Any], carts_table: str
) -> None:
    cart = start_cart_service(TABLE_CARTS=carts_table).wait_ready()
    with httpx.Client(base_url=cart.url, timeout=10) as http:
        created = http.post("/carts", headers={"X-Request-Id": "flow-1"})
        cart_url = created.headers["location"]
        http.put(f"{cart_url}/items/tea", json={"quantity": 2, "unit_price_cents": 450})
        stale = http.put(
            f"{cart_url}/items/cake",
            json={"quantity": 1, "unit_price_cents": 300},
            headers={"If-Match": created.headers["etag"]},
        )
        fetched = http.get(cart_url)

    assert created.status_code == 201 and created.headers["x-request-id"] == "flow-1"
    assert stale.status_code == 412
    assert (fetched.json()["total_cents"], fetched.headers["etag"]) == (900, '"2"')
    cart.wait_for_log(lambda e: e.get("request_id") == "flow-1" and e.get("status") == 201)
    assert probe(cart.port) is True
    assert cart.terminate() == 0
    assert all(line.startswith("{") for line in cart.lines), "non-JSON log lines"


def test_sigterm_lets_an_in_flight_request_finish_then_exits_0(
    start_cart_service: Callable[..., Any], gated_moto: Callable[[str], Any], carts_table: str
) -> None:
    proxy = gated_moto("PutItem")
    cart = start_cart_service(
        TABLE_CARTS=carts_table, AWS_ENDPOINT_URL=proxy.endpoint_url
    ).wait_ready()
    outcome: dict[str, Any] = {}

    def create() -> None:
        try:
            outcome["response"] = httpx.post(f"{cart.url}/carts", timeout=30)
        except Exception as error:  # handed to the test, which fails on it
            outcome["error"] = error

    request = threading.Thread(target=create, daemon=True)
    request.start()
    assert proxy.arrived.wait(10), "the request never reached DynamoDB"

    cart.process.send_signal(signal.SIGTERM)
    cart.wait_for_log(worker_draining)
    proxy.release.set()
    request.join(20)

    assert "error" not in outcome
    assert outcome["response"].status_code == 201
    assert cart.process.wait(15) == 0


def test_healthcheck_probe_fails_when_nothing_listens() -> None:
    assert probe(free_port(), timeout=1) is False


def test_help_and_missing_table() -> None:
    env = {"PATH": "/usr/bin:/bin"}
    helped = subprocess.run(
        [sys.executable, "-m", "shop_cart", "--help"],
        cwd=EXAMPLE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    refused = subprocess.run(
        [sys.executable, "-m", "shop_cart"],
        cwd=EXAMPLE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    assert helped.returncode == 0 and "TABLE_CARTS" in helped.stdout
    assert refused.returncode == 2 and "cart: invalid configuration: TABLE_CARTS:" in refused.stderr
