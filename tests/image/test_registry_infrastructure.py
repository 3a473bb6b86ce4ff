"""The registry stack's repositories, and services running the content tag of their sources."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from aws_cdk.assertions import Match, Template

from shipway.deploy.images import image_references
from shipway.manifest import load_manifest, resolve
from tests.data.acceptance import DATA, container, registry_json

if TYPE_CHECKING:
    from shipway.synthesis import SynthResult


def test_ecr_repositories_only_for_built_images_in_the_registry_stack(
    core_synth: SynthResult, core_test: Template
) -> None:
    # The repositories live in <app>-<env>-registry, deployed (and pushed to) before the
    # environment's stack, so a first deploy never waits on an image that cannot exist.
    core_test.resource_count_is("AWS::ECR::Repository", 0)
    registry = Template.from_json(registry_json(core_synth, "test"))
    registry.resource_count_is("AWS::ECR::Repository", 2)  # web and api; admin uses a URI
    registry.has_resource_properties(
        "AWS::ECR::Repository",
        {
            "RepositoryName": "storefront-test-web",
            "ImageScanningConfiguration": {"ScanOnPush": True},
            "ImageTagMutability": "IMMUTABLE",
            "LifecyclePolicy": Match.any_value(),
            "EncryptionConfiguration": Match.object_like({"EncryptionType": "KMS"}),
            "EmptyOnDelete": True,  # a test environment's destroy leaves nothing behind
        },
    )
    registry.has_output("WebRepositoryName", Match.any_value())


def test_prod_repositories_are_kept_under_names_a_retry_never_collides_with(
    core_synth: SynthResult,
) -> None:
    template = registry_json(core_synth, "prod")
    for repository in template["Resources"].values():
        assert repository["DeletionPolicy"] == "Retain"
        name = repository["Properties"]["RepositoryName"]["Fn::Join"][1]
        assert name[0].startswith("storefront-prod-")
        assert "AWS::StackId" in json.dumps(name[1])
        assert repository["Properties"].get("EmptyOnDelete", False) is False


def test_services_run_the_content_tag_of_their_sources(
    core_synth: SynthResult, core_test: Template
) -> None:
    manifest = load_manifest(DATA / "core" / "shipway.yml")
    tags = image_references(manifest, resolve(manifest, "test"))
    assert tags["web"].tag is not None and tags["web"].tag.startswith("src-")
    assert tags["admin"].uri is not None
    image = json.dumps(container(core_test, "LOG_LEVEL")["Image"])
    assert f":{tags['web'].tag}" in image
    assert "ImportValue" in image  # the registry stack's repository, by reference
