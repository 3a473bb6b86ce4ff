"""The manifest resolved for one environment: what every consumer reads, computed once.

`resolve(manifest, env)` returns an `EnvironmentPlan`: each section's entries with that
environment's values merged in (one mechanism for every section, `shipway.manifest.merge`),
their construct ids and physical names, and each service's `uses` as typed edges. The CDK app,
`shipway dev`, the gates and the CLI all read plans; none of them re-resolves the manifest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel

from shipway.manifest.data import BucketSpec, CacheSpec, SecretSpec, SeedFile, TableSpec
from shipway.manifest.environment import Environment
from shipway.manifest.job import JobSpec
from shipway.manifest.messaging import QueueSpec, TopicSpec
from shipway.manifest.service import ServiceSpec

SpecT = TypeVar("SpecT", bound=BaseModel)
UseKind = Literal["table", "bucket", "cache", "secret", "service", "queue", "topic"]
Access = Literal["read", "read_write", "call", "send", "consume", "publish"]


@dataclass(frozen=True)
class Use:
    """One `uses` edge of a service: what it names, of which kind, with which access."""

    kind: UseKind
    name: str
    access: Access


@dataclass(frozen=True)
class Resolved(Generic[SpecT]):
    """One entry of a section as it is in one environment, with the names it is known by."""

    name: str
    """The manifest name."""
    construct_id: str
    """Its id in the environment's CDK stack, unique there (checked at validate time)."""
    physical_name: str
    """`<app>-<env>-<name>`: the AWS resource's name, or the stem of it."""
    spec: SpecT


class UsesEdges:
    """What a service and a job share: their `uses`, as typed edges, and their env file."""

    uses: tuple[Use, ...]
    env_file: Path | None

    def uses_of(self, kind: UseKind) -> tuple[Use, ...]:
        """The edges to one kind of thing, in manifest order."""
        return tuple(use for use in self.uses if use.kind == kind)

    @property
    def redis_url_cache(self) -> str | None:
        """The cache `REDIS_URL` points at: the only cache used, if exactly one is."""
        caches = self.uses_of("cache")
        return caches[0].name if len(caches) == 1 else None


@dataclass(frozen=True)
class ServicePlan(Resolved[ServiceSpec], UsesEdges):
    """A service, with its `uses` as edges."""

    uses: tuple[Use, ...] = ()
    execute_command: bool = False
    """ECS Exec is on: its `exec`, else on where deploying needs no approval (never Express)."""
    env_file: Path | None = None
    """`env_file` beside the manifest, checked (docs/wiring.md)."""


@dataclass(frozen=True)
class JobPlan(Resolved[JobSpec], UsesEdges):
    """A scheduled job, with its `uses` as edges (as a service's)."""

    uses: tuple[Use, ...] = ()
    env_file: Path | None = None


TablePlan = Resolved[TableSpec]
CachePlan = Resolved[CacheSpec]
SecretPlan = Resolved[SecretSpec]
TopicPlan = Resolved[TopicSpec]


@dataclass(frozen=True)
class QueuePlan(Resolved[QueueSpec]):
    """A queue; a FIFO queue's physical name ends in `.fifo`, as SQS requires."""

    @property
    def queue_name(self) -> str:
        """The SQS queue name."""
        return f"{self.physical_name}.fifo" if self.spec.fifo else self.physical_name

    @property
    def dead_letter_name(self) -> str:
        """The dead-letter queue's name (FIFO like its queue)."""
        stem = f"{self.physical_name}-dlq"
        return f"{stem}.fifo" if self.spec.fifo else stem


@dataclass(frozen=True)
class BucketPlan(Resolved[BucketSpec]):
    """A bucket; its physical name is the globally unique S3 bucket name."""

    loader_name: str | None = None
    """`<app>-<env>-<bucket>-loader`, when the bucket has a loader."""


@dataclass(frozen=True)
class EnvironmentPlan:
    """Everything one environment of an application runs, resolved."""

    app: str
    name: str
    settings: Environment
    retain: bool
    """Keep data (tables, buckets, caches' snapshots, secrets, repositories) on deletion."""
    protect: bool
    """Refuse deletion: stack termination protection, table and load balancer protection."""
    requires_approval: bool
    tags: Mapping[str, str]
    services: Mapping[str, ServicePlan]
    tables: Mapping[str, TablePlan]
    caches: Mapping[str, CachePlan]
    buckets: Mapping[str, BucketPlan]
    secrets: Mapping[str, SecretPlan]
    seeds: tuple[SeedFile, ...] = ()
    queues: Mapping[str, QueuePlan] = field(default_factory=dict)
    topics: Mapping[str, TopicPlan] = field(default_factory=dict)
    jobs: Mapping[str, JobPlan] = field(default_factory=dict)
    runbook_url: str = "docs/runbooks/"
    """Where the runbooks are, ending in '/': each alarm's description links `<it><kind>.md`."""
    warnings: tuple[str, ...] = field(default=(), compare=False)
    """What this environment runs without that the user may expect (printed by synth)."""

    @property
    def stack_name(self) -> str:
        return f"{self.app}-{self.name}"

    @property
    def load_balanced(self) -> list[ServicePlan]:
        """The web services the environment's shared load balancer routes to."""
        return [service for service in self.services.values() if service.spec.is_load_balanced]

    @property
    def exec_services(self) -> list[ServicePlan]:
        """The services ECS Exec reaches in this environment."""
        return [service for service in self.services.values() if service.execute_command]

    def service_specs(self) -> dict[str, ServiceSpec]:
        """Each service's resolved spec by name."""
        return {name: service.spec for name, service in self.services.items()}
