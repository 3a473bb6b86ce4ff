"""The whole manifest: an application, its environments, services and data capabilities."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from shipway.manifest.base import ManifestModel, Name
from shipway.manifest.data import Bucket, Cache, Secret, SeedFile, Table
from shipway.manifest.environment import Environment
from shipway.manifest.service import Service

TagKey = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[\w .:/=+@-]+$")]


class Application(ManifestModel):
    """Everything `shipway.yml` describes."""

    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,19}$")] = Field(
        description="lower-case letters, digits, hyphens; at most 20 characters"
    )
    tags: dict[TagKey, str] = Field(default_factory=dict)
    environments: dict[Name, Environment] = Field(min_length=1)
    services: dict[Name, Service] = Field(default_factory=dict)
    tables: dict[Name, Table] = Field(default_factory=dict)
    caches: dict[Name, Cache] = Field(default_factory=dict)
    buckets: dict[Name, Bucket] = Field(default_factory=dict)
    secrets: dict[Name, Secret] = Field(default_factory=dict)
    seed: list[SeedFile] = Field(default_factory=list)
