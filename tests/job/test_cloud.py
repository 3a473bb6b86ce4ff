"""`shipway job run NAME --env E`: starting the job's state machine (over the moto server),
following it, and reading the container's exit code from how the execution ended."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import boto3
import pytest

from shipway.errors import UserError
from shipway.job.cloud import follow_run, outcome, start_run, state_machine_arn

if TYPE_CHECKING:
    from shipway.emulators import MotoServer

TASK = {"Containers": [{"Name": "app", "ExitCode": 0}], "StoppedReason": "Essential container"}


def test_a_succeeded_run_exits_with_its_container_code() -> None:
    result = outcome({"status": "SUCCEEDED", "output": json.dumps(TASK)})
    assert (result.status, result.exit_code, result.exit_status) == ("SUCCEEDED", 0, 0)
    assert result.reason == "Essential container"


def test_a_failed_run_exits_with_the_code_in_its_cause() -> None:
    failed = {**TASK, "Containers": [{"Name": "app", "ExitCode": 3}]}
    result = outcome(
        {"status": "FAILED", "error": "States.TaskFailed", "cause": json.dumps(failed)}
    )
    assert (result.exit_code, result.exit_status) == (3, 3)


def test_a_run_that_timed_out_before_its_container_stopped_exits_1() -> None:
    result = outcome({"status": "FAILED", "error": "States.Timeout", "cause": "timed out"})
    assert (result.exit_code, result.exit_status, result.reason) == (None, 1, "States.Timeout")


class Executions:
    """A Step Functions client whose execution reports the given statuses in turn."""

    def __init__(self, *statuses: str) -> None:
        self.statuses = list(statuses)
        self.calls = 0

    def describe_execution(self, executionArn: str) -> dict[str, Any]:  # noqa: N803 - boto3's
        self.calls += 1
        status = self.statuses.pop(0)
        return {"status": status, "output": json.dumps(TASK) if status == "SUCCEEDED" else None}


def test_following_polls_until_the_execution_ends() -> None:
    client = Executions("RUNNING", "RUNNING", "SUCCEEDED")
    waits: list[float] = []
    slept: list[float] = []

    result = follow_run(
        client,  # type: ignore[arg-type]
        "arn:execution",
        on_wait=waits.append,
        poll_seconds=7,
        sleep=slept.append,
    )

    assert result.exit_status == 0
    assert (client.calls, len(waits), slept) == (3, 2, [7, 7])


def test_starting_a_job_that_is_not_deployed_says_so(moto_server: MotoServer) -> None:
    client = boto3.client("stepfunctions", **_moto(moto_server))
    arn = state_machine_arn("us-east-1", "123456789012", "shop-test-nightly")

    with pytest.raises(UserError, match="does not exist: deploy the environment first"):
        start_run(client, arn)


def test_starting_a_deployed_job_starts_one_execution(moto_server: MotoServer) -> None:
    client = boto3.client("stepfunctions", **_moto(moto_server))
    iam = boto3.client("iam", **_moto(moto_server))
    role = iam.create_role(RoleName="runner", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    created = client.create_state_machine(
        name="shop-test-nightly",
        definition=json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}),
        roleArn=role,
    )
    assert created["stateMachineArn"] == state_machine_arn(
        "us-east-1", "123456789012", "shop-test-nightly"
    )

    execution = start_run(client, created["stateMachineArn"])

    listed = client.list_executions(stateMachineArn=created["stateMachineArn"])["executions"]
    assert [entry["executionArn"] for entry in listed] == [execution]


def _moto(server: MotoServer) -> dict[str, str]:
    environment = server.client_environment()
    return {
        "endpoint_url": environment["AWS_ENDPOINT_URL"],
        "region_name": environment["AWS_DEFAULT_REGION"],
        "aws_access_key_id": environment["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": environment["AWS_SECRET_ACCESS_KEY"],
    }
