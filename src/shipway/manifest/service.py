"""A service: one container image run as an ECS service, public (web) or private (backend)."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import (
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from shipway.manifest.base import ManifestModel, Name, override_model
from shipway.manifest.containers import (
    Condition,
    EnvName,
    LogRouting,
    Platform,
    Sidecar,
    container_problems,
    variables_as_text,
)
from shipway.manifest.durations import DEFAULT_BAKE_TIME, bake_minutes, bake_time_problem
from shipway.manifest.express import apply_compute_rules
from shipway.manifest.fargate import cpu_problem, memory_problem
from shipway.manifest.slo import Slo


class Build(ManifestModel):
    """Build the image from source, relative to the manifest's folder."""

    context: str = Field(".", description="build context folder, relative to the manifest")
    dockerfile: str = Field("Dockerfile", description="Dockerfile, relative to the context")
    target: str | None = Field(None, description="build stage, for multi-image Dockerfiles")
    args: dict[str, str] = Field(default_factory=dict, description="build arguments (--build-arg)")


class Image(ManifestModel):
    """Where the container image comes from: built from source or an existing URI."""

    build: Build | None = Field(None, description="build from source with the container engine")
    uri: str | None = Field(None, description="a prebuilt image, e.g. public.ecr.aws/nginx/nginx:1")

    @model_validator(mode="after")
    def _exactly_one_source(self) -> Self:
        if (self.build is None) == (self.uri is None):
            raise ValueError("give exactly one of 'build' (build from source) or 'uri'")
        return self


class HealthCheck(ManifestModel):
    """How the load balancer and ECS decide a task is healthy."""

    path: str = Field("/health", pattern=r"^/", description="HTTP path answered when healthy")
    healthy_codes: str = Field(
        "200",
        pattern=r"^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$",
        description="HTTP codes that mean healthy, e.g. 200 or 200-299,301",
    )
    interval: int = Field(15, ge=5, le=300, description="seconds between checks")
    timeout: int = Field(5, ge=2, le=120, description="seconds to wait for an answer")
    healthy_threshold: int = Field(2, ge=2, le=10, description="passes in a row to be healthy")
    unhealthy_threshold: int = Field(
        3, ge=2, le=10, description="failures in a row to be unhealthy"
    )
    grace_period: int = Field(60, ge=0, le=2_147_483, description="seconds after start")
    command: list[str] | None = Field(
        None,
        min_length=2,
        description="the container's own health check, as in a task definition: "
        '["CMD", "/bin/check"] or ["CMD-SHELL", "..."]; default: GET path on $PORT with '
        "curl, wget or python3, whichever the image has",
    )

    @field_validator("command")
    @classmethod
    def _command_form(cls, command: list[str] | None) -> list[str] | None:
        if command is not None and command[0] not in {"CMD", "CMD-SHELL"}:
            raise ValueError(
                f"starts with {command[0]!r}: begin with 'CMD' (run the program) or 'CMD-SHELL' "
                "(run the rest with /bin/sh)"
            )
        return command

    @model_validator(mode="after")
    def _timeout_below_interval(self) -> Self:
        if self.timeout >= self.interval:
            raise ValueError(
                f"timeout: {self.timeout} s must be less than interval ({self.interval} s)"
            )
        return self


class QueueDelay(ManifestModel):
    """How long a message may wait for a worker: sets the backlog each task may hold."""

    acceptable_latency: int = Field(
        600, ge=1, le=43_200, description="seconds a message may wait before it is processed"
    )
    processing_time: float = Field(
        0.25, gt=0, le=43_200, description="average seconds one task takes for one message"
    )

    @property
    def backlog_per_task(self) -> int:
        """Messages one task may hold: the latency over the time one message takes."""
        return max(1, int(self.acceptable_latency / self.processing_time))


class Autoscaling(ManifestModel):
    """Target tracking on CPU, memory, (web only) requests per target and (worker only) the
    backlog of messages per task."""

    min: int = Field(1, ge=1, le=1000, description="fewest tasks")
    max: int = Field(4, ge=1, le=1000, description="most tasks")
    cpu: int | None = Field(60, ge=10, le=95, description="target CPU %")
    memory: int | None = Field(None, ge=10, le=95, description="target memory %")
    requests_per_target: int | None = Field(
        None, ge=1, le=1_000_000, description="target requests per task per minute (web only)"
    )
    queue_delay: QueueDelay | None = Field(
        None,
        description="workers: scale on visible messages per running task, targeting "
        "acceptable_latency / processing_time (default for workers: 600 s / 0.25 s)",
    )

    @model_validator(mode="after")
    def _min_below_max(self) -> Self:
        if self.min > self.max:
            raise ValueError(f"min: {self.min} is more than max ({self.max})")
        return self


class Ec2Capacity(ManifestModel):
    """The Auto Scaling group behind an EC2 capacity provider."""

    instance_type: str = Field(
        "t3.small", pattern=r"^[a-z][a-z0-9-]*\.[a-z0-9]+$", description="EC2 instance type"
    )
    min_instances: int = Field(1, ge=0, description="fewest instances")
    max_instances: int = Field(4, ge=1, description="most instances")
    placement: Literal["spread", "binpack", "random"] = Field(
        "spread", description="spread over instances and AZs, pack by memory, or random"
    )


class Routing(ManifestModel):
    """Which requests the shared load balancer sends to a web service."""

    path: str = Field(
        "/", pattern=r"^/[A-Za-z0-9._~/-]*$", description="path prefix routed to the service"
    )
    host: str | None = Field(
        None, pattern=r"^(\*\.)?[a-z0-9.-]+$", description="host name routed to the service"
    )

    @property
    def path_pattern(self) -> str:
        return "/*" if self.path == "/" else f"{self.path.rstrip('/')}/*"


class Deployment(ManifestModel):
    """How ECS replaces a service's tasks with a new version."""

    strategy: Literal["rolling", "blue_green", "canary"] = Field(
        "rolling",
        description="rolling (circuit breaker and alarm rollback), blue_green or canary "
        "(ECS-native, web services: a second target group, traffic shifted by the listener rule)",
    )
    bake_time: str | None = Field(
        None,
        description="blue_green and canary: how long the new version takes all traffic before "
        "the old one is stopped (rollback stays one step away), e.g. 5m or 1h; default 10m",
    )

    @field_validator("bake_time")
    @classmethod
    def _bake_time(cls, value: str | None) -> str | None:
        if value is not None and (problem := bake_time_problem(value)):
            raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _bake_only_when_shifting(self) -> Self:
        if self.bake_time is not None and self.strategy == "rolling":
            raise ValueError(
                "bake_time: only blue_green and canary deployments bake; a rolling one has no "
                "old version left to return to"
            )
        return self

    @property
    def bake_minutes(self) -> int:
        """The bake time in minutes (ECS counts in minutes)."""
        return bake_minutes(self.bake_time or DEFAULT_BAKE_TIME)


class LocalRun(ManifestModel):
    """How `shipway dev` runs the service as a process."""

    command: list[str] | str = Field(
        description="the command, as a list or a shell-like string; 'python' is shipway's own"
    )
    port: int | None = Field(None, ge=1024, le=65535, description="fixed port; default: a free one")
    cwd: str | None = Field(None, description="folder to run in; default: the build context")


class AlarmThresholds(ManifestModel):
    """Overrides of the default alarm thresholds."""

    target_5xx: int = Field(10, ge=1, description="target 5xx per 5 min")
    elb_5xx: int = Field(10, ge=1, description="load balancer 5xx per 5 min")
    target_4xx: int = Field(100, ge=1, description="target 4xx per 5 min")
    response_time_p99: float = Field(1.0, gt=0, description="seconds")
    cpu_high: int = Field(80, ge=1, le=100, description="average CPU % over 5 min")
    memory_high: int = Field(80, ge=1, le=100, description="average memory % over 5 min")
    unhealthy_hosts: int = Field(1, ge=1, description="unhealthy targets")
    enabled: bool = Field(True, description="false: no default alarms for this service")


class TableUse(ManifestModel):
    """A table used read-only or read-write."""

    table: str = Field(description="a table from 'tables'")
    access: Literal["read", "read_write"] = Field("read_write", description="read or read_write")


class BucketUse(ManifestModel):
    """A bucket used read-only or read-write."""

    bucket: str = Field(description="a bucket from 'buckets'")
    access: Literal["read", "read_write"] = Field("read_write", description="read or read_write")


class QueueUse(ManifestModel):
    """A queue the service sends to or consumes from."""

    queue: str = Field(description="a queue from 'queues'")
    access: Literal["send", "consume"] = Field(
        "send", description="send: put messages; consume: receive and delete them"
    )


class TopicUse(ManifestModel):
    """A topic the service publishes to."""

    topic: str = Field(description="a topic from 'topics'")


USE_KINDS = {"bucket": "BucketUse", "queue": "QueueUse", "topic": "TopicUse"}


def _use_kind(value: object) -> str:
    if isinstance(value, dict):
        return next((tag for key, tag in USE_KINDS.items() if key in value), "TableUse")
    return "Name"


Use = Annotated[
    Annotated[str, Tag("Name")]
    | Annotated[TableUse, Tag("TableUse")]
    | Annotated[BucketUse, Tag("BucketUse")]
    | Annotated[QueueUse, Tag("QueueUse")]
    | Annotated[TopicUse, Tag("TopicUse")],
    Discriminator(_use_kind),
]
Compute = Literal["fargate", "fargate_spot", "ec2", "express"]


class ServiceSpec(ManifestModel):
    """One containerized service, as it runs in one environment."""

    type: Literal["web", "backend", "worker"] = Field(
        "web",
        description="web: public, behind the environment's load balancer; backend: private, "
        "reached by other services (Service Connect); worker: no port, consumes queues; the "
        "same in every environment",
    )
    image: Image = Field(description="{build: {...}} from source, or {uri: ...} prebuilt")
    port: int = Field(
        8080, ge=1024, le=65535, description="container port; >= 1024 so the image runs as non-root"
    )
    health_check: HealthCheck = Field(
        default_factory=HealthCheck,
        description="checked by the load balancer (web), the container (every type) and "
        "shipway dev",
    )
    cpu: int = Field(256, description="CPU units (Fargate sizes: 256 = 0.25 vCPU ... 16384)")
    memory: int = Field(512, description="MiB; must fit the cpu size on Fargate")
    count: int = Field(2, ge=0, le=1000, description="tasks, when there is no autoscaling")
    autoscaling: Autoscaling | None = Field(
        None, description="target tracking between min and max tasks"
    )
    compute: Compute = Field(
        "fargate",
        description="fargate, fargate_spot (one on-demand task as a floor), ec2 (an Auto "
        "Scaling group), or express (ECS Express Mode: its own load balancer)",
    )
    ec2: Ec2Capacity | None = Field(None, description="the EC2 capacity, for compute: ec2")
    deployment: Deployment = Field(
        default_factory=Deployment,
        description="how a new version replaces the old: rolling, blue_green or canary, or "
        "{strategy, bake_time}",
    )
    routing: Routing | None = Field(
        None, description="which requests the load balancer sends here (web services)"
    )
    environment: dict[EnvName, str] = Field(
        default_factory=dict, description="plain (non-secret) environment variables"
    )
    secrets: dict[EnvName, str] = Field(
        default_factory=dict,
        description="ENV_NAME: Secrets Manager secret name/ARN, or 'ssm:/parameter/name'",
    )
    command: list[str] | None = Field(
        None,
        min_length=1,
        description="replaces the image's CMD, in the cloud and under shipway dev (as "
        "docker run's arguments)",
    )
    entrypoint: list[str] | None = Field(
        None,
        min_length=1,
        description="replaces the image's ENTRYPOINT (and, as in Docker, drops its CMD unless "
        "'command' is given)",
    )
    env_file: str | None = Field(
        None,
        description="a file of NAME=value lines (*.env) beside the manifest: an S3 env file in "
        "the cloud, the same file under shipway dev; 'environment' wins over it, injected "
        "variables over both (docs/wiring.md)",
    )
    platform: Platform = Field(
        "x86_64", description="CPU architecture of the task and of the image built for it"
    )
    sidecars: dict[Name, Sidecar] = Field(
        default_factory=dict,
        description="extra containers in the task (Fargate): name -> {image, port, essential, "
        "depends_on, environment, secrets, health_check, local}",
    )
    depends_on: dict[str, Condition] = Field(
        default_factory=dict,
        description="sidecar -> START | HEALTHY | COMPLETE | SUCCESS: what the service's own "
        "container waits for",
    )
    logging: LogRouting | None = Field(
        None,
        description="{destination: firelens}: every container but the router logs through a "
        "FireLens (Fluent Bit) log router; default: awslogs, one stream prefix per container",
    )
    uses: list[Use] = Field(
        default_factory=list,
        description="tables, caches, buckets, secrets and services this one needs: a name, or "
        "{table: NAME, access: read | read_write}, {bucket: NAME, access: ...}, "
        "{queue: NAME, access: send | consume}, {topic: NAME} (publish)",
    )
    alarms: AlarmThresholds = Field(
        default_factory=AlarmThresholds, description="thresholds of the default alarms"
    )
    slo: Slo | None = Field(
        None,
        description="service level objectives (web services): availability and latency, with "
        "multiwindow burn-rate alarms that page or open a ticket",
    )
    exec: bool | None = Field(
        None,
        description="ECS Exec: `shipway exec` opens a shell (or runs a command) in a running "
        "task, through Session Manager, encrypted and logged; default: on in environments "
        "without requires_approval, off in the others (prod); not for compute: express",
    )
    local: LocalRun | None = Field(None, description="how shipway dev runs it as a process")
    readonly_root_filesystem: bool = Field(
        True, description="the container's root filesystem is read-only (/tmp is writable)"
    )
    user: str | None = Field("10001", description="user the container runs as; null = image's")
    accept_express_limits: bool = Field(
        False,
        description="compute: express only, and required there: accept what Express Mode "
        "cannot give a service: access logs of the load balancer it owns, and tasks in "
        "private subnets (one subnet list serves both; public, for an internet-facing one)",
    )

    @model_validator(mode="before")
    @classmethod
    def _deployment_short_form(cls, data: object) -> object:
        # `deployment: blue_green` is `deployment: {strategy: blue_green}`.
        if isinstance(data, dict) and isinstance(data.get("deployment"), str):
            return {**data, "deployment": {"strategy": data["deployment"]}}
        return data

    @field_validator("cpu")
    @classmethod
    def _fargate_cpu(cls, cpu: int) -> int:
        if problem := cpu_problem(cpu):
            raise ValueError(problem)
        return cpu

    @field_validator("environment", mode="before")
    @classmethod
    def _stringify_values(cls, values: object) -> object:
        return variables_as_text(values)

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
        if self.type != "web" and self.autoscaling and self.autoscaling.requests_per_target:
            raise ValueError(
                "autoscaling: requests_per_target needs a load balancer in front: only web "
                "services scale on requests; scale a backend on cpu or memory"
            )
        if self.type == "worker":
            _worker_rules(self)
        elif self.autoscaling and self.autoscaling.queue_delay:
            raise ValueError(
                "autoscaling: queue_delay is for workers (type: worker), which consume queues"
            )
        if self.slo is not None and self.type != "web":
            raise ValueError(
                "slo: only web services have an SLO: their load balancer measures every request "
                "(a backend has no request metrics shipway reads); declare it on the web "
                "service that calls this one"
            )
        _container_rules(self)
        apply_compute_rules(self)
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


def _worker_rules(spec: ServiceSpec) -> None:
    """A worker consumes a queue, serves nobody, and scales on its backlog."""
    if not any(isinstance(use, QueueUse) and use.access == "consume" for use in spec.uses):
        raise ValueError(
            "uses: a worker consumes at least one queue: add {queue: NAME, access: consume}"
        )
    if spec.compute == "express":
        raise ValueError("compute: a worker has no load balancer: use fargate, fargate_spot or ec2")
    if spec.deployment.strategy != "rolling":
        raise ValueError(
            "deployment: a worker has no load balancer to shift traffic on: use rolling"
        )
    scaling = spec.autoscaling
    if scaling is not None and scaling.queue_delay is None:
        object.__setattr__(scaling, "queue_delay", QueueDelay())


def _container_rules(spec: ServiceSpec) -> None:
    """Sidecars and log routing run in a Fargate task (Express Mode runs one container)."""
    if (spec.sidecars or spec.logging or spec.depends_on) and spec.compute == "ec2":
        field = "sidecars" if spec.sidecars else "logging" if spec.logging else "depends_on"
        raise ValueError(f"{field}: sidecars and log routing run on Fargate; use compute: fargate")
    if spec.platform == "arm64" and spec.compute in ("ec2", "fargate_spot"):
        why = {
            "ec2": "shipway's EC2 capacity is x86_64 instances",
            "fargate_spot": "Fargate Spot does not run ARM64 tasks",
        }[spec.compute]
        raise ValueError(f"platform: arm64 runs on Fargate only ({why}); use compute: fargate")
    main_checked = spec.type != "worker" or spec.health_check.command is not None
    if problem := container_problems(spec.sidecars, spec.depends_on, main_checked):
        raise ValueError(problem)


ServiceOverride = override_model(ServiceSpec, "ServiceOverride")


class Service(ServiceSpec):
    """A service with per-environment overrides of any of its fields."""

    environments: dict[str, ServiceOverride] = Field(  # type: ignore[valid-type]  # built by override_model
        default_factory=dict,
        description="environment name: the values that differ there (merged over these)",
    )
