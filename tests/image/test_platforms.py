"""An image for the service's platform: the engine's --platform, a tag per architecture, and a
clear refusal where no emulator can build another architecture."""

from __future__ import annotations

import dataclasses
import platform
from pathlib import Path

import pytest

from shipway.deploy.images import image_sources
from shipway.image import ContainerEngine, ImageSource, build_image, content_tag
from shipway.image.platforms import ForeignPlatformError, check_can_build
from shipway.manifest import load_manifest, resolve
from tests.image.example_layouts import copy_examples, example_source

CONTAINERS = Path(__file__).parents[1] / "data" / "containers" / "shipway.yml"


def test_the_engine_builds_for_the_platform_it_is_given() -> None:
    source = ImageSource("web", Path("/src"), Path("/src/Dockerfile"), platform="linux/arm64")
    argv = ContainerEngine("docker", "docker").build_argv(source, "reg/web:t")
    assert argv[argv.index("--platform") + 1] == "linux/arm64"
    plain = dataclasses.replace(source, platform=None)
    assert "--platform" not in ContainerEngine("docker", "docker").build_argv(plain, "reg/web:t")


def test_each_service_is_built_for_its_platform_in_each_environment() -> None:
    manifest = load_manifest(CONTAINERS)
    test, prod = (image_sources(manifest, resolve(manifest, env)) for env in ("test", "prod"))
    assert {name: source.platform for name, source in test.items()} == {
        "api": "linux/arm64",
        "worker": "linux/amd64",
    }
    assert prod["worker"].platform == "linux/arm64"


def test_arm64_has_its_own_tag_and_amd64_keeps_the_tag_it_had(tmp_path: Path) -> None:
    source = example_source(copy_examples(tmp_path), "profile")
    amd64 = dataclasses.replace(source, platform="linux/amd64")
    arm64 = dataclasses.replace(source, platform="linux/arm64")
    assert content_tag(amd64) == content_tag(source)  # tags from before platforms still hold
    assert content_tag(arm64) != content_tag(amd64)


def test_another_architecture_without_an_emulator_is_refused_with_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(platform, "machine", lambda: "x86_64")
    with pytest.raises(ForeignPlatformError) as refused:
        check_can_build("api", "linux/arm64", binfmt=tmp_path)
    message = str(refused.value)
    assert "service api: its image is for linux/arm64" in message
    assert "this machine is linux/amd64 with no emulator for arm64" in message
    assert "qemu-user-static" in message and "platform to x86_64" in message


def test_another_architecture_builds_when_an_emulator_is_registered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(platform, "machine", lambda: "x86_64")
    (tmp_path / "qemu-aarch64").write_text("enabled\n", encoding="utf-8")
    check_can_build("api", "linux/arm64", binfmt=tmp_path)  # no error
    check_can_build("api", "linux/amd64", binfmt=tmp_path / "absent")  # native needs none


def test_building_refuses_before_the_engine_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(platform, "machine", lambda: "x86_64")
    monkeypatch.setattr("shipway.image.platforms.BINFMT", tmp_path)
    source = ImageSource("api", tmp_path, tmp_path / "Dockerfile", platform="linux/arm64")
    engine = ContainerEngine("docker", str(tmp_path / "no-such-docker"))
    with pytest.raises(ForeignPlatformError):
        build_image(source, engine=engine, reference="reg/api:src-1")
