"""Which image each service of an environment runs, decided before anything is synthesized.

A service built from source runs `<its repository>:<content tag>`: the tag names its exact
sources (repositories refuse to move a tag), so the same sources synthesize the same task
definition and a changed service, only that one, rolls out. `--image SERVICE=URI` runs an image
built elsewhere instead (a pipeline builds once and promotes the same digest to prod), and a
service with `image.uri` runs that image.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shipway.errors import UserError
from shipway.image import ImageSource, content_tag
from shipway.image.built import built_from_source, built_workload

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from shipway.manifest import EnvironmentPlan, Manifest

# <account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>[:tag | @sha256:digest]
ECR_URI = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/"
    r"(?P<repository>[a-z0-9][a-z0-9._/-]*)(?::(?P<tag>[\w][\w.-]{0,127})|@(?P<digest>sha256:[0-9a-f]{64}))$"
)
PLATFORMS = {"x86_64": "linux/amd64", "arm64": "linux/arm64"}
"""The manifest's `platform` as a container engine's --platform."""
IMAGE_URI = re.compile(r"^[a-zA-Z0-9][\w.:/-]*(:[\w][\w.-]{0,127}|@sha256:[0-9a-f]{64})?$")


@dataclass(frozen=True)
class ImageReference:
    """What one service's containers run: a content tag in its own repository, or an image URI."""

    tag: str | None = None
    uri: str | None = None

    def __post_init__(self) -> None:
        assert (self.tag is None) != (self.uri is None), "a tag or a URI, not both"


@dataclass(frozen=True)
class EcrImage:
    """An image URI in an ECR repository, split so a task can be granted its pulls."""

    account: str
    region: str
    repository: str
    tag_or_digest: str


def ecr_image(uri: str) -> EcrImage | None:
    """uri's parts if it names an image in ECR by tag or digest."""
    found = ECR_URI.match(uri)
    if found is None:
        return None
    return EcrImage(
        found["account"],
        found["region"],
        found["repository"],
        found["digest"] or found["tag"],
    )


def image_sources(manifest: Manifest, plan: EnvironmentPlan) -> dict[str, ImageSource]:
    """Each service and job built from source, as the image module builds it."""
    sources = {}
    for name in built_from_source(plan):
        spec = built_workload(plan, name).spec
        build = spec.image.build
        assert build is not None  # built_from_source: those with image.build
        context = (manifest.directory / build.context).resolve()
        sources[name] = ImageSource(
            service=name,
            context=context,
            dockerfile=context / build.dockerfile,
            target=build.target,
            args=dict(build.args),
            platform=PLATFORMS[spec.platform],
        )
    return sources


def image_overrides(values: Iterable[str], plan: EnvironmentPlan) -> dict[str, str]:
    """`SERVICE=URI` pairs from --image, checked against the plan."""
    overrides: dict[str, str] = {}
    jobs = [name for name in built_from_source(plan) if name in plan.jobs]
    for value in values:
        service, separator, uri = value.partition("=")
        if not separator or not service or not uri:
            raise UserError(f"--image {value!r}: write SERVICE=URI, e.g. web=repo/web@sha256:...")
        if service not in plan.services and service not in jobs:
            built_jobs = f"; jobs built from source: {', '.join(jobs)}" if jobs else ""
            raise UserError(
                f"--image {value!r}: there is no service '{service}' (services: "
                f"{', '.join(plan.services)}{built_jobs})"
            )
        if not IMAGE_URI.match(uri):
            raise UserError(f"--image {value!r}: {uri!r} is not an image URI")
        if service in overrides:
            raise UserError(f"--image: service '{service}' is given twice")
        overrides[service] = uri
    return overrides


def image_references(
    manifest: Manifest, plan: EnvironmentPlan, overrides: Mapping[str, str] | None = None
) -> dict[str, ImageReference]:
    """What each service of plan runs: an override, its `image.uri`, or its content tag; and
    each job built from source: an override or its content tag."""
    overrides = overrides or {}
    sources = image_sources(manifest, plan)
    references = {}
    for name, service in plan.services.items():
        if name in overrides:
            references[name] = ImageReference(uri=overrides[name])
        elif service.spec.image.uri is not None:
            references[name] = ImageReference(uri=service.spec.image.uri)
        else:
            references[name] = ImageReference(tag=_tag(sources[name]))
    for name in built_from_source(plan):
        if name in plan.jobs and name in overrides:
            references[name] = ImageReference(uri=overrides[name])
        elif name in plan.jobs:
            references[name] = ImageReference(tag=_tag(sources[name]))
    return references


def _tag(source: ImageSource) -> str:
    if not source.dockerfile.is_file():
        raise UserError(
            f"{source.service}: its Dockerfile {source.dockerfile} does not exist; fix "
            "image.build (context, dockerfile) in the manifest"
        )
    return content_tag(source)
