"""What deploying one environment with shipway may do in AWS, as IAM statements: the same for a
GitHub Actions job's role and a CodePipeline CodeBuild project's role.

Deploying goes through the CDK bootstrap roles of the environment's account and region (they
deploy); shipway itself pushes images to the application's repositories and reads what it
verifies (its stacks, its ECS services). Every wildcard resource is the narrowest one possible,
and why is kept beside it for cdk-nag's acknowledgement.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import aws_iam as iam

from shipway.compliance import acknowledge
from shipway.image.built import built_from_source, built_workload, workload_kind
from shipway.image.infrastructure import registry_stack_name

if TYPE_CHECKING:
    from constructs import IConstruct

    from shipway.manifest import EnvironmentPlan

CDK_QUALIFIER = "hnb659fds"
CDK_ROLES = ("deploy", "file-publishing", "image-publishing", "lookup")
ECR_PUSH = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:CompleteLayerUpload",
    "ecr:DescribeImages",
    "ecr:DescribeRepositories",
    "ecr:InitiateLayerUpload",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
]
STACK_READ = [
    "cloudformation:DescribeStackEvents",
    "cloudformation:DescribeStackResources",
    "cloudformation:DescribeStacks",
    "cloudformation:GetTemplate",
]


class DeployPermissions:
    """The statements of one environment's deploy (and diff) roles, and why each wildcard."""

    def __init__(self, plan: EnvironmentPlan) -> None:
        self.plan = plan
        self.wildcards: dict[str, str] = {}

    def acknowledge_wildcards(
        self, construct: IConstruct, statements: list[iam.PolicyStatement]
    ) -> None:
        """Acknowledge, on construct, cdk-nag's IAM5 for each wildcard statements name."""
        named = {resource for statement in statements for resource in statement.resources}
        for resource, reason in self.wildcards.items():
            if resource in named:
                acknowledge(construct, f"IAM5[Resource::{resource}]", reason)

    def _wild(self, resource: str, reason: str) -> str:
        self.wildcards[resource] = reason
        return resource

    def _arn(self, service: str, resource: str) -> str:
        settings = self.plan.settings
        return f"arn:aws:{service}:{settings.region}:{settings.account}:{resource}"

    def cdk_roles(self, kinds: tuple[str, ...] = CDK_ROLES) -> list[str]:
        """The ARNs of the environment's CDK bootstrap roles of kinds."""
        settings = self.plan.settings
        return [
            f"arn:aws:iam::{settings.account}:role/cdk-{CDK_QUALIFIER}-{kind}-role-"
            f"{settings.account}-{settings.region}"
            for kind in kinds
        ]

    def _stacks(self) -> list[str]:
        names = [self.plan.stack_name, registry_stack_name(self.plan), "CDKToolkit"]
        return [
            self._wild(
                self._arn("cloudformation", f"stack/{name}/*"),
                f"stack {name} by name; the ARN's last part is the id of each creation",
            )
            for name in names
        ]

    def deploy_statements(self) -> list[iam.PolicyStatement]:
        """Deploy through the CDK, push the environment's images, verify its services."""
        plan = self.plan
        statements = [
            iam.PolicyStatement(
                sid="DeployThroughTheCdkBootstrapRoles",
                actions=["sts:AssumeRole", "sts:TagSession"],
                resources=self.cdk_roles(),
            ),
            iam.PolicyStatement(
                sid="ReadTheApplicationsStacks", actions=STACK_READ, resources=self._stacks()
            ),
            iam.PolicyStatement(
                sid="VerifyTheServices",
                actions=["ecs:DescribeServices"],
                resources=[
                    self._wild(
                        self._arn("ecs", f"service/*/{plan.stack_name}-*"),
                        "the environment's services (named <app>-<env>-<service>) in its "
                        "cluster, whose name CloudFormation generates",
                    )
                ],
            ),
        ]
        return statements + self.push_statements()

    def push_statements(self) -> list[iam.PolicyStatement]:
        """Log in to ECR and push to the environment's repositories (none: nothing to push)."""
        repositories = [
            self._wild(
                self._arn("ecr", f"repository/{built_workload(self.plan, name).physical_name}*"),
                f"{workload_kind(self.plan, name)} {name}'s repository; a kept one's name ends "
                "in its stack's id",
            )
            for name in built_from_source(self.plan)
        ]
        if not repositories:
            return []
        return [
            iam.PolicyStatement(
                sid="LogInToEcr",
                actions=["ecr:GetAuthorizationToken"],
                resources=[self._wild("*", "ecr:GetAuthorizationToken acts on no resource")],
            ),
            iam.PolicyStatement(
                sid="PushToTheApplicationsRepositories", actions=ECR_PUSH, resources=repositories
            ),
        ]

    def diff_statements(self) -> list[iam.PolicyStatement]:
        """Read only: the CDK lookup role and the application's stacks."""
        return [
            iam.PolicyStatement(
                sid="ReadThroughTheCdkLookupRole",
                actions=["sts:AssumeRole", "sts:TagSession"],
                resources=self.cdk_roles(("lookup",)),
            ),
            iam.PolicyStatement(
                sid="ReadTheApplicationsStacks",
                actions=["cloudformation:DescribeStacks", "cloudformation:GetTemplate"],
                resources=self._stacks(),
            ),
        ]
