"""What CloudFormation says about a deployed stack: outputs, resources, and why it failed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from shipway.manifest import EnvironmentPlan

FAILED = ("CREATE_FAILED", "UPDATE_FAILED", "DELETE_FAILED")
# The stack's own event that begins an operation (rollbacks and clean-ups belong to one).
STARTED = ("CREATE_IN_PROGRESS", "UPDATE_IN_PROGRESS", "DELETE_IN_PROGRESS")
# Reasons CloudFormation gives for a resource that only failed because another one did.
KNOCK_ON = ("Resource creation cancelled", "Resource update cancelled", "cancelled")


@dataclass(frozen=True)
class Template:
    """A synthesized template, read for what shipway needs to verify a deploy."""

    stack: str
    resources: dict[str, Any]

    @classmethod
    def read(cls, stack: str, path: Path) -> Template:
        return cls(stack, json.loads(path.read_text(encoding="utf-8")).get("Resources", {}))

    def construct_path(self, logical_id: str) -> str:
        """`<stack>/ServiceWeb/Service/Service` from the CDK's metadata, or ''."""
        metadata = self.resources.get(logical_id, {}).get("Metadata", {})
        return str(metadata.get("aws:cdk:path", ""))

    def of_type(self, kind: str) -> list[str]:
        return [name for name, resource in self.resources.items() if resource["Type"] == kind]

    def retained(self) -> list[str]:
        """The logical ids CloudFormation keeps when the stack is deleted."""
        return [
            name
            for name, resource in self.resources.items()
            if resource.get("DeletionPolicy") in {"Retain", "Snapshot", "RetainExceptOnCreate"}
        ]


def service_of(plan: EnvironmentPlan, template: Template, logical_id: str) -> str | None:
    """The manifest service a resource belongs to, from its construct path."""
    parts = template.construct_path(logical_id).split("/")
    if len(parts) < 2:
        return None
    for name, service in plan.services.items():
        if service.construct_id == parts[1]:
            return name
    return None


def outputs(cloudformation: Any, stack: str) -> dict[str, str]:
    """The stack's outputs by key."""
    found = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
    return {output["OutputKey"]: output["OutputValue"] for output in found.get("Outputs", [])}


def physical_ids(cloudformation: Any, stack: str) -> dict[str, str]:
    """Each resource's physical id by logical id."""
    ids: dict[str, str] = {}
    paginator = cloudformation.get_paginator("list_stack_resources")
    for page in paginator.paginate(StackName=stack):
        for resource in page["StackResourceSummaries"]:
            if resource.get("PhysicalResourceId"):
                ids[resource["LogicalResourceId"]] = resource["PhysicalResourceId"]
    return ids


def exists(cloudformation: Any, stack: str) -> bool:
    """True when the stack exists (in any state but deleted)."""
    try:
        cloudformation.describe_stacks(StackName=stack)
    except cloudformation.exceptions.ClientError as error:
        if "does not exist" in str(error):
            return False
        raise
    return True


def failure_causes(
    cloudformation: Any, stack: str, plan: EnvironmentPlan, template: Template
) -> list[str]:
    """Why the latest operation on stack failed: each failed resource's reason, first failure
    first, each named by its manifest service where it has one (knock-on cancellations left
    out)."""
    causes: list[str] = []
    for event in _latest_operation(cloudformation, stack):
        reason = event.get("ResourceStatusReason", "")
        if event["ResourceStatus"] not in FAILED or any(k in reason for k in KNOCK_ON):
            continue
        logical_id = event["LogicalResourceId"]
        service = service_of(plan, template, logical_id)
        owner = f"service {service}" if service else f"{event['ResourceType']} {logical_id}"
        causes.append(f"{owner}: {reason}")
    return causes


def _latest_operation(cloudformation: Any, stack: str) -> list[dict[str, Any]]:
    """The stack's events since its latest operation began, oldest first."""
    events: list[dict[str, Any]] = []
    paginator = cloudformation.get_paginator("describe_stack_events")
    for page in paginator.paginate(StackName=stack):
        for event in page["StackEvents"]:
            events.append(event)
            if event["LogicalResourceId"] == stack and event["ResourceStatus"] in STARTED:
                return list(reversed(events))
    return list(reversed(events))
