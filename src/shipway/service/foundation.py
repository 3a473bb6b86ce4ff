"""What every kind of service is built on: placement, image, task, security group, identity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from shipway.cluster.infrastructure import Cluster
from shipway.contract import PORT_VARIABLE, identity_variables
from shipway.deploy.images import ImageReference
from shipway.ecs_exec.infrastructure import ExecSessions
from shipway.ingress.firewall import WebFirewall
from shipway.ingress.infrastructure import PublicLoadBalancer
from shipway.observability.topic import AlarmTopic
from shipway.service.image import ServiceImage
from shipway.service.secrets import add_manifest_secrets
from shipway.service.task import ServiceTask

if TYPE_CHECKING:
    from shipway.manifest import ServicePlan


@dataclass(frozen=True)
class ServicePlacement:
    """Where a service runs and what it shares with the rest of its environment."""

    cluster: Cluster
    load_balancer: PublicLoadBalancer | None
    firewall: WebFirewall | None
    route_priority: int
    topic: AlarmTopic
    key: kms.IKey
    log_retention: logs.RetentionDays
    image: ImageReference
    repository: ecr.IRepository | None
    """The service's repository in the environment's registry, if it is built from source."""
    retain: bool
    application: str
    environment: str
    exec_sessions: ExecSessions | None = None
    """The cluster's ECS Exec settings, when a service of the environment has exec on."""

    def runtime_variables(self, service: str, port: int) -> dict[str, str]:
        """The identity and port every service receives (docs/wiring.md)."""
        return {
            PORT_VARIABLE: str(port),
            **identity_variables(self.application, self.environment, service),
        }


class ServiceFoundation(Construct):
    """The image (and its repository), the task with its roles and logs, the security group."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        service: ServicePlan,
        placement: ServicePlacement,
        description: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self.name, self.spec, self.placement = service.name, service.spec, placement
        self.physical_name = service.physical_name
        name, spec = service.name, service.spec
        self.image = ServiceImage(
            self, "Image", reference=placement.image, repository=placement.repository
        )
        self.task = ServiceTask(
            self,
            "Task",
            name=name,
            spec=spec,
            image=self.image.image,
            key=placement.key,
            log_retention=placement.log_retention,
            env_file=service.env_file,
        )
        self.security_group = ec2.SecurityGroup(
            self, "SecurityGroup", vpc=placement.cluster.network.vpc, description=description
        )

    @property
    def task_role(self) -> iam.IRole:
        return self.task.definition.task_role

    @property
    def execution_role(self) -> iam.IRole:
        return self.task.definition.obtain_execution_role()

    def add_environment(self, name: str, value: str) -> None:
        raise NotImplementedError

    def add_secret(self, name: str, secret: ecs.Secret) -> None:
        raise NotImplementedError

    def inject_own_configuration(self) -> None:
        """The manifest's `secrets:` and the identity variables, once the service exists."""
        add_manifest_secrets(self, self, self.spec.secrets)
        variables = self.placement.runtime_variables(self.name, self.spec.port)
        if self.spec.type == "worker":  # it listens on no port
            del variables[PORT_VARIABLE]
        for variable, value in variables.items():
            self.add_environment(variable, value)
