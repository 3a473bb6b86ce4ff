"""The task definition: the service's container (non-root, read-only root filesystem, logs
kept), its sidecars and log router, on the manifest's platform."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3_assets as s3_assets
from constructs import Construct

from shipway.compliance import acknowledge
from shipway.encryption.infrastructure import encrypted_log_group
from shipway.manifest.containers import MAIN_CONTAINER
from shipway.service.health import container_health_check
from shipway.service.sidecars import (
    TMP_VOLUME,
    TaskLogging,
    add_sidecars,
    link_dependencies,
    writable_tmp,
)

if TYPE_CHECKING:
    from pathlib import Path

    from shipway.manifest import ServiceSpec
    from shipway.manifest.containers import Platform

CONTAINER_NAME = MAIN_CONTAINER
ARCHITECTURES = {"x86_64": ecs.CpuArchitecture.X86_64, "arm64": ecs.CpuArchitecture.ARM64}
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
        env_file: Path | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.log_group = encrypted_log_group(
            self,
            "Logs",
            key=key,
            retention=log_retention,
        )
        self.definition = self._definition(spec)
        logging = TaskLogging(name, spec, self.log_group)
        self.container = self.definition.add_container(
            CONTAINER_NAME,
            image=image,
            essential=True,
            command=spec.command,
            entry_point=spec.entrypoint,
            port_mappings=_port_mappings(spec),
            logging=logging.driver(CONTAINER_NAME),
            readonly_root_filesystem=spec.readonly_root_filesystem,
            health_check=_health_check(spec),
            user=spec.user,
            environment=dict(spec.environment),
            environment_files=environment_files(
                self, env_file, self.definition.obtain_execution_role()
            ),
            stop_timeout=cdk.Duration.seconds(30),
            # EC2 tasks reserve their size on the instance; Fargate sizes the whole task.
            memory_limit_mib=spec.memory if spec.compute == "ec2" else None,
            cpu=spec.cpu if spec.compute == "ec2" else None,
        )
        self.definition.add_volume(name=TMP_VOLUME)
        writable_tmp(self.container)
        logging.add_router(self.definition)
        containers = {CONTAINER_NAME: self.container}
        containers |= add_sidecars(self, self.definition, spec, logging)
        link_dependencies(spec, containers)
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
            runtime_platform=runtime_platform(spec.platform),
        )


def runtime_platform(platform: Platform) -> ecs.RuntimePlatform:
    """The task's runtimePlatform: Linux on the manifest's CPU architecture."""
    return ecs.RuntimePlatform(
        cpu_architecture=ARCHITECTURES[platform],
        operating_system_family=ecs.OperatingSystemFamily.LINUX,
    )


def environment_files(
    scope: Construct, env_file: Path | None, execution_role: iam.IRole
) -> list[ecs.EnvironmentFile] | None:
    """The manifest's env file as an S3 asset, which the execution role (ECS reads it before
    the container starts) may read, that object only."""
    if env_file is None:
        return None
    asset = s3_assets.Asset(scope, "EnvFile", path=str(env_file))
    execution_role.add_to_principal_policy(
        iam.PolicyStatement(
            actions=["s3:GetObject"], resources=[asset.bucket.arn_for_objects(asset.s3_object_key)]
        )
    )
    execution_role.add_to_principal_policy(
        iam.PolicyStatement(actions=["s3:GetBucketLocation"], resources=[asset.bucket.bucket_arn])
    )
    return [ecs.EnvironmentFile.from_bucket(asset.bucket, asset.s3_object_key)]


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
