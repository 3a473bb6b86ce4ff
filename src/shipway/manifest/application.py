"""The whole manifest: an application, its environments, services and data capabilities."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from shipway.manifest.base import ManifestModel, Name
from shipway.manifest.data import Bucket, Cache, Secret, SeedFile, Table
from shipway.manifest.environment import Environment
from shipway.manifest.job import Job
from shipway.manifest.messaging import Queue, Topic
from shipway.manifest.pipeline import Pipeline
from shipway.manifest.service import Service

TagKey = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[\w .:/=+@-]+$")]


class Application(ManifestModel):
    """Everything `shipway.yml` describes."""

    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,19}$")] = Field(
        description="lower-case letters, digits, hyphens; at most 20 characters"
    )
    tags: dict[TagKey, str] = Field(
        default_factory=dict,
        description="tags on every resource (shipway adds application, environment, service)",
    )
    environments: dict[Name, Environment] = Field(
        min_length=1, description="where copies of the application run, e.g. test and prod"
    )
    services: dict[Name, Service] = Field(
        default_factory=dict, description="containers run as ECS services"
    )
    tables: dict[Name, Table] = Field(default_factory=dict, description="DynamoDB tables")
    caches: dict[Name, Cache] = Field(
        default_factory=dict, description="ElastiCache (Valkey or Redis OSS) replication groups"
    )
    buckets: dict[Name, Bucket] = Field(
        default_factory=dict, description="S3 buckets, optionally loaded into a table"
    )
    secrets: dict[Name, Secret] = Field(
        default_factory=dict, description="Secrets Manager secrets services can use"
    )
    queues: dict[Name, Queue] = Field(
        default_factory=dict, description="SQS queues, each with a dead-letter queue"
    )
    topics: dict[Name, Topic] = Field(
        default_factory=dict, description="SNS topics that fan out to queues"
    )
    jobs: dict[Name, Job] = Field(
        default_factory=dict, description="containers run to completion on a schedule"
    )
    runbook_url: str = Field(
        "docs/runbooks/",
        min_length=1,
        description="where the runbooks are (`shipway runbook` writes them): a URL or a path "
        "from the manifest's folder; each alarm's description links <runbook_url><kind>.md",
    )
    seed: list[SeedFile] = Field(
        default_factory=list, description="files shipway dev loads through a bucket's loader"
    )
    pipeline: Pipeline | None = Field(
        None,
        description="a delivery pipeline in AWS: {provider: codepipeline, connection_arn, "
        "repository, branch}",
    )
