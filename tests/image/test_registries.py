"""ECR (the moto server over HTTP) and a plain registry answer what a push needs to know."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import boto3
import pytest

from shipway.image import (
    EcrRegistry,
    PlainRegistry,
    RepositoryNotFoundError,
    registry_from_environment,
)

if TYPE_CHECKING:
    from shipway.emulators import MotoServer

MANIFEST = {
    "schemaVersion": 2,
    "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
    "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1,
               "digest": "sha256:" + "0" * 64},
    "layers": [],
}  # fmt: skip


@pytest.fixture
def ecr(aws_env: MotoServer) -> object:
    """An ECR client on the moto server (AWS_ENDPOINT_URL set, as a user would)."""
    return boto3.client("ecr", region_name="us-east-1")


def test_the_repository_uri_is_ecrs_own(ecr: object) -> None:
    ecr.create_repository(repositoryName="shop-test-cart")  # type: ignore[attr-defined]
    uri = EcrRegistry(ecr).repository_uri("shop-test-cart")
    assert uri == "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop-test-cart"


def test_a_missing_repository_says_to_deploy_first(ecr: object) -> None:
    with pytest.raises(RepositoryNotFoundError, match="does not exist in us-east-1: deploy"):
        EcrRegistry(ecr).repository_uri("never-made")


def test_a_tag_is_found_with_its_digest_or_not_at_all(ecr: object) -> None:
    ecr.create_repository(repositoryName="tagged")  # type: ignore[attr-defined]
    registry = EcrRegistry(ecr)
    assert registry.existing_digest("tagged", "src-1") is None
    pushed = ecr.put_image(  # type: ignore[attr-defined]
        repositoryName="tagged", imageManifest=json.dumps(MANIFEST), imageTag="src-1"
    )
    assert registry.existing_digest("tagged", "src-1") == pushed["image"]["imageId"]["imageDigest"]


def test_credentials_come_from_the_authorization_token_and_never_print(ecr: object) -> None:
    credentials = EcrRegistry(ecr).credentials()
    assert credentials.registry == "123456789012.dkr.ecr.us-east-1.amazonaws.com"
    assert credentials.username == "AWS"
    assert credentials.password
    assert credentials.password not in repr(credentials)


def test_shipway_registry_overrides_ecr(aws_env: MotoServer) -> None:
    override = registry_from_environment({"SHIPWAY_REGISTRY": "127.0.0.1:5000"})
    assert isinstance(override, PlainRegistry)
    assert override.repository_uri("app-test-web") == "127.0.0.1:5000/app-test-web"
    assert override.credentials() is None
    assert isinstance(registry_from_environment({}), EcrRegistry)


@pytest.mark.parametrize(
    ("host", "tls"),
    [("127.0.0.1:5000", False), ("localhost:5000", False), ("mirror.example.com", True)],
)
def test_only_loopback_registries_are_spoken_to_without_tls(host: str, tls: bool) -> None:
    assert PlainRegistry(host).tls is tls
