"""The environment's KMS key, usable by the AWS services that write encrypted data for us."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

# Services that encrypt on our behalf with this key: log delivery, alarm notifications to an
# encrypted topic, and S3 event notifications to an encrypted queue.
SERVICE_PRINCIPALS = ("cloudwatch.amazonaws.com", "s3.amazonaws.com", "events.amazonaws.com")


class EnvironmentKey(Construct):
    """A rotating KMS key; deletion waits the maximum window so a mistake can be undone."""

    def __init__(self, scope: Construct, construct_id: str, *, retain: bool) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        self.key = kms.Key(
            self,
            "Key",
            enable_key_rotation=True,
            description=f"{stack.stack_name} data key",
            pending_window=cdk.Duration.days(30),
            removal_policy=cdk.RemovalPolicy.RETAIN if retain else cdk.RemovalPolicy.DESTROY,
        )
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchLogs",
                principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
                actions=[
                    "kms:Encrypt*",
                    "kms:Decrypt*",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                    "kms:Describe*",
                ],
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
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AwsServicesPublishing",
                principals=[iam.ServicePrincipal(name) for name in SERVICE_PRINCIPALS],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],
                conditions={"StringEquals": {"aws:SourceAccount": stack.account}},
            )
        )


def grant_key_through(
    principal: iam.IGrantable, key: kms.IKey, service: str, actions: tuple[str, ...]
) -> None:
    """Let principal use key only when an AWS service (e.g. `s3`, `dynamodb`) calls for it."""
    region = cdk.Stack.of(key).region
    principal.grant_principal.add_to_principal_policy(
        iam.PolicyStatement(
            actions=list(actions),
            resources=[key.key_arn],
            conditions={"StringEquals": {"kms:ViaService": f"{service}.{region}.amazonaws.com"}},
        )
    )


def encrypted_log_group(
    scope: Construct,
    construct_id: str,
    *,
    key: kms.IKey,
    retention: logs.RetentionDays,
    log_group_name: str | None = None,
) -> logs.LogGroup:
    """A log group encrypted with the environment's key, deleted with the stack: logs are
    kept for their retention, not beyond the environment."""
    return logs.LogGroup(
        scope,
        construct_id,
        log_group_name=log_group_name,
        retention=retention,
        encryption_key=key,
        removal_policy=cdk.RemovalPolicy.DESTROY,
    )
