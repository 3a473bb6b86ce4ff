"""Where a pipeline keeps its runs' artifacts: a bucket encrypted with the stack's own key,
TLS-only, access-logged to a log bucket beside it."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3

from shipway.observability.log_bucket import LogBucket

ARTIFACT_DAYS = 90


def pipeline_key(stack: cdk.Stack) -> kms.Key:
    """The stack's rotating key: artifacts, build logs, the notification topic."""
    key = kms.Key(
        stack,
        "Key",
        enable_key_rotation=True,
        description=f"{stack.stack_name}: artifacts, build logs, notifications",
        pending_window=cdk.Duration.days(30),
    )
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid="CloudWatchLogs",
            principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
            actions=["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            resources=["*"],
            conditions={
                "ArnLike": {
                    "kms:EncryptionContext:aws:logs:arn": (
                        f"arn:{stack.partition}:logs:{stack.region}:{stack.account}:*"
                    )
                }
            },
        )
    )
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid="NotificationsToTheEncryptedTopic",
            principals=[iam.ServicePrincipal("codestar-notifications.amazonaws.com")],
            actions=["kms:Decrypt", "kms:GenerateDataKey*"],
            resources=["*"],
            conditions={"StringEquals": {"aws:SourceAccount": stack.account}},
        )
    )
    return key


def artifact_bucket(stack: cdk.Stack, key: kms.IKey) -> s3.Bucket:
    """The runs' artifacts: KMS, TLS-only, private, versioned, access-logged, expiring."""
    access_logs = LogBucket(stack, "AccessLogs", retain=False, retention_days=ARTIFACT_DAYS)
    return s3.Bucket(
        stack,
        "Artifacts",
        encryption=s3.BucketEncryption.KMS,
        encryption_key=key,
        bucket_key_enabled=True,
        enforce_ssl=True,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        versioned=True,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        server_access_logs_bucket=access_logs.bucket,
        server_access_logs_prefix="artifacts/",
        lifecycle_rules=[
            s3.LifecycleRule(
                expiration=cdk.Duration.days(ARTIFACT_DAYS),
                noncurrent_version_expiration=cdk.Duration.days(7),
            )
        ],
        removal_policy=cdk.RemovalPolicy.DESTROY,
        auto_delete_objects=False,
    )
