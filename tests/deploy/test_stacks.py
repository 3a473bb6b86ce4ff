"""Why a deploy failed, from CloudFormation's events, named by manifest service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shipway.deploy.stacks import Template, failure_causes
from shipway.manifest import load_manifest, resolve

CORE = Path(__file__).resolve().parents[1] / "data" / "core" / "shipway.yml"


class ScriptedEvents:
    """A CloudFormation client whose describe_stack_events pages are given (newest first)."""

    def __init__(self, events: list[dict[str, Any]]) -> None:
        self.events = events

    def get_paginator(self, name: str) -> Any:
        assert name == "describe_stack_events"
        events = self.events

        class Pages:
            def paginate(self, StackName: str) -> list[dict[str, Any]]:  # noqa: N803 - boto3's
                return [{"StackEvents": events}]

        return Pages()


def event(
    logical_id: str, status: str, reason: str = "", kind: str = "AWS::ECS::Service"
) -> dict[str, Any]:
    return {
        "LogicalResourceId": logical_id,
        "ResourceStatus": status,
        "ResourceStatusReason": reason,
        "ResourceType": kind,
    }


def test_failed_resources_are_named_by_service_first_failure_first() -> None:
    plan = resolve(load_manifest(CORE), "test")
    template = Template(
        "storefront-test",
        {
            "ServiceWebService1234": {
                "Type": "AWS::ECS::Service",
                "Metadata": {"aws:cdk:path": "storefront-test/ServiceWeb/Service/Service"},
            },
            "Queue99": {"Type": "AWS::SQS::Queue", "Metadata": {"aws:cdk:path": "x/Queue"}},
        },
    )
    events = [  # newest first, as CloudFormation lists them
        event("storefront-test", "UPDATE_ROLLBACK_COMPLETE", kind="AWS::CloudFormation::Stack"),
        event("Queue99", "UPDATE_FAILED", "Resource update cancelled", "AWS::SQS::Queue"),
        event(
            "ServiceWebService1234",
            "UPDATE_FAILED",
            "Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'.",
        ),
        event("ServiceWebService1234", "UPDATE_IN_PROGRESS"),
        event(
            "storefront-test", "UPDATE_IN_PROGRESS", "User Initiated", "AWS::CloudFormation::Stack"
        ),
        event("ServiceWebService1234", "CREATE_FAILED", "an older operation's failure"),
    ]
    causes = failure_causes(ScriptedEvents(events), "storefront-test", plan, template)
    assert causes == [
        "service web: Error occurred during operation 'ECS Deployment Circuit Breaker was "
        "triggered'."
    ]
