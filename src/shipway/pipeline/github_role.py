"""The AWS side of the GitHub workflows: GitHub's OpenID Connect provider and the roles its jobs
assume, in a stack of their own (`<app>-<env>-github`), created once per environment by an
administrator (`shipway pipeline github --bootstrap --env E --deploy`).

- The deploy role trusts only `repo:OWNER/REPO:environment:ENV`: a job of that repository bound
  to the GitHub environment of the same name (whose protection rules, e.g. required reviewers,
  run first). It may assume the CDK bootstrap roles (they deploy), push to the environment's
  image repositories, and read what `shipway deploy` reads to verify (its stacks, its services).
- The diff role (first environment only) trusts the repository's pull requests and may only read:
  the CDK lookup role (ReadOnlyAccess) and the application's stacks.

The account needs `cdk bootstrap` first (the default qualifier). An account holds one provider per
URL: the second environment bootstrapped in one account passes `--existing-provider`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_iam as iam

from shipway.compliance import acknowledge
from shipway.compliance.checked_app import checked_app
from shipway.image.infrastructure import built_from_source, registry_stack_name
from shipway.pipeline.github import deploy_role_name, diff_role_name

if TYPE_CHECKING:
    from pathlib import Path

    from constructs import Construct

    from shipway.manifest import EnvironmentPlan

GITHUB_ISSUER = "token.actions.githubusercontent.com"
AUDIENCE = "sts.amazonaws.com"
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


def github_stack_name(plan: EnvironmentPlan) -> str:
    return f"{plan.stack_name}-github"


class GithubDeployStack(cdk.Stack):
    """GitHub's OIDC provider (or the account's existing one) and the roles its jobs assume."""

    def __init__(
        self,
        scope: Construct,
        *,
        plan: EnvironmentPlan,
        repository: str,
        diff: bool,
        existing_provider: bool = False,
    ) -> None:
        settings = plan.settings
        super().__init__(
            scope,
            github_stack_name(plan),
            env=cdk.Environment(account=settings.account, region=settings.region),
            description=f"shipway: GitHub Actions deploy role of {plan.app} in {plan.name} "
            f"({repository})",
        )
        self.plan = plan
        # Each wildcard resource a role's policy names, and why it is the narrowest possible.
        self.wildcards: dict[str, str] = {}
        provider_arn = f"arn:aws:iam::{settings.account}:oidc-provider/{GITHUB_ISSUER}"
        if not existing_provider:
            provider = iam.CfnOIDCProvider(
                self,
                "GithubProvider",
                url=f"https://{GITHUB_ISSUER}",
                client_id_list=[AUDIENCE],
            )
            provider_arn = provider.attr_arn
        self.deploy_role = self._role(
            "DeployRole",
            deploy_role_name(plan.app, plan.name),
            provider_arn,
            f"repo:{repository}:environment:{plan.name}",
            self._deploy_statements(),
            f"GitHub Actions jobs of {repository} in its '{plan.name}' environment deploy "
            f"{plan.app}",
        )
        self.diff_role = None
        if diff:
            self.diff_role = self._role(
                "DiffRole",
                diff_role_name(plan.app, plan.name),
                provider_arn,
                f"repo:{repository}:pull_request",
                self._diff_statements(),
                f"pull requests of {repository} diff {plan.app}'s {plan.name} (read-only)",
            )
        cdk.CfnOutput(self, "DeployRoleArn", value=self.deploy_role.role_arn)
        if self.diff_role is not None:
            cdk.CfnOutput(self, "DiffRoleArn", value=self.diff_role.role_arn)

    def _role(
        self,
        construct_id: str,
        name: str,
        provider_arn: str,
        subject: str,
        statements: list[iam.PolicyStatement],
        description: str,
    ) -> iam.Role:
        principal = iam.FederatedPrincipal(
            provider_arn,
            {"StringEquals": {f"{GITHUB_ISSUER}:aud": AUDIENCE, f"{GITHUB_ISSUER}:sub": subject}},
            "sts:AssumeRoleWithWebIdentity",
        )
        role = iam.Role(
            self,
            construct_id,
            role_name=name,
            assumed_by=principal,
            description=description,
            max_session_duration=cdk.Duration.hours(1),
            inline_policies={"shipway": iam.PolicyDocument(statements=statements)},
        )
        named = {resource for statement in statements for resource in statement.resources}
        for resource, reason in self.wildcards.items():
            if resource in named:
                acknowledge(role, f"IAM5[Resource::{resource}]", reason)
        return role

    def _wild(self, resource: str, reason: str) -> str:
        self.wildcards[resource] = reason
        return resource

    def _arn(self, service: str, resource: str) -> str:
        settings = self.plan.settings
        return f"arn:aws:{service}:{settings.region}:{settings.account}:{resource}"

    def _cdk_roles(self, kinds: tuple[str, ...]) -> list[str]:
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

    def _deploy_statements(self) -> list[iam.PolicyStatement]:
        plan = self.plan
        statements = [
            iam.PolicyStatement(
                sid="DeployThroughTheCdkBootstrapRoles",
                actions=["sts:AssumeRole", "sts:TagSession"],
                resources=self._cdk_roles(CDK_ROLES),
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
        repositories = [
            self._wild(
                self._arn("ecr", f"repository/{plan.services[name].physical_name}*"),
                f"service {name}'s repository; a kept one's name ends in its stack's id",
            )
            for name in built_from_source(plan)
        ]
        if repositories:
            statements += [
                iam.PolicyStatement(
                    sid="LogInToEcr",
                    actions=["ecr:GetAuthorizationToken"],
                    resources=[self._wild("*", "ecr:GetAuthorizationToken acts on no resource")],
                ),
                iam.PolicyStatement(
                    sid="PushToTheApplicationsRepositories",
                    actions=ECR_PUSH,
                    resources=repositories,
                ),
            ]
        return statements

    def _diff_statements(self) -> list[iam.PolicyStatement]:
        return [
            iam.PolicyStatement(
                sid="ReadThroughTheCdkLookupRole",
                actions=["sts:AssumeRole", "sts:TagSession"],
                resources=self._cdk_roles(("lookup",)),
            ),
            iam.PolicyStatement(
                sid="ReadTheApplicationsStacks",
                actions=["cloudformation:DescribeStacks", "cloudformation:GetTemplate"],
                resources=self._stacks(),
            ),
        ]


def build_github_app(
    plan: EnvironmentPlan,
    *,
    outdir: Path,
    repository: str,
    diff: bool,
    existing_provider: bool = False,
) -> cdk.App:
    """A CDK app holding the environment's GitHub deploy stack, checked by cdk-nag."""
    app = checked_app(outdir)
    GithubDeployStack(
        app, plan=plan, repository=repository, diff=diff, existing_provider=existing_provider
    )
    return app
