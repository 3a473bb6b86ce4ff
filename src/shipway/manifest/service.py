"""A service: one container image run as an ECS service, public (web) or private (backend)."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import (
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    field_validator,
    model_validator,
)

from shipway.manifest.base import ManifestModel, override_model
from shipway.manifest.fargate import cpu_problem, memory_problem

EnvName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]


class Build(ManifestModel):
    """Build the image from source, relative to the manifest's folder."""

    context: str = "."
    dockerfile: str = "Dockerfile"
    target: str | None = Field(None, description="build stage, for multi-image Dockerfiles")
    args: dict[str, str] = Field(default_factory=dict)


class Image(ManifestModel):
    """Where the container image comes from: built from source or an existing URI."""

    build: Build | None = None
    uri: str | None = None

    @model_validator(mode="after")
    def _exactly_one_source(self) -> Self:
        if (self.build is None) == (self.uri is None):
            raise ValueError("give exactly one of 'build' (build from source) or 'uri'")
        return self


class HealthCheck(ManifestModel):
    """How the load balancer and ECS decide a task is healthy."""

    path: str = Field("/health", pattern=r"^/")
    healthy_codes: str = Field("200", pattern=r"^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$")
    interval: int = Field(15, ge=5, le=300, description="seconds between checks")
    timeout: int = Field(5, ge=2, le=120, description="seconds")
    healthy_threshold: int = Field(2, ge=2, le=10)
    unhealthy_threshold: int = Field(3, ge=2, le=10)
    grace_period: int = Field(60, ge=0, le=2_147_483, description="seconds after start")

    @model_validator(mode="after")
    def _timeout_below_interval(self) -> Self:
        if self.timeout >= self.interval:
            raise ValueError(
                f"timeout: {self.timeout} s must be less than interval ({self.interval} s)"
            )
        return self


class Autoscaling(ManifestModel):
    """Target tracking on CPU, memory and (web only) requests per target."""

    min: int = Field(1, ge=1, le=1000)
    max: int = Field(4, ge=1, le=1000)
    cpu: int | None = Field(60, ge=10, le=95, description="target CPU %")
    memory: int | None = Field(None, ge=10, le=95, description="target memory %")
    requests_per_target: int | None = Field(None, ge=1, le=1_000_000)

    @model_validator(mode="after")
    def _min_below_max(self) -> Self:
        if self.min > self.max:
            raise ValueError(f"min: {self.min} is more than max ({self.max})")
        return self


class Ec2Capacity(ManifestModel):
    """The Auto Scaling group behind an EC2 capacity provider."""

    instance_type: str = Field("t3.small", pattern=r"^[a-z][a-z0-9-]*\.[a-z0-9]+$")
    min_instances: int = Field(1, ge=0)
    max_instances: int = Field(4, ge=1)
    placement: Literal["spread", "binpack", "random"] = "spread"


class Routing(ManifestModel):
    """Which requests the shared load balancer sends to a web service."""

    path: str = Field("/", pattern=r"^/[A-Za-z0-9._~/-]*$")
    host: str | None = Field(None, pattern=r"^(\*\.)?[a-z0-9.-]+$")

    @property
    def path_pattern(self) -> str:
        return "/*" if self.path == "/" else f"{self.path.rstrip('/')}/*"


class LocalRun(ManifestModel):
    """How `shipway dev` runs the service as a process."""

    command: list[str] | str
    port: int | None = Field(None, ge=1024, le=65535)
    cwd: str | None = None


class AlarmThresholds(ManifestModel):
    """Overrides of the default alarm thresholds."""

    target_5xx: int = Field(10, ge=1, description="target 5xx per 5 min")
    elb_5xx: int = Field(10, ge=1, description="load balancer 5xx per 5 min")
    target_4xx: int = Field(100, ge=1, description="target 4xx per 5 min")
    response_time_p99: float = Field(1.0, gt=0, description="seconds")
    cpu_high: int = Field(80, ge=1, le=100)
    memory_high: int = Field(80, ge=1, le=100)
    unhealthy_hosts: int = Field(1, ge=1)
    enabled: bool = True


class TableUse(ManifestModel):
    """A table used read-only or read-write."""

    table: str
    access: Literal["read", "read_write"] = "read_write"


class BucketUse(ManifestModel):
    """A bucket used read-only or read-write."""

    bucket: str
    access: Literal["read", "read_write"] = "read_write"


def _use_kind(value: object) -> str:
    if isinstance(value, dict):
        return "BucketUse" if "bucket" in value else "TableUse"
    return "Name"


Use = Annotated[
    Annotated[str, Tag("Name")]
    | Annotated[TableUse, Tag("TableUse")]
    | Annotated[BucketUse, Tag("BucketUse")],
    Discriminator(_use_kind),
]
Compute = Literal["fargate", "fargate_spot", "ec2", "express"]


class ServiceSpec(ManifestModel):
    """One containerized service, as it runs in one environment."""

    type: Literal["web", "backend"] = "web"
    image: Image
    port: int = Field(
        8080, ge=1024, le=65535, description="container port; >= 1024 so the image runs as non-root"
    )
    health_check: HealthCheck = Field(default_factory=HealthCheck)
    cpu: int = 256
    memory: int = 512
    count: int = Field(2, ge=0, le=1000)
    autoscaling: Autoscaling | None = None
    compute: Compute = "fargate"
    ec2: Ec2Capacity | None = None
    deployment: Literal["rolling", "blue_green", "canary"] = "rolling"
    routing: Routing | None = None
    environment: dict[EnvName, str] = Field(default_factory=dict)
    secrets: dict[EnvName, str] = Field(
        default_factory=dict,
        description="ENV_NAME: Secrets Manager secret name/ARN, or 'ssm:/parameter/name'",
    )
    uses: list[Use] = Field(default_factory=list)
    alarms: AlarmThresholds = Field(default_factory=AlarmThresholds)
    local: LocalRun | None = None
    readonly_root_filesystem: bool = True
    user: str | None = Field("10001", description="user the container runs as; null = image's")

    @field_validator("cpu")
    @classmethod
    def _fargate_cpu(cls, cpu: int) -> int:
        if problem := cpu_problem(cpu):
            raise ValueError(problem)
        return cpu

    @field_validator("environment", mode="before")
    @classmethod
    def _stringify_values(cls, values: object) -> object:
        # YAML reads `DEBUG: 1` as an int; environment variables are strings.
        if isinstance(values, dict):
            return {
                k: str(v).lower()
                if isinstance(v, bool)
                else str(v)
                if isinstance(v, int | float)
                else v
                for k, v in values.items()
            }
        return values

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if problem := memory_problem(self.cpu, self.memory):
            raise ValueError(f"memory: {problem}")
        if self.compute == "ec2" and self.ec2 is None:
            object.__setattr__(self, "ec2", Ec2Capacity())
        if self.ec2 is not None and self.compute != "ec2":
            raise ValueError("ec2: only for 'compute: ec2'")
        if self.routing is not None and self.type != "web":
            raise ValueError("routing: only web services are routed by the load balancer")
        if self.compute == "express" and self.deployment != "rolling":
            raise ValueError(
                "deployment: Express Mode manages its own deployments; use 'rolling' (the default)"
            )
        return self

    @property
    def effective_routing(self) -> Routing:
        return self.routing or Routing()

    @property
    def is_load_balanced(self) -> bool:
        """Routed by the environment's shared load balancer (Express Mode brings its own)."""
        return self.type == "web" and self.compute != "express"

    def desired_count(self) -> int:
        return self.autoscaling.min if self.autoscaling else self.count


ServiceOverride = override_model(ServiceSpec, "ServiceOverride")


class Service(ServiceSpec):
    """A service with per-environment overrides of any of its fields."""

    environments: dict[str, ServiceOverride] = Field(  # type: ignore[valid-type]  # built by override_model
        default_factory=dict, description="env name: fields whose value differs there"
    )
