"""What every capability of one environment shares while it is synthesized."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs

from shipway.manifest import Environment, Manifest
from shipway.network.infrastructure import Network
from shipway.observability.topic import AlarmTopic


@dataclass(frozen=True)
class EnvironmentContext:
    """The environment being built and the shared pieces capabilities attach to."""

    manifest: Manifest
    name: str
    environment: Environment
    network: Network
    key: kms.IKey
    topic: AlarmTopic
    retain: bool
    log_retention: logs.RetentionDays

    def physical_name(self, resource: str) -> str:
        """`<app>-<env>-<resource>`: readable in the console, unique per environment."""
        return f"{self.manifest.name}-{self.name}-{resource}"


class ServiceRuntime(Protocol):
    """What a capability needs from a service that uses it."""

    name: str

    @property
    def task_role(self) -> iam.IRole: ...

    @property
    def execution_role(self) -> iam.IRole: ...

    @property
    def security_group(self) -> ec2.ISecurityGroup: ...

    def add_environment(self, name: str, value: str) -> None: ...

    def add_secret(self, name: str, secret: ecs.Secret) -> None: ...


class Capability(Protocol):
    """A named resource in the manifest that services can list under `uses`."""

    def connect(self, service: ServiceRuntime, access: str) -> None:
        """Grant service exactly what access needs and inject the connection details."""
