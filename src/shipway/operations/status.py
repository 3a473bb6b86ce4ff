"""What a deployed environment is doing now: `shipway status`.

Everything is read from AWS, found by the names shipway gives things (nothing synthesized): the
stack `<app>-<env>` (its state, its outputs' URLs, its ECS cluster), each service by its physical
name in that cluster (tasks running and desired, the primary deployment's rollout state, the task
definition's revision and image tag), and the alarms whose names start with `<app>-<env>-` that
are in ALARM now.
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from shipway.deploy import stacks
from shipway.manifest.names import pascal

if TYPE_CHECKING:
    from shipway.manifest import EnvironmentPlan
    from shipway.operations.aws import Clients

NOT_DEPLOYED = "NOT_DEPLOYED"
SETTLED = ("CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE")
DESCRIBE_BATCH = 10  # ECS describes at most ten services per call


@dataclass(frozen=True)
class ServiceStatus:
    name: str
    found: bool
    running: int = 0
    desired: int = 0
    pending: int = 0
    rollout: str | None = None
    """The primary deployment's rolloutState: COMPLETED, IN_PROGRESS or FAILED."""
    rollout_reason: str | None = None
    revision: int | None = None
    """The task definition's revision the primary deployment runs."""
    image_tag: str | None = None
    url: str | None = None

    @property
    def healthy(self) -> bool:
        return self.found and self.running >= self.desired and self.rollout in (None, "COMPLETED")


@dataclass(frozen=True)
class AlarmStatus:
    name: str
    reason: str
    since: str


@dataclass(frozen=True)
class EnvironmentStatus:
    app: str
    environment: str
    region: str
    stack: str
    stack_status: str
    updated: str | None = None
    services: list[ServiceStatus] = field(default_factory=list)
    alarms: list[AlarmStatus] = field(default_factory=list)
    urls: dict[str, str] = field(default_factory=dict)

    @property
    def healthy(self) -> bool:
        """Settled, every service at its desired count and rolled out, no alarm firing."""
        return (
            self.stack_status in SETTLED
            and all(service.healthy for service in self.services)
            and not self.alarms
        )

    def to_json(self) -> dict[str, Any]:
        document = asdict(self)
        document["healthy"] = self.healthy
        return document


def environment_status(plan: EnvironmentPlan, clients: Clients) -> EnvironmentStatus:
    """The environment as AWS reports it now."""
    cloudformation = clients.client("cloudformation")
    base = functools.partial(
        EnvironmentStatus, plan.app, plan.name, plan.settings.region, plan.stack_name
    )
    if not stacks.exists(cloudformation, plan.stack_name):
        return base(
            stack_status=NOT_DEPLOYED,
            services=[ServiceStatus(name, found=False) for name in plan.services],
        )
    stack = cloudformation.describe_stacks(StackName=plan.stack_name)["Stacks"][0]
    outputs = {item["OutputKey"]: item["OutputValue"] for item in stack.get("Outputs", [])}
    urls = {
        name: outputs[f"{pascal(name)}Url"]
        for name in plan.services
        if f"{pascal(name)}Url" in outputs
    }
    cluster = stack_cluster(cloudformation, plan.stack_name)
    updated = stack.get("LastUpdatedTime") or stack.get("CreationTime")
    return base(
        stack_status=stack["StackStatus"],
        updated=updated.isoformat() if updated is not None else None,
        services=_services(plan, clients, cluster, urls),
        alarms=_firing_alarms(clients.client("cloudwatch"), f"{plan.stack_name}-"),
        urls=urls,
    )


def stack_cluster(cloudformation: Any, stack: str) -> str | None:
    """The ECS cluster of the environment's stack, if it has one."""
    paginator = cloudformation.get_paginator("list_stack_resources")
    for page in paginator.paginate(StackName=stack):
        for resource in page["StackResourceSummaries"]:
            if resource["ResourceType"] == "AWS::ECS::Cluster":
                return str(resource["PhysicalResourceId"])
    return None


def _services(
    plan: EnvironmentPlan, clients: Clients, cluster: str | None, urls: dict[str, str]
) -> list[ServiceStatus]:
    by_physical = {service.physical_name: name for name, service in plan.services.items()}
    found: dict[str, dict[str, Any]] = {}
    definitions: dict[str, str | None] = {}
    if cluster is not None:
        ecs = clients.client("ecs")
        names = list(by_physical)
        for start in range(0, len(names), DESCRIBE_BATCH):
            batch = names[start : start + DESCRIBE_BATCH]
            for service in ecs.describe_services(cluster=cluster, services=batch)["services"]:
                if service.get("status") != "INACTIVE":
                    found[by_physical[service["serviceName"]]] = service
        definitions = _task_definitions(ecs, found.values())
    statuses = []
    for name in plan.services:
        if name not in found:
            statuses.append(ServiceStatus(name, found=False, url=urls.get(name)))
            continue
        service = found[name]
        primary: dict[str, Any] = next(
            (item for item in service.get("deployments", []) if item.get("status") == "PRIMARY"),
            {},
        )
        arn = primary.get("taskDefinition") or service.get("taskDefinition", "")
        statuses.append(
            ServiceStatus(
                name,
                found=True,
                running=service.get("runningCount", 0),
                desired=service.get("desiredCount", 0),
                pending=service.get("pendingCount", 0),
                rollout=primary.get("rolloutState"),
                rollout_reason=primary.get("rolloutStateReason"),
                revision=_revision(arn),
                image_tag=definitions.get(arn),
                url=urls.get(name),
            )
        )
    return statuses


def _task_definitions(ecs: Any, services: Any) -> dict[str, str | None]:
    """Each primary task definition's image tag (of its first, essential container)."""
    tags: dict[str, str | None] = {}
    for service in services:
        for deployment in service.get("deployments", []) or [service]:
            arn = deployment.get("taskDefinition")
            if not arn or arn in tags:
                continue
            definition = ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]
            containers = definition.get("containerDefinitions", [])
            tags[arn] = image_tag(containers[0]["image"]) if containers else None
    return tags


def image_tag(image: str) -> str:
    """`repo:tag` -> tag; `repo@sha256:...` -> the digest; a bare repository -> latest."""
    if "@" in image:
        return image.rsplit("@", 1)[1]
    last = image.rsplit("/", 1)[-1]
    return last.rsplit(":", 1)[1] if ":" in last else "latest"


def _revision(arn: str) -> int | None:
    revision = arn.rsplit(":", 1)[-1] if ":" in arn else ""
    return int(revision) if revision.isdigit() else None


def _firing_alarms(cloudwatch: Any, prefix: str) -> list[AlarmStatus]:
    alarms = []
    paginator = cloudwatch.get_paginator("describe_alarms")
    pages = paginator.paginate(
        AlarmNamePrefix=prefix,
        StateValue="ALARM",
        AlarmTypes=["MetricAlarm", "CompositeAlarm"],
    )
    for page in pages:
        for alarm in [*page.get("MetricAlarms", []), *page.get("CompositeAlarms", [])]:
            if alarm.get("StateValue") != "ALARM":
                continue  # asked for already; some implementations (moto) ignore the filter
            since = alarm.get("StateUpdatedTimestamp")
            alarms.append(
                AlarmStatus(
                    alarm["AlarmName"],
                    alarm.get("StateReason", ""),
                    since.isoformat() if since is not None else "",
                )
            )
    return sorted(alarms, key=lambda alarm: alarm.name)
