"""Scheduled jobs in the messaging manifest: the schedule, the state machine that gives a run
its timeout and retries, the Fargate task, the failure alarm and the job's `uses`."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.data.messaging.synthesized import logical_id, messaging_synth, properties

SCHEDULE = "AWS::Scheduler::Schedule"
MACHINE = "AWS::StateMachine"


def _definition(env: str, job: str) -> dict[str, Any]:
    machine = properties(env, "AWS::StepFunctions::StateMachine", f"Job{job}StateMachine")
    parts = machine["DefinitionString"]["Fn::Join"][1]
    text = "".join(part if isinstance(part, str) else "TOKEN" for part in parts)
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@pytest.mark.parametrize(
    ("env", "job", "expression"),
    [
        ("test", "NightlyReport", "cron(0 3 * * ? *)"),
        ("test", "Heartbeat", "rate(15 minutes)"),
        ("prod", "Heartbeat", "rate(5 minutes)"),  # the prod override
    ],
)
def test_the_scheduler_starts_the_job_state_machine_on_its_schedule(
    env: str, job: str, expression: str
) -> None:
    schedule = properties(env, SCHEDULE, f"Job{job}Schedule")
    assert schedule["ScheduleExpression"] == expression
    assert schedule["ScheduleExpressionTimezone"] == "Etc/UTC"
    assert schedule["State"] == "ENABLED"
    assert schedule["KmsKeyArn"] == {
        "Fn::GetAtt": [logical_id(env, "AWS::KMS::Key", "Encryption"), "Arn"]
    }
    target = schedule["Target"]
    assert target["Arn"] == {
        "Ref": logical_id(env, "AWS::StepFunctions::StateMachine", f"Job{job}StateMachine")
    }
    assert target["RetryPolicy"]["MaximumRetryAttempts"] == 0  # retries belong to the run


def test_a_run_is_one_fargate_task_with_the_timeout_and_retries_of_the_manifest() -> None:
    run = _definition("test", "NightlyReport")["States"]["Run"]
    assert run["Resource"] == "arn:TOKEN:states:::ecs:runTask.sync"
    assert run["TimeoutSeconds"] == 600
    assert run["Retry"] == [
        {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 60, "MaxAttempts": 2, "BackoffRate": 2}
    ]
    parameters = run["Parameters"]
    assert parameters["TaskDefinition"] == "relay-test-nightly-report"
    assert parameters["LaunchType"] == "FARGATE"
    assert "AssignPublicIp" not in parameters["NetworkConfiguration"]["AwsvpcConfiguration"]
    assert "Retry" not in _definition("test", "Heartbeat")["States"]["Run"]  # retries: 0


def test_the_state_machine_logs_everything_and_is_traced() -> None:
    machine = properties("test", "AWS::StepFunctions::StateMachine", "JobNightlyReportStateMachine")
    assert machine["StateMachineName"] == "relay-test-nightly-report"
    assert machine["LoggingConfiguration"]["Level"] == "ALL"
    assert machine["TracingConfiguration"] == {"Enabled": True}


def test_the_job_task_runs_the_service_image_with_its_command_and_injected_variables() -> None:
    definition = properties("test", "AWS::ECS::TaskDefinition", "JobNightlyReportDefinition")
    assert (definition["Cpu"], definition["Memory"]) == ("512", "1024")
    assert definition["Family"] == "relay-test-nightly-report"
    container = definition["ContainerDefinitions"][0]
    assert container["Command"] == ["python", "-m", "report"]
    assert container["ReadonlyRootFilesystem"] is True
    assert container["User"] == "10001"
    api = properties("test", "AWS::ECS::TaskDefinition", "ServiceApiTaskDefinition")
    assert container["Image"] == api["ContainerDefinitions"][0]["Image"]  # the same tag
    variables = {entry["Name"]: entry["Value"] for entry in container["Environment"]}
    assert variables["REPORT_FORMAT"] == "csv"
    assert variables["SHIPWAY_SERVICE"] == "nightly-report"
    assert variables["QUEUE_AUDIT_URL"] == {
        "Ref": logical_id("test", "AWS::SQS::Queue", "QueueAuditQueue")
    }
    assert variables["TOPIC_ORDER_EVENTS_ARN"] == {
        "Ref": logical_id("test", "AWS::SNS::Topic", "TopicOrderEvents")
    }
    heartbeat = properties("test", "AWS::ECS::TaskDefinition", "JobHeartbeatDefinition")
    image = heartbeat["ContainerDefinitions"][0]["Image"]
    assert image == "public.ecr.aws/docker/library/busybox:1.37"


def test_a_job_built_from_source_runs_its_own_repository_at_its_content_tag() -> None:
    result = messaging_synth()
    registry = json.loads(result.registry_of("test").template.read_text(encoding="utf-8"))
    repositories = {
        resource["Properties"]["RepositoryName"]
        for resource in registry["Resources"].values()
        if resource["Type"] == "AWS::ECR::Repository"
    }
    assert "relay-test-archive" in repositories  # its own, beside the services'
    assert "ArchiveRepositoryName" in registry["Outputs"]
    definition = properties("test", "AWS::ECS::TaskDefinition", "JobArchiveDefinition")
    image = definition["ContainerDefinitions"][0]["Image"]["Fn::Join"][1]
    tag = image[-1]
    assert isinstance(tag, str) and tag.startswith(":src-")  # a content tag, not a service's
    api = properties("test", "AWS::ECS::TaskDefinition", "ServiceApiTaskDefinition")
    assert api["ContainerDefinitions"][0]["Image"]["Fn::Join"][1][-1] != tag


def test_an_alarm_fires_when_a_run_fails_or_times_out() -> None:
    alarm = properties("test", "AWS::CloudWatch::Alarm", "JobNightlyReportFailedAlarm")
    assert alarm["AlarmName"] == "relay-test-nightly-report-failed"
    assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (0, "GreaterThanThreshold")
    metrics = {metric["Id"]: metric for metric in alarm["Metrics"]}
    assert metrics["expr_1"]["Expression"] == "FILL(failed, 0) + FILL(timed_out, 0)"
    assert metrics["failed"]["MetricStat"]["Metric"]["MetricName"] == "ExecutionsFailed"
    assert metrics["timed_out"]["MetricStat"]["Metric"]["MetricName"] == "ExecutionsTimedOut"
    ticket = logical_id("test", "AWS::SNS::Topic", "AlarmsTicketTopic")
    assert alarm["AlarmActions"] == [{"Ref": ticket}]  # a failed nightly run: a ticket
