"""Publishing to a real registry (Debian's docker-registry) with the real Docker daemon:
a first push returns the digest, the same sources again are a no-op, a changed file a new tag."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from shipway.image import ContainerEngine, ImageSource, PlainRegistry, PushedImage, publish_image
from shipway.testing.notes import Stopwatch
from tests.rehearsal.conftest import example_sources

if TYPE_CHECKING:
    from pathlib import Path

    from shipway.testing.docker_daemon import DockerDaemon
    from shipway.testing.local_registry import LocalRegistry


pytestmark = pytest.mark.slow
REPOSITORY = "rehearsal-test-tiny"
# An engine that can do nothing: publishing with it proves no build and no push happened.
NO_ENGINE = ContainerEngine("docker", "/bin/false")


@dataclass
class FirstPush:
    source: ImageSource
    registry: PlainRegistry
    pushed: PushedImage
    lines: list[str]


@pytest.fixture(scope="module")
def first_push(
    tmp_path_factory: pytest.TempPathFactory,
    base_images: list[str],
    docker_engine: ContainerEngine,
    local_registry: LocalRegistry,
) -> FirstPush:
    context: Path = tmp_path_factory.mktemp("tiny")
    (context / "app.txt").write_text("version 1\n")
    (context / "Dockerfile").write_text(f"FROM {base_images[0]}\nCOPY app.txt /app.txt\n")
    source = ImageSource("tiny", context, context / "Dockerfile")
    registry = PlainRegistry(local_registry.host)
    lines: list[str] = []
    pushed = publish_image(
        source, repository=REPOSITORY, registry=registry, engine=docker_engine, on_line=lines.append
    )
    return FirstPush(source, registry, pushed, lines)


def test_a_first_publish_builds_pushes_and_returns_the_registrys_digest(
    first_push: FirstPush, local_registry: LocalRegistry
) -> None:
    pushed = first_push.pushed
    assert pushed.status == "pushed"
    assert pushed.digest.startswith("sha256:") and len(pushed.digest) == 71
    assert pushed.uri == f"{local_registry.host}/{REPOSITORY}@{pushed.digest}"
    assert first_push.registry.existing_digest(REPOSITORY, pushed.tag) == pushed.digest
    assert any("Successfully built" in line for line in first_push.lines)  # build streamed
    assert any("digest: sha256:" in line for line in first_push.lines)  # push streamed


def test_the_pushed_digest_can_be_pulled(
    first_push: FirstPush, docker_daemon: DockerDaemon
) -> None:
    docker_daemon.docker("pull", first_push.pushed.uri)
    listing = docker_daemon.docker("run", "--rm", first_push.pushed.uri, "cat", "/app.txt")
    assert listing.stdout == "version 1\n"


def test_the_same_sources_again_are_unchanged_without_building(first_push: FirstPush) -> None:
    again = publish_image(
        first_push.source, repository=REPOSITORY, registry=first_push.registry, engine=NO_ENGINE
    )
    assert again == PushedImage(
        "tiny", first_push.pushed.uri, first_push.pushed.tag, first_push.pushed.digest, "unchanged"
    )


def test_a_changed_file_is_a_new_tag_and_a_new_digest(
    first_push: FirstPush, docker_engine: ContainerEngine
) -> None:
    (first_push.source.context / "app.txt").write_text("version 2\n")
    second = publish_image(
        first_push.source, repository=REPOSITORY, registry=first_push.registry, engine=docker_engine
    )
    assert second.status == "pushed"
    assert second.tag != first_push.pushed.tag
    assert second.digest != first_push.pushed.digest
    assert first_push.registry.existing_digest(REPOSITORY, first_push.pushed.tag)  # old one kept


def test_an_example_service_publishes_by_digest(
    example_images: object, docker_engine: ContainerEngine, local_registry: LocalRegistry
) -> None:
    # GIVEN the example images are built (the layers are cached), WHEN profile is published
    registry = PlainRegistry(local_registry.host)
    source = example_sources()["profile/profile"]
    with Stopwatch("push profile/profile (build cached)"):
        pushed = publish_image(source, repository="profile-test-profile", registry=registry,
                               engine=docker_engine)  # fmt: skip
    assert registry.existing_digest("profile-test-profile", pushed.tag) == pushed.digest
