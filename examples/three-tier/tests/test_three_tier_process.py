"""The services as the image runs them: ``python -m <package>`` processes over 127.0.0.1."""

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

if TYPE_CHECKING:
    from collections.abc import Callable

EXAMPLE_DIR = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.timeout(90)


def worker_draining(entry: dict[str, Any]) -> bool:
    """granian's worker logs this once it has stopped accepting and is finishing requests."""
    return entry["message"].startswith("Stopping worker")


def get_in_background(url: str, **kwargs: Any) -> tuple[threading.Thread, dict[str, Any]]:
    """GET url on a thread; the dict receives the response or the error."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["response"] = httpx.get(url, timeout=30, **kwargs)
        except Exception as error:  # handed to the test, which fails on it
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def test_api_finishes_an_in_flight_request_after_sigterm_then_exits_0(
    start_service: Callable[..., Any],
    gated_moto: Callable[[str], Any],
    items_table: str,
    put_items: Callable[[list[dict[str, Any]]], None],
) -> None:
    put_items([{"key": "slow", "value": "worth the wait"}])
    proxy = gated_moto("GetItem")
    api = start_service(
        "three_tier_api", TABLE_ITEMS=items_table, AWS_ENDPOINT_URL=proxy.endpoint_url
    ).wait_ready()
    thread, outcome = get_in_background(f"{api.url}/items/slow")
    assert proxy.arrived.wait(10), "the request never reached DynamoDB"

    api.process.send_signal(signal.SIGTERM)
    api.wait_for_log(worker_draining)
    proxy.release.set()
    thread.join(20)

    assert "error" not in outcome
    assert outcome["response"].status_code == 200
    assert outcome["response"].json() == {"key": "slow", "value": "worth the wait"}
    assert api.process.wait(15) == 0


def test_web_and_api_processes_serve_the_page_and_share_the_request_id(
    start_service: Callable[..., Any],
    items_table: str,
    put_items: Callable[[list[dict[str, Any]]], None],
) -> None:
    put_items([{"key": "k1", "value": "<script>x</script>"}])
    api = start_service("three_tier_api", TABLE_ITEMS=items_table).wait_ready()
    web = start_service("three_tier_web", SERVICE_API_URL=api.url).wait_ready()

    response = httpx.get(f"{web.url}/", headers={"X-Request-Id": "e2e-1"}, timeout=10)

    assert response.status_code == 200
    assert f"<title>{items_table}</title>" in response.text
    assert "&lt;script&gt;x&lt;/script&gt;" in response.text
    api.wait_for_log(lambda e: e.get("request_id") == "e2e-1" and e.get("path") == "/items")
    web.wait_for_log(lambda e: e.get("request_id") == "e2e-1" and e.get("status") == 200)
    assert web.terminate() == 0 and api.terminate() == 0
    assert all(line.startswith("{") for line in web.lines + api.lines), "non-JSON log lines"


def test_web_finishes_an_in_flight_page_after_sigterm_then_exits_0(
    start_service: Callable[..., Any],
    gated_moto: Callable[[str], Any],
    items_table: str,
    put_items: Callable[[list[dict[str, Any]]], None],
) -> None:
    put_items([{"key": "k1", "value": "v1"}])
    proxy = gated_moto("Scan")
    api = start_service(
        "three_tier_api", TABLE_ITEMS=items_table, AWS_ENDPOINT_URL=proxy.endpoint_url
    ).wait_ready()
    web = start_service("three_tier_web", SERVICE_API_URL=api.url).wait_ready()
    thread, outcome = get_in_background(f"{web.url}/")
    assert proxy.arrived.wait(10), "the page request never reached DynamoDB"

    web.process.send_signal(signal.SIGTERM)
    web.wait_for_log(worker_draining)
    proxy.release.set()
    thread.join(20)

    assert "error" not in outcome
    assert outcome["response"].status_code == 200
    assert "<td>v1</td>" in outcome["response"].text
    assert web.process.wait(15) == 0


def test_web_is_down_for_the_page_but_healthy_without_the_api(
    start_service: Callable[..., Any],
) -> None:
    from shipway.emulators import free_port

    web = start_service(
        "three_tier_web", SERVICE_API_URL=f"http://127.0.0.1:{free_port()}"
    ).wait_ready()

    assert httpx.get(f"{web.url}/", timeout=10).status_code == 503
    assert httpx.get(f"{web.url}/healthz", timeout=10).status_code == 200
    assert probe(web.port, "/healthz") is True  # the container health check command
    assert web.terminate() == 0
    assert probe(web.port, "/healthz", timeout=1) is False


@pytest.mark.parametrize(
    ("module", "variable"),
    [("three_tier_api", "TABLE_ITEMS"), ("three_tier_web", "SERVICE_API_URL")],
)
def test_help_and_missing_configuration(module: str, variable: str) -> None:
    env = {"PATH": "/usr/bin:/bin"}
    helped = subprocess.run(
        [sys.executable, "-m", module, "--help"],
        cwd=EXAMPLE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    refused = subprocess.run(
        [sys.executable, "-m", module],
        cwd=EXAMPLE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    assert helped.returncode == 0 and variable in helped.stdout
    assert refused.returncode == 2
    assert f"invalid configuration: {variable}:" in refused.stderr
