"""`shipway job run NAME --env E`: one run of a deployed job, followed to its exit code.

It starts an execution of the job's state machine (`<app>-<env>-<job>`), the same path its
schedule takes, so the run has the job's timeout and retries; then it polls the execution until
it ends and reads the task's exit code from its output (or from the failure's cause).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from shipway.errors import UserError

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_stepfunctions import SFNClient

POLL_SECONDS = 5.0
FINISHED = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}


@dataclass(frozen=True)
class RunOutcome:
    """How one execution ended and the exit code of the job's container, if it stopped."""

    status: str
    exit_code: int | None
    reason: str

    @property
    def exit_status(self) -> int:
        """What `shipway job run` exits with: the container's code, else 1 if it failed."""
        if self.exit_code is not None:
            return self.exit_code
        return 0 if self.status == "SUCCEEDED" else 1


def state_machine_arn(region: str, account: str, physical_name: str) -> str:
    """The ARN of the job's state machine (named `<app>-<env>-<job>` by the stack)."""
    return f"arn:aws:states:{region}:{account}:stateMachine:{physical_name}"


def start_run(client: SFNClient, machine_arn: str) -> str:
    """Start one execution; its ARN. A clear error when the job is not deployed."""
    try:
        return client.start_execution(stateMachineArn=machine_arn)["executionArn"]
    except client.exceptions.StateMachineDoesNotExist:
        raise UserError(
            f"{machine_arn} does not exist: deploy the environment first (shipway deploy)"
        ) from None


def follow_run(
    client: SFNClient,
    execution_arn: str,
    *,
    on_wait: Callable[[float], None] = lambda waited: None,
    poll_seconds: float = POLL_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> RunOutcome:
    """Poll the execution until it ends; its outcome."""
    started = time.monotonic()
    while True:
        execution = client.describe_execution(executionArn=execution_arn)
        if execution["status"] in FINISHED:
            return outcome(dict(execution))
        on_wait(time.monotonic() - started)
        sleep(poll_seconds)  # polling AWS: there is no push notification to wait on


def outcome(execution: dict[str, Any]) -> RunOutcome:
    """The outcome of a finished execution, from its output or its failure's cause."""
    status = str(execution["status"])
    task = _json(execution.get("output")) or _json(execution.get("cause")) or {}
    codes = [
        container["ExitCode"]
        for container in task.get("Containers", [])
        if isinstance(container.get("ExitCode"), int)
    ]
    reason = str(task.get("StoppedReason") or execution.get("error") or status)
    return RunOutcome(status, codes[0] if codes else None, reason)


def _json(text: object) -> dict[str, Any] | None:
    if not isinstance(text, str):
        return None
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError:
        return None
    return loaded if isinstance(loaded, dict) else None
