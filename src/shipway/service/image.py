"""Where a service's image comes from: its own ECR repository, or a URI from the manifest."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_kms as kms
from constructs import Construct

if TYPE_CHECKING:
    from shipway.manifest import ServiceSpec


class ServiceImage(Construct):
    """An ECR repository (scan on push, immutable tags, lifecycle) for images built from source."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: ServiceSpec,
        repository_name: str,
        image_tag: str,
        key: kms.IKey,
        retain: bool,
    ) -> None:
        super().__init__(scope, construct_id)
        self.repository: ecr.Repository | None = None
        self.image: ecs.ContainerImage
        if spec.image.uri:
            self.image = ecs.ContainerImage.from_registry(spec.image.uri)
            self.uri = spec.image.uri
            return
        self.repository = ecr.Repository(
            self,
            "Repository",
            repository_name=repository_name,
            image_scan_on_push=True,
            image_tag_mutability=ecr.TagMutability.IMMUTABLE,
            encryption=ecr.RepositoryEncryption.KMS,
            encryption_key=key,
            lifecycle_rules=[
                ecr.LifecycleRule(
                    description="drop untagged layers after a week",
                    tag_status=ecr.TagStatus.UNTAGGED,
                    max_image_age=cdk.Duration.days(7),
                    rule_priority=1,
                ),
                ecr.LifecycleRule(
                    description="keep the 50 newest images",
                    tag_status=ecr.TagStatus.ANY,
                    max_image_count=50,
                    rule_priority=2,
                ),
            ],
            removal_policy=cdk.RemovalPolicy.RETAIN if retain else cdk.RemovalPolicy.DESTROY,
            empty_on_delete=False,
        )
        self.image = ecs.ContainerImage.from_ecr_repository(self.repository, tag=image_tag)
        self.uri = self.repository.repository_uri
