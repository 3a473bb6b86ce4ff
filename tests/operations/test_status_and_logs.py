"""`shipway status` and `shipway logs` through the real CLI, against a moto server process
holding a deployed three-tier test environment (tests/operations/environment.py)."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from shipway.cli import app
from shipway.manifest import load_manifest, resolve
from shipway.operations.aws import Clients
from shipway.testing.rehearsal_moto import RehearsalMotoServer
from tests.operations import environment

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.slow
THREE_TIER = Path(__file__).resolve().parents[2] / "examples" / "three-tier" / "shipway.yml"
PLAN = resolve(load_manifest(THREE_TIER), "test")
WEB_GROUP = "three-tier-test-web-logs"
API_GROUP = "three-tier-test-api-logs"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def now_ms() -> int:
    return int(time.time() * 1000)


def put(clients: Clients, group: str, stream: str, *messages: str) -> None:
    logs = clients.client("logs")
    if not logs.describe_log_streams(logGroupName=group, logStreamNamePrefix=stream)["logStreams"]:
        logs.create_log_stream(logGroupName=group, logStreamName=stream)
    logs.put_log_events(
        logGroupName=group,
        logStreamName=stream,
        logEvents=[{"timestamp": now_ms(), "message": message} for message in messages],
    )


@pytest.fixture(scope="module")
def operations_moto() -> Iterator[RehearsalMotoServer]:
    """A moto server of this module's own: the stack it makes is three-tier's test stack, which
    the deploy rehearsal (tests/rehearsal) creates from scratch in the session's server."""
    with RehearsalMotoServer() as server:
        yield server


@pytest.fixture(scope="module")
def deployed(operations_moto: RehearsalMotoServer) -> Iterator[Clients]:
    """three-tier's test stack in moto (2 tasks run per service), with a few log lines."""
    with pytest.MonkeyPatch.context() as patch:
        for key, value in operations_moto.client_environment(PLAN.settings.region).items():
            patch.setenv(key, value)
        clients = Clients(PLAN.settings.region)
        environment.deploy(clients, PLAN)
        put(
            clients,
            WEB_GROUP,
            "web/app/task-1",
            json.dumps(
                {
                    "timestamp": "2026-01-02T03:04:05.678+00:00",
                    "level": "INFO",
                    "logger": "access",
                    "message": "request",
                    "method": "GET",
                    "path": "/healthz",
                    "status": 200,
                }
            ),
            json.dumps({"level": "ERROR", "logger": "three_tier_web", "message": "api timed out"}),
            "plain text line",
        )
        put(clients, API_GROUP, "api/app/task-9", "api started")
        # another service's stream in the same group is not web's
        put(clients, WEB_GROUP, "other/app/task-2", "not a web line")
        yield clients
        clients.client("cloudformation").delete_stack(StackName=PLAN.stack_name)


def set_alarm(clients: Clients, state: str) -> None:
    clients.client("cloudwatch").set_alarm_state(
        AlarmName="three-tier-test-web-cpu-high",
        StateValue=state,
        StateReason=f"test: {state}",
    )


def test_status_reports_services_alarms_and_urls(deployed: Clients) -> None:
    set_alarm(deployed, "ALARM")
    code, out, _ = run("status", "-f", str(THREE_TIER), "--env", "test", "--json")
    assert code == 1, out  # an alarm fires
    found = json.loads(out)
    assert found["stack_status"] == "CREATE_COMPLETE" and found["healthy"] is False
    services = {service["name"]: service for service in found["services"]}
    assert set(services) == {"web", "api"}
    web = services["web"]
    # the rehearsal's moto reports a steady service (shipway.testing.moto_fixes)
    assert web["running"] >= web["desired"] == 2 and web["rollout"] == "COMPLETED"
    assert (web["revision"], web["image_tag"]) == (1, "c0ffee12")
    assert found["urls"] == {"web": "http://web.example.test/"}
    assert [alarm["name"] for alarm in found["alarms"]] == ["three-tier-test-web-cpu-high"]
    assert found["alarms"][0]["reason"] == "test: ALARM"

    code, out, _ = run("status", "-f", str(THREE_TIER), "--env", "test")
    assert code == 1
    assert "three-tier-test CREATE_COMPLETE" in out
    assert "1 alarm(s) in ALARM" in out and "three-tier-test-web-cpu-high" in out
    web_row = next(line for line in out.splitlines() if line.startswith("web "))
    assert f"{web['running']}/2" in web_row and "COMPLETED" in web_row and "c0ffee12" in web_row

    set_alarm(deployed, "OK")
    code, out, _ = run("status", "-f", str(THREE_TIER), "--env", "test")
    assert code == 0, out
    assert "no alarm in ALARM" in out


def test_status_of_an_environment_not_deployed(deployed: Clients) -> None:
    code, out, _ = run("status", "-f", str(THREE_TIER), "--env", "prod", "--json")
    assert code == 1
    found = json.loads(out)
    assert found["stack_status"] == "NOT_DEPLOYED"
    assert [service["found"] for service in found["services"]] == [False, False]


def test_logs_pretty_print_json_lines_of_the_service_only(deployed: Clients) -> None:
    code, out, err = run("logs", "web", "-f", str(THREE_TIER), "--env", "test", "--since", "1h")
    assert code == 0, err
    lines = out.splitlines()
    assert (
        lines[0]
        == "2026-01-02 03:04:05.678 INFO    access request  method=GET path=/healthz status=200"
    )
    assert "ERROR   three_tier_web api timed out" in lines[1]
    assert lines[2].endswith(" plain text line")
    assert "not a web line" not in out and "api started" not in out

    code, out, _ = run("logs", "web", "-f", str(THREE_TIER), "--env", "test", "--filter", "ERROR")
    assert code == 0
    assert out.count("\n") == 1 and "api timed out" in out

    code, out, _ = run("logs", "api", "-f", str(THREE_TIER), "--env", "test")
    assert code == 0 and out.endswith("api started\n")


def test_logs_user_errors(deployed: Clients) -> None:
    code, _, err = run("logs", "nope", "-f", str(THREE_TIER), "--env", "test")
    assert code == 2 and "no service 'nope'" in err and "web, api" in err
    code, _, err = run("logs", "web", "-f", str(THREE_TIER), "--env", "test", "--since", "1 year")
    assert code == 2 and "not a duration" in err
    code, _, err = run("logs", "web", "-f", str(THREE_TIER), "--env", "prod")
    assert code == 2 and "is not deployed" in err


def test_logs_follow_prints_new_lines_and_stops_after_for(deployed: Clients) -> None:
    put(deployed, WEB_GROUP, "web/app/task-1", "follow: before")
    command = [sys.executable, "-m", "shipway.cli", "logs", "web", "-f", str(THREE_TIER)]
    command += ["--env", "test", "--follow", "--for", "10s", "--filter", "follow"]
    started = time.monotonic()
    follower = subprocess.Popen(  # noqa: S603 - our own CLI
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy()
    )
    lines: queue.Queue[str] = queue.Queue()
    assert follower.stdout is not None
    reader = threading.Thread(target=lambda: [lines.put(line) for line in follower.stdout or ()])
    reader.start()
    try:
        # the line written before it started shows first: it is following now
        assert "follow: before" in lines.get(timeout=30)
        put(
            deployed,
            WEB_GROUP,
            "web/app/task-1",
            json.dumps({"level": "INFO", "message": "follow: after"}),
        )
        assert "INFO    follow: after" in lines.get(timeout=30)
        assert follower.wait(timeout=30) == 0  # stopped by itself after --for
    finally:
        if follower.poll() is None:
            follower.kill()
        reader.join(timeout=5)
    assert lines.empty()  # each line once
    assert 10 <= time.monotonic() - started < 40
