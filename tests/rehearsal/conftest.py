"""Every example's images, built once per session with shipway.image from each shipway.yml."""

from __future__ import annotations

from pathlib import Path

import pytest

from shipway.image import BuiltImage, ContainerEngine, ImageSource, build_image, content_tag
from shipway.manifest import load_manifest, resolve
from shipway.testing.notes import Stopwatch

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NAMES = ("bootcamp-api", "magic8ball", "three-tier", "profile", "shop-cart")


def example_sources() -> dict[str, ImageSource]:
    """`<example>/<service>` → what its shipway.yml says to build."""
    sources = {}
    for name in NAMES:
        manifest = load_manifest(EXAMPLES / name / "shipway.yml")
        for service, planned in resolve(manifest, "test").services.items():
            build = planned.spec.image.build
            assert build is not None, f"{name}/{service} is built from source"
            context = manifest.directory / build.context
            sources[f"{name}/{service}"] = ImageSource(
                service=service,
                context=context,
                dockerfile=context / build.dockerfile,
                target=build.target,
                args=dict(build.args),
            )
    return sources


@pytest.fixture(scope="session")
def example_images(base_images: list[str], docker_engine: ContainerEngine) -> dict[str, BuiltImage]:
    """Each example service's image, in the session's Docker daemon."""
    built = {}
    for key, source in example_sources().items():
        reference = f"shipway-rehearsal/{key.replace('/', '-')}:{content_tag(source)}"
        with Stopwatch(f"build {key}"):
            built[key] = build_image(source, engine=docker_engine, reference=reference)
    return built
