"""A manifest bucket in S3: private, KMS-encrypted, TLS-only, logged; optionally with a loader."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from shipway.compliance import acknowledge, skip_checkov
from shipway.contract import bucket_variable
from shipway.encryption.infrastructure import grant_key_through
from shipway.loader.infrastructure import BucketLoader
from shipway.manifest.names import MAX_BUCKET_NAME
from shipway.observability.log_bucket import LogBucket
from shipway.stack_names import per_stack_name

if TYPE_CHECKING:
    from collections.abc import Mapping

    from shipway.context import ServiceRuntime, Shared
    from shipway.manifest import BucketPlan, BucketSpec, EnvironmentPlan
    from shipway.table.infrastructure import DataTable

READ_ACTIONS = ("s3:GetObject",)
WRITE_ACTIONS = ("s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject")
ACCESS_LOG_DAYS = 365


def build_buckets(
    scope: Construct, plan: EnvironmentPlan, shared: Shared, tables: Mapping[str, DataTable]
) -> dict[str, DataBucket]:
    """Every bucket of the environment's plan; a loader is handed the table it fills."""
    if not plan.buckets:
        return {}
    access_logs = LogBucket(
        scope, "S3AccessLogs", retain=shared.retain, retention_days=ACCESS_LOG_DAYS
    )
    return {
        name: DataBucket(
            scope,
            bucket.construct_id,
            bucket=bucket,
            shared=shared,
            access_logs=access_logs.bucket,
            loader_table=tables[bucket.spec.loader.table] if bucket.spec.loader else None,
        )
        for name, bucket in plan.buckets.items()
    }


class DataBucket(Construct):
    """One manifest bucket; services reach it as `BUCKET_<NAME>`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        bucket: BucketPlan,
        shared: Shared,
        access_logs: s3.IBucket,
        loader_table: DataTable | None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.name, self.spec, self.shared = bucket.name, bucket.spec, shared
        # S3 names are global and buckets outlive failed creates: always the stack's suffix.
        self.physical_name = per_stack_name(bucket.physical_name, MAX_BUCKET_NAME)
        name, spec = bucket.name, bucket.spec
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            bucket_name=self.physical_name,
            encryption=s3.BucketEncryption.KMS,
            encryption_key=shared.key,
            bucket_key_enabled=True,
            enforce_ssl=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            versioned=spec.versioned,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=access_logs,
            server_access_logs_prefix=f"{name}/",
            lifecycle_rules=_lifecycle(spec),
            removal_policy=cdk.RemovalPolicy.RETAIN if shared.retain else cdk.RemovalPolicy.DESTROY,
        )
        if not spec.versioned:
            skip_checkov(
                self.bucket,
                "CKV_AWS_21",
                f"The manifest turns versioning off for bucket {name} "
                f"(buckets.{name}.versioned: false).",
            )
        self.loader = None
        if spec.loader is not None and bucket.loader_name is not None:
            assert loader_table is not None, f"bucket {name}'s loader needs its table"
            self.loader = BucketLoader(
                self,
                "Loader",
                name=name,
                physical_name=bucket.loader_name,
                bucket=self.bucket,
                physical_bucket_name=self.physical_name,
                spec=spec.loader,
                table=loader_table,
                shared=shared,
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
        grant_key_through(principal, self.shared.key, "s3", actions)

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


def _lifecycle(spec: BucketSpec) -> list[s3.LifecycleRule]:
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
