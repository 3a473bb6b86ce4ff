"""The image a service's containers run: a content tag in its own repository, or a URI."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_ecs as ecs
from constructs import Construct

from shipway.deploy.images import ecr_image

if TYPE_CHECKING:
    from shipway.deploy.images import ImageReference


class ServiceImage(Construct):
    """The container image, with the pull rights the task's execution role needs for it."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        reference: ImageReference,
        repository: ecr.IRepository | None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.repository = repository
        self.image: ecs.ContainerImage
        if reference.tag is not None:
            assert repository is not None, "an image built from source needs its repository"
            self.image = ecs.ContainerImage.from_ecr_repository(repository, tag=reference.tag)
            self.uri = f"{repository.repository_uri}:{reference.tag}"
            return
        assert reference.uri is not None
        self.uri = reference.uri
        found = ecr_image(reference.uri)
        if found is None:
            self.image = ecs.ContainerImage.from_registry(reference.uri)
            return
        # An image in ECR (promoted from another environment, say): grant its pulls.
        imported = ecr.Repository.from_repository_attributes(
            self,
            "Repository",
            repository_name=found.repository,
            repository_arn=(
                f"arn:{cdk.Aws.PARTITION}:ecr:{found.region}:{found.account}:repository/"
                f"{found.repository}"
            ),
        )
        self.image = ecs.ContainerImage.from_ecr_repository(imported, tag=found.tag_or_digest)
