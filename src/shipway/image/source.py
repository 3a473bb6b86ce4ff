"""What an image is built from, what a build made, and what a push left in the registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal


@dataclass(frozen=True)
class ImageSource:
    """A service's image, built from source: its context, Dockerfile, target stage and args."""

    service: str
    context: Path
    dockerfile: Path
    target: str | None = None
    args: dict[str, str] = field(default_factory=dict)
    platform: str | None = None
    """`linux/amd64` or `linux/arm64` (the service's `platform`); None: the engine's own."""

    def __hash__(self) -> int:
        return hash((self.service, self.context, self.dockerfile, self.target, self.platform))


@dataclass(frozen=True)
class BuiltImage:
    """An image the local engine holds, named `<repository URI>:<content tag>`."""

    source: ImageSource
    reference: str
    tag: str
    engine: str


@dataclass(frozen=True)
class PushedImage:
    """An image in its registry: `uri` is `repository@sha256:...`, what a task definition pins."""

    service: str
    uri: str
    tag: str
    digest: str
    status: Literal["pushed", "unchanged"] = "pushed"
