"""The task definition: one container, non-root, read-only root filesystem, logs kept."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from shipway.compliance import acknowledge
from shipway.contract import CONTAINER_NAME
from shipway.service.health import container_health_check

if TYPE_CHECKING:
    from shipway.manifest import ServiceSpec

# A jsii static property that mypy reads as a method.
HTTP_PROTOCOL: ecs.AppProtocol = ecs.AppProtocol.http  # type: ignore[assignment]


class ServiceTask(Construct):
    """Task definition, container and log group for one service."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        spec: ServiceSpec,
        image: ecs.ContainerImage,
        key: kms.IKey,
        log_retention: logs.RetentionDays,
    ) -> None:
        super().__init__(scope, construct_id)
        self.log_group = logs.LogGroup(
            self,
            "Logs",
            retention=log_retention,
            encryption_key=key,
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        self.definition = self._definition(spec)
        self.container = self.definition.add_container(
            CONTAINER_NAME,
            image=image,
            essential=True,
            command=spec.command,
            entry_point=spec.entrypoint,
            port_mappings=_port_mappings(spec),
            logging=ecs.LogDrivers.aws_logs(
                stream_prefix=name, log_group=self.log_group, mode=ecs.AwsLogDriverMode.NON_BLOCKING
            ),
            readonly_root_filesystem=spec.readonly_root_filesystem,
            health_check=_health_check(spec),
            user=spec.user,
            environment=dict(spec.environment),
            stop_timeout=cdk.Duration.seconds(30),
            # EC2 tasks reserve their size on the instance; Fargate sizes the whole task.
            memory_limit_mib=spec.memory if spec.compute == "ec2" else None,
            cpu=spec.cpu if spec.compute == "ec2" else None,
        )
        self._writable_tmp()
        acknowledge(
            self.definition.obtain_execution_role(),
            "IAM5[Resource::*]",
            "ecr:GetAuthorizationToken only accepts Resource '*'; every other "
            "statement of the execution role names its repository, log group or secret.",
        )
        acknowledge(
            self.definition,
            "ECS2",
            "Only non-secret configuration is passed as plain "
            "environment variables; secrets go through ECS secrets from Secrets Manager "
            "or SSM (manifest 'secrets' and 'uses').",
        )

    def _definition(self, spec: ServiceSpec) -> ecs.TaskDefinition:
        if spec.compute == "ec2":
            return ecs.Ec2TaskDefinition(self, "Definition", network_mode=ecs.NetworkMode.AWS_VPC)
        return ecs.FargateTaskDefinition(
            self,
            "Definition",
            cpu=spec.cpu,
            memory_limit_mib=spec.memory,
            runtime_platform=ecs.RuntimePlatform(
                cpu_architecture=ecs.CpuArchitecture.X86_64,
                operating_system_family=ecs.OperatingSystemFamily.LINUX,
            ),
        )

    def _writable_tmp(self) -> None:
        # A read-only root filesystem still needs somewhere to write temporary files.
        self.definition.add_volume(name="tmp")
        self.container.add_mount_points(
            ecs.MountPoint(container_path="/tmp", source_volume="tmp", read_only=False)  # noqa: S108
        )


def _port_mappings(spec: ServiceSpec) -> list[ecs.PortMapping]:
    # A worker listens on no port: nothing routes to it, and it calls out only.
    if spec.type == "worker":
        return []
    return [ecs.PortMapping(container_port=spec.port, name="http", app_protocol=HTTP_PROTOCOL)]


def _health_check(spec: ServiceSpec) -> ecs.HealthCheck | None:
    # A worker has no health path to ask: its own `health_check.command` (e.g. the age of a
    # heartbeat file its loop touches) or, without one, ECS replaces it when its process exits.
    if spec.type == "worker" and spec.health_check.command is None:
        return None
    return container_health_check(spec.port, spec.health_check)
