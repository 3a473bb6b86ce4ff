"""After CloudFormation: services steady on the new task definition, rollbacks named, smoke tests.

ECS answers are scripted here (a pure unit test of the decisions); the rehearsal runs the same
code against the moto server.
"""

from __future__ import annotations

import http.server
import threading
from typing import TYPE_CHECKING, Any

import pytest

from shipway.deploy.verify import (
    DeployFailedError,
    ExpectedService,
    SmokeTarget,
    look,
    smoke_base_urls,
    smoke_test,
    wait_until_steady,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

NEW, OLD = "arn:aws:ecs:::task-definition/web:2", "arn:aws:ecs:::task-definition/web:1"
WEB = ExpectedService("web", "cluster", "arn:web", NEW)


class ScriptedEcs:
    """describe_services answers, one per call (the last one repeats)."""

    def __init__(self, *answers: dict[str, Any]) -> None:
        self.answers = list(answers)

    def describe_services(self, cluster: str, services: list[str]) -> dict[str, Any]:
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return {"services": [answer]}


def service(
    definition: str = NEW,
    rollout: str = "COMPLETED",
    running: int = 2,
    desired: int = 2,
    reason: str = "",
    events: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "taskDefinition": definition,
        "runningCount": running,
        "desiredCount": desired,
        "deployments": [
            {"status": "PRIMARY", "rolloutState": rollout, "rolloutStateReason": reason}
        ],
        "events": [{"message": message} for message in events],
    }


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.mark.parametrize(
    ("answer", "steady", "failure"),
    [
        (service(), True, None),
        (service(rollout="IN_PROGRESS", running=1), False, None),
        (service(running=1), False, None),
        (service(definition=OLD, rollout="IN_PROGRESS"), False, None),  # a rollback under way
        (
            service(
                definition=OLD,
                reason="ECS deployment circuit breaker: tasks failed to start.",
                events=("(service web) has started 1 tasks", "(service web) task failed ELB"),
            ),
            False,
            "rolled back: ECS deployment circuit breaker: tasks failed to start.; "
            "(service web) has started 1 tasks; (service web) task failed ELB",
        ),
        (
            service(rollout="FAILED", reason="alarm web-target-5xx in ALARM"),
            False,
            "rolled back: alarm web-target-5xx in ALARM",
        ),
    ],
    ids=["steady", "rolling", "short-of-tasks", "rolling-back", "circuit-breaker", "alarm"],
)
def test_a_look_at_a_service(answer: dict[str, Any], steady: bool, failure: str | None) -> None:
    state = look(ScriptedEcs(answer), WEB)
    assert (state.steady, state.failure) == (steady, failure)


def test_waiting_ends_when_steady_and_reports_progress() -> None:
    ecs = ScriptedEcs(service(rollout="IN_PROGRESS", running=0), service(running=1), service())
    clock, seen = FakeClock(), []
    states = wait_until_steady(
        ecs, [WEB], timeout=60, on_progress=seen.append, clock=clock, sleep=clock.sleep
    )
    assert [state.describe() for state in states] == ["web 2/2"]
    assert len(seen) == 3 and clock.now == 10


def test_a_rollback_fails_the_deploy_naming_service_and_cause() -> None:
    ecs = ScriptedEcs(service(definition=OLD, reason="circuit breaker triggered"))
    clock = FakeClock()
    with pytest.raises(DeployFailedError, match=r"^service web rolled back: circuit breaker"):
        wait_until_steady(ecs, [WEB], timeout=60, clock=clock, sleep=clock.sleep)


def test_a_service_that_never_settles_times_out_with_its_counts() -> None:
    clock = FakeClock()
    with pytest.raises(DeployFailedError, match=r"not steady after 30 s \(web 1/2 tasks"):
        wait_until_steady(
            ScriptedEcs(service(running=1)), [WEB], timeout=30, clock=clock, sleep=clock.sleep
        )


@pytest.fixture
def health_server() -> Iterator[tuple[str, list[int]]]:
    """A real HTTP server answering each GET with the next status of a list."""
    statuses = [503, 503, 200]

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            self.send_response(statuses.pop(0) if len(statuses) > 1 else statuses[0])
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", statuses
    finally:
        server.shutdown()
        server.server_close()


def test_smoke_test_waits_for_a_healthy_answer(health_server: tuple[str, list[int]]) -> None:
    url, _ = health_server
    clock = FakeClock()
    status = smoke_test(
        SmokeTarget("web", url + "/healthz", "200-299"), timeout=60, clock=clock, sleep=clock.sleep
    )
    assert status == 200


def test_smoke_test_fails_with_the_last_answer(health_server: tuple[str, list[int]]) -> None:
    url, statuses = health_server
    statuses[:] = [503]
    clock = FakeClock()
    with pytest.raises(DeployFailedError, match=r"service web: smoke test GET .* \(last: HTTP 503"):
        smoke_test(SmokeTarget("web", url, "200"), timeout=12, clock=clock, sleep=clock.sleep)


def test_smoke_urls_from_the_environment() -> None:
    assert smoke_base_urls("web=http://127.0.0.1:1/, api=http://x:2,junk") == {
        "web": "http://127.0.0.1:1",
        "api": "http://x:2",
    }
    assert smoke_base_urls(None) == {}
