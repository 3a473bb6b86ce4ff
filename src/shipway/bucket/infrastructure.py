"""A manifest bucket in S3: private, KMS-encrypted, TLS-only, logged; optionally with a loader."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from shipway.compliance import acknowledge, skip_checkov
from shipway.encryption.infrastructure import grant_key_through
from shipway.loader.infrastructure import BucketLoader
from shipway.observability.log_bucket import LogBucket
from shipway.service.wiring import bucket_variable
from shipway.table.infrastructure import table_in

if TYPE_CHECKING:
    from shipway.context import Capability, EnvironmentContext, ServiceRuntime
    from shipway.manifest import Bucket

READ_ACTIONS = ("s3:GetObject",)
WRITE_ACTIONS = ("s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject")
ACCESS_LOG_DAYS = 365
MAX_NAME = 63


def build_buckets(scope: Construct, context: EnvironmentContext) -> dict[str, Capability]:
    """Every bucket of the manifest (and their loaders) for one environment; tables first."""
    buckets = context.manifest.application.buckets
    if not buckets:
        return {}
    access_logs = LogBucket(
        scope, "BucketAccessLogs", retain=context.retain, retention_days=ACCESS_LOG_DAYS
    )
    return {
        name: DataBucket(
            scope,
            "Bucket" + name.title().replace("-", ""),
            name=name,
            spec=spec,
            context=context,
            access_logs=access_logs.bucket,
        )
        for name, spec in buckets.items()
    }


def bucket_name(context: EnvironmentContext, name: str) -> str:
    """`<app>-<env>-<name>-<account>-<region>`: readable and unique; shortened with a hash."""
    environment = context.environment
    suffix = f"-{environment.account}-{environment.region}"
    full = f"{context.physical_name(name)}{suffix}".lower()
    if len(full) <= MAX_NAME:
        return full
    digest = hashlib.sha256(full.encode()).hexdigest()[:8]
    head = context.physical_name(name).lower()[: MAX_NAME - len(suffix) - len(digest) - 1]
    return f"{head.rstrip('-')}-{digest}{suffix}"


class DataBucket(Construct):
    """One manifest bucket; services reach it as `BUCKET_<NAME>`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        spec: Bucket,
        context: EnvironmentContext,
        access_logs: s3.IBucket,
    ) -> None:
        super().__init__(scope, construct_id)
        self.name, self.spec, self.context = name, spec, context
        self.physical_name = bucket_name(context, name)
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            bucket_name=self.physical_name,
            encryption=s3.BucketEncryption.KMS,
            encryption_key=context.key,
            bucket_key_enabled=True,
            enforce_ssl=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            versioned=spec.versioned,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=access_logs,
            server_access_logs_prefix=f"{name}/",
            lifecycle_rules=_lifecycle(spec),
            removal_policy=cdk.RemovalPolicy.RETAIN
            if context.retain
            else cdk.RemovalPolicy.DESTROY,
        )
        if not spec.versioned:
            skip_checkov(
                self.bucket,
                "CKV_AWS_21",
                f"The manifest turns versioning off for bucket {name} "
                f"(buckets.{name}.versioned: false).",
            )
        self.loader = self._loader() if spec.loader is not None else None

    def _loader(self) -> BucketLoader:
        assert self.spec.loader is not None
        return BucketLoader(
            self,
            "Loader",
            name=self.name,
            bucket=self.bucket,
            physical_bucket_name=self.physical_name,
            spec=self.spec.loader,
            table=table_in(self, self.spec.loader.table),
            context=self.context,
        )

    @property
    def objects_arn(self) -> str:
        return self.bucket.arn_for_objects("*")

    def objects_nag_id(self) -> str:
        """How cdk-nag names this bucket's `<arn>/*` in a granular IAM5 finding."""
        child = self.bucket.node.default_child
        assert isinstance(child, cdk.CfnElement)
        return f"Resource::<{cdk.Stack.of(self).get_logical_id(child)}.Arn>/*"

    def grant(self, principal: iam.IGrantable, access: str) -> None:
        """List and read (`read`), or also write and delete (`read_write`), objects."""
        write = access != "read"
        policy = principal.grant_principal
        policy.add_to_principal_policy(
            iam.PolicyStatement(actions=["s3:ListBucket"], resources=[self.bucket.bucket_arn])
        )
        policy.add_to_principal_policy(
            iam.PolicyStatement(
                actions=[*READ_ACTIONS, *(WRITE_ACTIONS if write else ())],
                resources=[self.objects_arn],
            )
        )
        self.grant_key(
            principal, ("kms:Decrypt", "kms:GenerateDataKey") if write else ("kms:Decrypt",)
        )

    def grant_key(self, principal: iam.IGrantable, actions: tuple[str, ...]) -> None:
        """The key actions S3 performs for principal on this bucket's objects."""
        grant_key_through(principal, self.context.key, "s3", actions)

    def connect(self, service: ServiceRuntime, access: str) -> None:
        """`BUCKET_<NAME>` and read or read/write access to its objects."""
        service.add_environment(bucket_variable(self.name), self.bucket.bucket_name)
        self.grant(service.task_role, access)
        acknowledge(
            service.task_role,
            f"IAM5[{self.objects_nag_id()}]",
            f"Service {service.name} reads{'' if access == 'read' else ' and writes'} "
            f"objects under any key of bucket {self.name}, which only it and the "
            "loader use; object ARNs need the '/*'.",
        )


def _lifecycle(spec: Bucket) -> list[s3.LifecycleRule]:
    rules = [
        s3.LifecycleRule(
            id="abort-incomplete-uploads",
            abort_incomplete_multipart_upload_after=cdk.Duration.days(7),
        )
    ]
    if spec.versioned:
        rules.append(
            s3.LifecycleRule(
                id="expire-noncurrent-versions",
                noncurrent_version_expiration=cdk.Duration.days(spec.expire_noncurrent_days),
            )
        )
    return rules
