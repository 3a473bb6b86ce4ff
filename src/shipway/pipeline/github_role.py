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

from shipway.compliance.checked_app import checked_app
from shipway.pipeline.deploy_permissions import DeployPermissions
from shipway.pipeline.github import deploy_role_name, diff_role_name

if TYPE_CHECKING:
    from pathlib import Path

    from constructs import Construct

    from shipway.manifest import EnvironmentPlan

GITHUB_ISSUER = "token.actions.githubusercontent.com"
AUDIENCE = "sts.amazonaws.com"


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
        self.permissions = DeployPermissions(plan)
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
            self.permissions.deploy_statements(),
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
                self.permissions.diff_statements(),
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
        self.permissions.acknowledge_wildcards(role, statements)
        return role


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
