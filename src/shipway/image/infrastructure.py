"""The environment's image registry: one ECR repository per service or job built from source.

A stack of its own, `<app>-<env>-registry`, deployed before the environment's stack: images are
pushed between the two, so a service's first deploy never waits on an image that cannot exist
yet. Its outputs give each repository's name and URI to the push step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_ecr as ecr

from shipway.image.built import built_from_source, built_workload, workload_kind
from shipway.manifest.names import pascal
from shipway.stack_names import kept_name

if TYPE_CHECKING:
    from constructs import Construct

    from shipway.manifest import EnvironmentPlan

KEEP_IMAGES = 50
UNTAGGED_DAYS = 7
# ECR caps repository names at 256 characters.
MAX_REPOSITORY_NAME = 256


def registry_stack_name(plan: EnvironmentPlan) -> str:
    """`<app>-<env>-registry`."""
    return f"{plan.stack_name}-registry"


def repository_output(service: str) -> str:
    """The registry stack's output holding service's repository name."""
    return f"{pascal(service)}RepositoryName"


class RegistryStack(cdk.Stack):
    """ECR repositories with scan on push, immutable tags and lifecycle rules."""

    def __init__(self, scope: Construct, *, plan: EnvironmentPlan) -> None:
        settings = plan.settings
        super().__init__(
            scope,
            registry_stack_name(plan),
            env=cdk.Environment(account=settings.account, region=settings.region),
            termination_protection=plan.protect,
            description=f"shipway: image repositories of {plan.app} in {plan.name}",
        )
        self.repositories: dict[str, ecr.Repository] = {}
        for name in built_from_source(plan):
            self.repositories[name] = self._repository(plan, name)

    def _repository(self, plan: EnvironmentPlan, name: str) -> ecr.Repository:
        service = built_workload(plan, name)
        repository = ecr.Repository(
            self,
            service.construct_id,
            # Retained repositories outlive a failed first create: their name takes the suffix.
            repository_name=kept_name(
                service.physical_name, retain=plan.retain, max_length=MAX_REPOSITORY_NAME
            ),
            image_scan_on_push=True,
            # Content tags name exact sources: a tag pushed once never moves.
            image_tag_mutability=ecr.TagMutability.IMMUTABLE,
            encryption=ecr.RepositoryEncryption.KMS,
            lifecycle_rules=[
                ecr.LifecycleRule(
                    description="drop untagged layers after a week",
                    tag_status=ecr.TagStatus.UNTAGGED,
                    max_image_age=cdk.Duration.days(UNTAGGED_DAYS),
                    rule_priority=1,
                ),
                ecr.LifecycleRule(
                    description=f"keep the {KEEP_IMAGES} newest images",
                    tag_status=ecr.TagStatus.ANY,
                    max_image_count=KEEP_IMAGES,
                    rule_priority=2,
                ),
            ],
            removal_policy=cdk.RemovalPolicy.RETAIN if plan.retain else cdk.RemovalPolicy.DESTROY,
            # A test environment's destroy leaves nothing: ECR empties the repository itself.
            empty_on_delete=not plan.retain,
        )
        kind = workload_kind(plan, name)
        cdk.Tags.of(repository).add(kind, name)
        cdk.CfnOutput(
            self,
            repository_output(name),
            value=repository.repository_name,
            description=f"ECR repository of {kind} {name}'s images",
        )
        return repository
