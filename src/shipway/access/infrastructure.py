"""The cloud side of `access:`: one read-only role per reviewer, refused after its expiry.

The trust policy allows sts:AssumeRole only while `aws:CurrentTime` is before the end of the
expiry day (DateLessThan), and denies it explicitly from then on, so the role stops working on
time even if nobody deploys. Sessions last at most an hour. Permissions: AWS's ReadOnlyAccess
(kept current by AWS as services appear) minus reading the application's data and secrets
(table items, object contents, secret values, parameters, decryption with the key): a reviewer
sees how the environment is built and runs, not its customers' data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from shipway.access.grants import SESSION_SECONDS, reviewer_roles
from shipway.compliance import acknowledge
from shipway.manifest.names import pascal

if TYPE_CHECKING:
    from shipway.access.grants import ReviewerRole
    from shipway.manifest import EnvironmentPlan

# Data-plane reads ReadOnlyAccess allows that a reviewer of the infrastructure does not need.
DATA_READS = (
    "dynamodb:BatchGetItem",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:GetRecords",
    "dynamodb:PartiQLSelect",
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:GetObjectAttributes",
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "kms:Decrypt",
    "sqs:ReceiveMessage",
)


class ReviewerAccess(Construct):
    """The environment's reviewer roles."""

    def __init__(self, scope: Construct, construct_id: str, *, plan: EnvironmentPlan) -> None:
        super().__init__(scope, construct_id)
        settings = plan.settings
        self.roles = [
            self._role(reviewer)
            for reviewer in reviewer_roles(plan.app, plan.name, settings.account, settings.access)
        ]

    def _role(self, reviewer: ReviewerRole) -> iam.Role:
        principal: iam.ArnPrincipal = (
            iam.AccountPrincipal(reviewer.principal)
            if reviewer.principal.isdigit()
            else iam.ArnPrincipal(reviewer.principal)
        )
        role = iam.Role(
            self,
            pascal(reviewer.name),
            role_name=reviewer.role_name,
            description=f"shipway: read-only review access for {reviewer.principal} until "
            f"{reviewer.not_after}",
            assumed_by=principal.with_conditions(
                {"DateLessThan": {"aws:CurrentTime": reviewer.not_after}}
            ),
            max_session_duration=cdk.Duration.seconds(SESSION_SECONDS),
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("ReadOnlyAccess")],
        )
        assert role.assume_role_policy is not None
        role.assume_role_policy.add_statements(
            iam.PolicyStatement(
                effect=iam.Effect.DENY,
                principals=[principal],
                actions=["sts:AssumeRole"],
                conditions={"DateGreaterThan": {"aws:CurrentTime": reviewer.not_after}},
            )
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(effect=iam.Effect.DENY, actions=list(DATA_READS), resources=["*"])
        )
        acknowledge(
            role,
            "IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/ReadOnlyAccess]",
            "A reviewer's read-only role: AWS's ReadOnlyAccess keeps up with new services and "
            "actions; data reads are denied inline, and the role expires "
            f"{reviewer.not_after}.",
        )
        cdk.Tags.of(role).add("shipway:expires", reviewer.not_after)
        return role
