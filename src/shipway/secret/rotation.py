"""Scheduled rotation of a generated secret by a small Lambda function (no VPC needed)."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from shipway.compliance import acknowledge, skip_checkov
from shipway.encryption.infrastructure import encrypted_log_group

if TYPE_CHECKING:
    from shipway.context import Shared

HANDLER_MODULE = Path(__file__).with_name("rotation_handler.py")


@functools.cache
def rotation_asset() -> Path:
    """A directory holding only the rotation handler (built once per process)."""
    root = Path(tempfile.mkdtemp(prefix="shipway-rotation-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    shutil.copyfile(HANDLER_MODULE, root / HANDLER_MODULE.name)
    return root


class RandomValueRotation(Construct):
    """Replaces a generated secret's value every `days` days."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        secret: secretsmanager.Secret,
        length: int,
        days: int,
        shared: Shared,
    ) -> None:
        super().__init__(scope, construct_id)
        role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="rotates one generated secret",
        )
        self.function = self._function(role, length, shared)
        secret.add_rotation_schedule(
            "Schedule", rotation_lambda=self.function, automatically_after=cdk.Duration.days(days)
        )
        for child in self.function.node.children:  # the invoke permission the schedule added
            if isinstance(child, lambda_.CfnPermission):
                child.source_arn = secret.secret_arn
        self._reasons(role)

    def _function(self, role: iam.Role, length: int, shared: Shared) -> lambda_.Function:
        log_group = encrypted_log_group(
            self,
            "Logs",
            key=shared.key,
            retention=shared.log_retention,
        )
        log_group.grant_write(role)
        return lambda_.Function(
            self,
            "Function",
            runtime=lambda_.Runtime.PYTHON_3_14,
            architecture=lambda_.Architecture.ARM_64,
            handler=f"{HANDLER_MODULE.stem}.handler",
            code=lambda_.Code.from_asset(str(rotation_asset())),
            role=role,
            description="shipway: rotates a generated secret",
            timeout=cdk.Duration.minutes(1),
            reserved_concurrent_executions=1,
            tracing=lambda_.Tracing.ACTIVE,
            environment={"SECRET_LENGTH": str(length)},
            environment_encryption=shared.key,
            log_group=log_group,
        )

    def _reasons(self, role: iam.Role) -> None:
        acknowledge(
            role,
            "IAM5[Resource::*]",
            "secretsmanager:GetRandomPassword and X-Ray's "
            "PutTraceSegments accept only Resource '*'.",
        )
        skip_checkov(
            self.function,
            "CKV_AWS_117",
            "The function only calls the Secrets Manager "
            "API; it reaches no resource inside the VPC.",
        )
        skip_checkov(
            self.function,
            "CKV_AWS_116",
            "Secrets Manager invokes rotation "
            "synchronously and retries failed steps; an async DLQ would stay empty.",
        )
