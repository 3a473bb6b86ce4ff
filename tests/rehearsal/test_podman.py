"""Podman builds and pushes through the same code as Docker: Docker format, digest from the push.

Opt-in (`pytest -m podman`): CI's machines install only what the default suite needs, and Podman
is not among it. Measured here: ~35 s (vfs storage, chroot isolation, as these machines need)."""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest

from shipway.image import ContainerEngine, ImageSource, PlainRegistry, detect_engine, publish_image
from shipway.testing.base_image import base_tarball, rehearsal_cache_dir

if TYPE_CHECKING:
    from pathlib import Path

    from shipway.testing.local_registry import LocalRegistry

pytestmark = [pytest.mark.slow, pytest.mark.podman]
BASE = "python:3.11.14-slim-bookworm"


@pytest.fixture(scope="module")
def podman(tmp_path_factory: pytest.TempPathFactory) -> ContainerEngine:
    """Podman with its own vfs storage in a temporary folder, the stand-in base imported."""
    if shutil.which("podman") is None:
        pytest.fail("podman is not installed: apt-get install podman", pytrace=False)
    root = tmp_path_factory.mktemp("podman")
    (root / "storage.conf").write_text(
        f'[storage]\ndriver = "vfs"\ngraphroot = "{root}/graph"\nrunroot = "{root}/run"\n'
    )
    environ = {
        **os.environ,
        "CONTAINERS_STORAGE_CONF": str(root / "storage.conf"),
        "SHIPWAY_CONTAINER_ENGINE": "podman",
        "SHIPWAY_CONTAINER_ISOLATION": "chroot",
        "SHIPWAY_BUILD_NETWORK": "host",
    }
    tarball = base_tarball(rehearsal_cache_dir())
    subprocess.run(["podman", "import", str(tarball), BASE], env=environ, check=True,  # noqa: S607
                   capture_output=True)  # fmt: skip
    return detect_engine(environ)


def test_podman_builds_docker_format_and_pushes_by_digest(
    podman: ContainerEngine, local_registry: LocalRegistry, tmp_path: Path
) -> None:
    (tmp_path / "app.txt").write_text("podman\n")
    (tmp_path / "Dockerfile").write_text(
        f'FROM {BASE}\nCOPY app.txt /app.txt\nUSER 10001\nHEALTHCHECK CMD ["true"]\n'
    )
    registry = PlainRegistry(local_registry.host)
    source = ImageSource("tiny", tmp_path, tmp_path / "Dockerfile")
    pushed = publish_image(source, repository="podman-tiny", registry=registry, engine=podman)
    assert pushed.status == "pushed"
    assert registry.existing_digest("podman-tiny", pushed.tag) == pushed.digest
    inspected = subprocess.run(  # noqa: S603
        [podman.executable, "image", "inspect", "--format", "{{.Config.Healthcheck.Test}}",
         f"{local_registry.host}/podman-tiny:{pushed.tag}"],
        env=podman.env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "true" in inspected.stdout  # Docker format: the OCI format would drop HEALTHCHECK
