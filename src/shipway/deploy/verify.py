"""After CloudFormation says done: every ECS service runs the new task definition, steady, and
every web service answers its health check through its URL. A rollback is never silent.

ECS rolls a deployment back on its own (the circuit breaker, or a rollback alarm): the service
then runs its previous task definition again. So a service counts as deployed only when it runs
the task definition this deploy created, its rollout is COMPLETED, and as many tasks run as it
wants.
"""

from __future__ import annotations

import http.client
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from shipway.errors import UserError

if TYPE_CHECKING:
    from collections.abc import Mapping

Clock = Callable[[], float]
Sleep = Callable[[float], None]
POLL_SECONDS = 5.0
EVENTS_SHOWN = 3


class DeployFailedError(UserError):
    """The deploy did not reach the state it asked for; the message names service and cause."""


@dataclass(frozen=True)
class ExpectedService:
    """An ECS service this deploy created or updated, and the task definition it must run."""

    name: str
    cluster: str
    service: str
    task_definition: str


@dataclass(frozen=True)
class ServiceState:
    """One look at a service."""

    name: str
    steady: bool
    running: int
    desired: int
    failure: str | None = None

    def describe(self) -> str:
        return f"{self.name} {self.running}/{self.desired}"


def look(ecs: Any, expected: ExpectedService) -> ServiceState:
    """Where expected stands now: steady, still rolling out, or rolled back (and why)."""
    found = ecs.describe_services(cluster=expected.cluster, services=[expected.service])
    if not found["services"]:
        return ServiceState(expected.name, False, 0, 0, failure="ECS does not know the service")
    service = found["services"][0]
    running, desired = service.get("runningCount", 0), service.get("desiredCount", 0)
    deployments: list[dict[str, Any]] = service.get("deployments", [])
    primary = next((d for d in deployments if d.get("status") == "PRIMARY"), {})
    rollout = primary.get("rolloutState")
    if rollout == "FAILED" or service.get("taskDefinition") != expected.task_definition:
        if rollout == "IN_PROGRESS":  # a rollback under way: wait for its outcome
            return ServiceState(expected.name, False, running, desired)
        reason = primary.get("rolloutStateReason") or "ECS went back to the previous version"
        return ServiceState(expected.name, False, running, desired, failure=_cause(reason, service))
    steady = rollout in (None, "COMPLETED") and running >= desired
    return ServiceState(expected.name, steady, running, desired)


def _cause(reason: str, service: dict[str, Any]) -> str:
    events = [event["message"] for event in service.get("events", [])[:EVENTS_SHOWN]]
    return "; ".join([f"rolled back: {reason}", *events])


def wait_until_steady(
    ecs: Any,
    expected: list[ExpectedService],
    *,
    timeout: float,
    on_progress: Callable[[list[ServiceState]], None] = lambda states: None,
    clock: Clock = time.monotonic,
    sleep: Sleep = time.sleep,
) -> list[ServiceState]:
    """Poll until every service is steady; DeployFailedError on a rollback or the timeout."""
    deadline = clock() + timeout
    while True:
        states = [look(ecs, service) for service in expected]
        on_progress(states)
        failed = [state for state in states if state.failure]
        if failed:
            raise DeployFailedError(
                "; ".join(f"service {state.name} {state.failure}" for state in failed)
            )
        if all(state.steady for state in states):
            return states
        if clock() >= deadline:
            waiting = ", ".join(state.describe() for state in states if not state.steady)
            raise DeployFailedError(
                f"services not steady after {timeout:g} s ({waiting} tasks running): see "
                "their events in the ECS console or 'aws ecs describe-services'"
            )
        sleep(POLL_SECONDS)


@dataclass(frozen=True)
class SmokeTarget:
    """A web service's health check, asked through its public URL."""

    service: str
    url: str
    healthy_codes: str


def accepts(codes: str, status: int) -> bool:
    """True if status is among healthy codes (`200`, `200-299`, `200,204`)."""
    for part in codes.split(","):
        low, _, high = part.partition("-")
        if int(low) <= status <= int(high or low):
            return True
    return False


def smoke_test(
    target: SmokeTarget,
    *,
    timeout: float,
    clock: Clock = time.monotonic,
    sleep: Sleep = time.sleep,
) -> int:
    """GET the health URL until it answers a healthy code (its status), or DeployFailedError."""
    deadline = clock() + timeout
    last = "no answer"
    while True:
        status = _get(target.url)
        if status is not None and accepts(target.healthy_codes, status):
            return status
        last = f"HTTP {status}" if status is not None else last
        if clock() >= deadline:
            raise DeployFailedError(
                f"service {target.service}: smoke test GET {target.url} failed for {timeout:g} s "
                f"(last: {last}; healthy: {target.healthy_codes})"
            )
        sleep(min(POLL_SECONDS, max(deadline - clock(), 0.1)))


def _get(url: str) -> int | None:
    parts = urllib.parse.urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.netloc, timeout=10)
    try:
        connection.request("GET", parts.path or "/")
        return connection.getresponse().status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()


def smoke_base_urls(value: str | None) -> Mapping[str, str]:
    """SHIPWAY_SMOKE_URLS (`web=http://127.0.0.1:18080,api=...`): where to reach a service
    instead of its public URL (a rehearsal, or a network the machine sees privately)."""
    urls: dict[str, str] = {}
    for pair in (value or "").split(","):
        service, separator, url = pair.strip().partition("=")
        if separator and service and url:
            urls[service] = url.rstrip("/")
    return urls
