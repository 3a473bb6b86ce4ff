"""`shipway exec SERVICE --env E`: ECS ExecuteCommand into a running task, handed to the Session
Manager plugin exactly as the AWS CLI hands it (`aws ecs execute-command --interactive`)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from shipway.deploy import stacks
from shipway.errors import UserError
from shipway.manifest.containers import MAIN_CONTAINER
from shipway.operations.status import stack_cluster

if TYPE_CHECKING:
    from collections.abc import Iterator

    from shipway.manifest import EnvironmentPlan, ServicePlan
    from shipway.operations.aws import Clients

PLUGIN = "session-manager-plugin"
PLUGIN_INSTALL = (
    "https://docs.aws.amazon.com/systems-manager/latest/userguide/"
    "session-manager-working-with-install-plugin.html"
)


@dataclass(frozen=True)
class ExecRequest:
    """What to run, where: a service of the plan, optionally one task and one container."""

    service: str
    command: str = "/bin/sh"
    container: str = MAIN_CONTAINER
    task: str | None = None


def exec_plan_service(plan: EnvironmentPlan, name: str) -> ServicePlan:
    """The service, if the manifest has it and ECS Exec is on for it in this environment."""
    service = plan.services.get(name)
    if service is None:
        listing = ", ".join(plan.services) or "none"
        raise UserError(f"there is no service '{name}' in the manifest (services: {listing})")
    if service.execute_command:
        return service
    if service.spec.compute == "express":
        raise UserError(
            f"service '{name}' runs on ECS Express Mode, which has no ECS Exec; use "
            "compute: fargate to reach its tasks"
        )
    raise UserError(
        f"ECS Exec is off for service '{name}' in {plan.name}: set services.{name}.exec: true "
        f"(or services.{name}.environments.{plan.name}.exec: true) and deploy"
    )


def session_plugin() -> str:
    """The Session Manager plugin's path, or how to install it."""
    found = shutil.which(PLUGIN)
    if found is None:
        raise UserError(
            f"the Session Manager plugin ({PLUGIN}) is not on PATH; ECS Exec needs it to carry "
            f"the session: install it ({PLUGIN_INSTALL}), then run this again"
        )
    return found


def open_session(plan: EnvironmentPlan, clients: Clients, request: ExecRequest) -> int:
    """Run request's command in a running task of the service; the plugin's exit status."""
    service = exec_plan_service(plan, request.service)
    plugin = session_plugin()
    cluster = _cluster(plan, clients)
    ecs = clients.client("ecs")
    task = _chosen_task(ecs, cluster, service.physical_name, request)
    container = _container(task, request.container)
    response = ecs.execute_command(
        cluster=cluster,
        task=task["taskArn"],
        container=request.container,
        command=request.command,
        interactive=True,
    )
    target = f"ecs:{_tail(cluster)}_{_tail(task['taskArn'])}_{container.get('runtimeId', '')}"
    argv = [
        plugin,
        json.dumps(response["session"]),
        plan.settings.region,
        "StartSession",
        _profile(),
        json.dumps({"Target": target}),
        ecs.meta.endpoint_url,
    ]
    # Ctrl-C belongs to the remote shell: the plugin (which installs its own handler) forwards
    # it, and shipway must not die of it. The AWS CLI ignores it around the plugin the same way.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return subprocess.call(argv)  # noqa: S603 - the plugin found on PATH, arguments as the AWS CLI
    finally:
        signal.signal(signal.SIGINT, previous)


def _cluster(plan: EnvironmentPlan, clients: Clients) -> str:
    cloudformation = clients.client("cloudformation")
    if not stacks.exists(cloudformation, plan.stack_name):
        raise UserError(
            f"environment '{plan.name}' is not deployed: no stack {plan.stack_name} in "
            f"{plan.settings.region}; run shipway deploy --env {plan.name}"
        )
    cluster = stack_cluster(cloudformation, plan.stack_name)
    if cluster is None:
        raise UserError(f"stack {plan.stack_name} has no ECS cluster; deploy it again")
    return cluster


def _chosen_task(ecs: Any, cluster: str, physical: str, request: ExecRequest) -> dict[str, Any]:
    """The task asked for, else the most recently started running task of the service."""
    running = list(_running_tasks(ecs, cluster, physical))
    if request.task is not None:
        chosen = [task for task in running if _tail(task["taskArn"]) == _tail(request.task)]
        if not chosen:
            listing = ", ".join(_tail(task["taskArn"]) for task in running) or "none"
            raise UserError(
                f"task {request.task} is not a running task of service '{request.service}' "
                f"({physical}); its running tasks: {listing}"
            )
        task = chosen[0]
    elif not running:
        raise UserError(
            f"service '{request.service}' ({physical}) has no running task to exec into; see "
            "shipway status for why"
        )
    else:
        task = max(running, key=lambda found: str(found.get("startedAt", "")))
    if task.get("enableExecuteCommand") is False:
        raise UserError(
            f"task {_tail(task['taskArn'])} of service '{request.service}' started before ECS "
            "Exec was on; start new tasks: aws ecs update-service --cluster "
            f"{_tail(cluster)} --service {physical} --force-new-deployment"
        )
    return task


def _running_tasks(ecs: Any, cluster: str, physical: str) -> Iterator[dict[str, Any]]:
    arns: list[str] = []
    paginator = ecs.get_paginator("list_tasks")
    for page in paginator.paginate(cluster=cluster, serviceName=physical, desiredStatus="RUNNING"):
        arns += page["taskArns"]
    for start in range(0, len(arns), 100):  # DescribeTasks takes at most 100
        described = ecs.describe_tasks(cluster=cluster, tasks=arns[start : start + 100])
        for task in described["tasks"]:
            # A service's tasks are in its group; this also keeps others' tasks out.
            if task.get("group") == f"service:{physical}" and task.get("lastStatus") == "RUNNING":
                yield task


def _container(task: dict[str, Any], name: str) -> dict[str, Any]:
    containers: dict[str, dict[str, Any]] = {
        container["name"]: container for container in task.get("containers", [])
    }
    if name not in containers:
        listing = ", ".join(sorted(containers)) or "none"
        raise UserError(
            f"task {_tail(task['taskArn'])} has no container '{name}' (its containers: {listing})"
        )
    return containers[name]


def _profile() -> str:
    """The named profile boto3 uses, as the AWS CLI passes it ('' when none is named)."""
    return os.environ.get("AWS_PROFILE") or os.environ.get("AWS_DEFAULT_PROFILE") or ""


def _tail(arn: str) -> str:
    """A task's or cluster's id: the last part of its ARN (or the id itself)."""
    return arn.rsplit("/", 1)[-1]
