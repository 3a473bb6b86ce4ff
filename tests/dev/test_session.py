"""`shipway dev` end to end: a real subprocess, real services, the moto server, Redis."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
import pytest

from tests.dev.conftest import HEADER
from tests.dev.running import DevRun, alive, get_json, process_ids, wait_until

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

pytestmark = pytest.mark.slow

APPLICATION = """
    services:
      api:
        type: backend
        image: {build: {context: .}}        # runs the Dockerfile's CMD
        uses: [items, session, jwt-key, items-import]
        environment: {GREETING: hello}
        secrets: {API_TOKEN: external-token}
      web:
        image: {build: {context: .}}
        local: {command: [python, service.py]}
        uses: [api]
    tables:
      items: {partition_key: id, ttl_attribute: expires_at}
    caches:
      session: {}
    buckets:
      items-import: {loader: {table: items, format: json}}
    secrets:
      jwt-key: {generate: {length: 32}}
    seed:
      - {bucket: items-import, file: data/seed.json}
"""


def manifest_in(app_dir: Path, body: str) -> Path:
    path = app_dir / "shipway.yml"
    path.write_text(HEADER.replace("{name}", "devrun") + textwrap.dedent(body), encoding="utf-8")
    return path


@pytest.fixture
def start(app_dir: Path) -> Iterator[Any]:
    runs: list[DevRun] = []

    def run(body: str, environment: dict[str, str] | None = None) -> DevRun:
        runs.append(DevRun(manifest_in(app_dir, body), environment=environment))
        return runs[-1]

    yield run
    for leftover in runs:
        leftover.kill_leftovers()


def dynamodb_item(session: dict[str, Any], item_id: str) -> dict[str, Any] | None:
    client = boto3.client("dynamodb", endpoint_url=session["aws_endpoint_url"],
                          region_name="us-east-1", aws_access_key_id="testing",
                          aws_secret_access_key="testing")
    found = client.get_item(TableName=session["tables"]["items"], Key={"id": {"S": item_id}})
    return found.get("Item")


def test_the_application_runs_loads_and_stops_cleanly(start: Any, app_dir: Path) -> None:
    (app_dir / ".shipway").mkdir()
    (app_dir / ".shipway" / "secrets.env").write_text("external-token=tok-123\n")
    dev = start(APPLICATION)
    session = dev.wait_ready()
    api, web = session["services"]["api"]["url"], session["services"]["web"]["url"]

    wired = get_json(f"{api}/env")
    assert wired["TABLE_ITEMS"] == "devrun-dev-items"
    assert wired["REDIS_URL"] == wired["CACHE_SESSION_URL"] == session["redis_url"]
    assert wired["JWT_KEY_SECRET_ID"] == "devrun-dev-jwt-key" and len(wired["JWT_KEY"]) == 32
    assert (wired["API_TOKEN"], wired["GREETING"], wired["SHIPWAY_ENV"]) == (
        "tok-123", "hello", "dev")
    assert get_json(f"{api}/items/a")["name"] == {"S": "Alpha"}  # seeded before start
    assert get_json(f"{api}/cache")["hits"] == 1
    assert get_json(f"{web}/upstream") == {"upstream_status": 200}
    grandchild = get_json(f"{api}/child")["pid"]
    recorded = {session["pid"], session["services"]["api"]["pid"],
                session["services"]["web"]["pid"], session["pids"]["moto"],
                session["pids"]["redis"], grandchild}
    # redis-server rewrites its environment (setproctitle), so it is checked by pid only
    assert recorded - {session["pids"]["redis"]} <= process_ids(dev.leftovers())

    s3 = boto3.client("s3", endpoint_url=session["aws_endpoint_url"], region_name="us-east-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")
    s3.put_object(Bucket=session["buckets"]["items-import"], Key="more.json",
                  Body=b'[{"id": "m1"}, {"id": "m2"}]')
    wait_until(lambda: dynamodb_item(session, "m2"), timeout=20,
               message="the upload was not loaded within 20 s")

    upload = app_dir / "items.json"
    upload.write_text('[{"id": "c"}, {"id": 1}]', encoding="utf-8")
    loaded = subprocess.run([sys.executable, "-m", "shipway.cli", "load", "-f",
                             str(dev.manifest), "--bucket", "items-import", str(upload)],
                            capture_output=True, text=True, timeout=60)
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert "items.json: 1 loaded, 1 rejected (report reports/items.json.rejected.json)" in (
        loaded.stdout)

    assert dev.stop(signal.SIGINT) == 0, dev.output
    assert not dev.dev_json.exists()
    assert dev.leftovers() == []
    assert [pid for pid in recorded if alive(pid)] == []
    assert "api | listening on" in " ".join(dev.output.split())


def test_a_service_that_crashes_at_start_stops_the_rest(start: Any) -> None:
    dev = start("""
        services:
          api:
            type: backend
            image: {build: {context: .}}
            local: {command: [python, service.py, crash]}
          web: {image: {build: {context: .}}, uses: [api]}
    """)
    assert dev.wait_exit() == 1
    assert "boom: cannot start" in dev.output
    assert "service 'api' exited with status 3" in dev.output
    assert "web |" not in dev.output  # its dependency never became healthy
    assert not dev.dev_json.exists()
    assert dev.leftovers() == []


def test_a_health_check_that_never_passes_fails_after_its_grace_period(start: Any) -> None:
    dev = start("""
        services:
          api:
            type: backend
            image: {build: {context: .}}
            local: {command: [python, service.py, unhealthy]}
            health_check: {path: /health, grace_period: 2}
    """)
    assert dev.wait_exit() == 1
    assert "listening on" in dev.output  # its last lines are shown
    assert ("service 'api' failed its health check GET /health for 2 s (last answer: HTTP 503"
            in " ".join(dev.output.split()))
    assert dev.leftovers() == []


def test_a_fixed_port_in_use_is_one_line_and_exit_2(start: Any) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        dev = start(f"""
            services:
              api: {{image: {{build: {{context: .}}}}, local: {{command: x, port: {port}}}}}
        """)
        assert dev.wait_exit() == 2
    lines = dev.output.strip().splitlines()
    assert lines[-1].startswith(f"error: service 'api': port {port} (local.port) is already in use")
    assert dev.leftovers() == []


def test_without_redis_server_on_path_the_embedded_redis_serves(start: Any) -> None:
    path_without_redis = str(Path(sys.executable).parent)
    dev = start("""
        services:
          api: {image: {build: {context: .}}, uses: [session]}
        caches:
          session: {}
    """, environment={"PATH": path_without_redis})
    session = dev.wait_ready()
    api = session["services"]["api"]["url"]

    assert session["redis"] == "embedded"
    assert "embedded Python Redis server" in dev.output
    assert [get_json(f"{api}/cache")["hits"] for _ in range(2)] == [1, 2]
    assert dev.stop(signal.SIGTERM) == 0, dev.output
    assert dev.leftovers() == []


def test_a_service_that_exits_later_stops_everything_with_exit_1(start: Any) -> None:
    dev = start("""
        services:
          api: {image: {build: {context: .}}}
    """)
    api = dev.wait_ready()["services"]["api"]["url"]
    with contextlib.suppress(OSError):
        get_json(f"{api}/exit")
    assert dev.wait_exit() == 1
    assert "exiting on request" in dev.output
    assert "service 'api' exited with status 4" in dev.output
    assert not dev.dev_json.exists()
    assert dev.leftovers() == []


@pytest.mark.parametrize("emulator", ["redis", "moto"])
def test_an_emulator_that_dies_stops_everything_with_exit_1(start: Any, emulator: str) -> None:
    dev = start("""
        services:
          api: {image: {build: {context: .}}, uses: [session, items]}
        caches:
          session: {}
        tables:
          items: {partition_key: id}
    """)
    session = dev.wait_ready()
    name = {"redis": "redis-server", "moto": "moto server"}[emulator]

    os.kill(session["pids"][emulator], signal.SIGKILL)

    assert dev.wait_exit() == 1, dev.output
    assert f"error: {name}, which shipway dev started, exited with status -9" in dev.output
    assert not dev.dev_json.exists()
    assert dev.leftovers() == []


def test_an_application_using_no_aws_service_starts_no_moto_server(start: Any) -> None:
    dev = start("""
        services:
          api: {image: {build: {context: .}}, uses: [session]}
        caches:
          session: {}
    """)
    session = dev.wait_ready()

    assert session["aws_endpoint_url"] is None
    assert session["pids"]["moto"] is None
    assert session["pids"]["redis"] is not None
    assert "moto server" not in dev.output
    assert dev.stop(signal.SIGINT) == 0, dev.output
    assert dev.leftovers() == []


def test_sigterm_while_starting_stops_cleanly(start: Any) -> None:
    dev = start("""
        services:
          api:
            image: {build: {context: .}}
            local: {command: [python, service.py, unhealthy]}
            health_check: {grace_period: 60}
    """)
    wait_until(lambda: "listening on" in dev.output, timeout=30, message="api never started")
    assert dev.stop(signal.SIGTERM) == 0, dev.output
    assert dev.leftovers() == []


def test_sigkill_of_shipway_dev_still_stops_everything_it_started(start: Any) -> None:
    """No signal handler runs on SIGKILL: the reaper process notices and stops the rest."""
    dev = start("""
        services:
          api:
            image: {build: {context: .}}
            local: {command: [python, service.py]}
            uses: [items]
        caches:
          session: {}
        tables:
          items: {partition_key: id}
    """)
    session = dev.wait_ready()
    started = dev.recorded_pids
    assert len(started) == 3, session  # moto, redis-server and the service

    dev.process.kill()
    dev.process.wait()

    wait_until(lambda: not any(alive(pid) for pid in started) and dev.leftovers() == [],
               timeout=20, message=f"still running: {dev.leftovers()}")


def test_a_service_turning_unhealthy_after_start_is_reported_and_then_its_recovery(
        start: Any) -> None:
    dev = start("""
        services:
          api:
            image: {build: {context: .}}
            local: {command: [python, service.py]}
            health_check: {interval: 5, timeout: 2, unhealthy_threshold: 2, healthy_threshold: 2}
    """)
    session = dev.wait_ready()
    api = session["services"]["api"]["url"]

    get_json(f"{api}/health/fail")
    wait_until(lambda: "health: failing" in dev.output, timeout=30,
               message=f"no failing report:\n{dev.output}")
    get_json(f"{api}/health/pass")
    wait_until(lambda: "health: passing again" in dev.output, timeout=30,
               message=f"no recovery report:\n{dev.output}")

    assert "GET /health answered 503 on 2 checks in a row" in dev.output
    assert dev.process.poll() is None  # reported, not stopped: the developer is debugging it
    assert dev.stop() == 0
    assert dev.leftovers() == []
