"""What the capabilities of one environment share while it is synthesized, and how they meet.

Constructs receive their own resolved spec (`shipway.manifest.plan`) and these shared parts;
never the whole manifest, which the CDK app alone reads (through the plan).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs

from shipway.network.infrastructure import Network
from shipway.observability.topic import AlarmTopic

if TYPE_CHECKING:
    from aws_cdk import aws_ec2 as ec2
    from aws_cdk import aws_ecs as ecs
    from aws_cdk import aws_iam as iam


@dataclass(frozen=True)
class Shared:
    """The environment's network, key, alarm topic and lifecycle, which capabilities attach to."""

    app: str
    environment: str
    network: Network
    key: kms.IKey
    topic: AlarmTopic
    retain: bool
    """Keep data when the environment is deleted."""
    protect: bool
    """Refuse deletion of what holds data."""
    log_retention: logs.RetentionDays

    @property
    def label(self) -> str:
        """`<app> in <env>`, for descriptions a person reads in the console."""
        return f"{self.app} in {self.environment}"

    @property
    def zone_count(self) -> int:
        return len(self.network.vpc.availability_zones)


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
