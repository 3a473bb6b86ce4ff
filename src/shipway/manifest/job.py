"""A scheduled job: one container run to completion on a schedule, with a timeout and retries."""

from __future__ import annotations

import re
from typing import Self

from pydantic import Field, field_validator, model_validator

from shipway.manifest.base import ManifestModel, Name, override_model
from shipway.manifest.containers import EnvName, Platform
from shipway.manifest.fargate import cpu_problem, memory_problem
from shipway.manifest.service import Build, Use

RATE = re.compile(r"^rate\((?P<value>[1-9]\d*) (?P<unit>minutes?|hours?|days?)\)$")
# EventBridge Scheduler's cron: six fields, minutes to years.
CRON = re.compile(r"^cron\((\S+ ){5}\S+\)$")


class JobImage(ManifestModel):
    """What a job runs: the image of one of the services, its own built from source, or a
    prebuilt image."""

    service: Name | None = Field(
        None, description="a service whose image (built or prebuilt) the job runs"
    )
    build: Build | None = Field(
        None,
        description="build the job's own image from source (its own repository, content tag and "
        "push, as a service's)",
    )
    uri: str | None = Field(None, description="a prebuilt image, e.g. public.ecr.aws/x/y:1")

    @model_validator(mode="after")
    def _exactly_one_source(self) -> Self:
        if sum(source is not None for source in (self.service, self.build, self.uri)) != 1:
            raise ValueError(
                "give exactly one of 'service' (run its image), 'build' (build its own) or 'uri'"
            )
        return self


class JobLocalRun(ManifestModel):
    """How `shipway job run NAME` runs the job on this machine."""

    command: list[str] | str | None = Field(
        None, description="the command; default: the job's command ('python' is shipway's own)"
    )
    cwd: str | None = Field(None, description="folder to run in; default: the service's")


class JobSpec(ManifestModel):
    """A job, as it runs in one environment."""

    image: JobImage = Field(
        description="{service: NAME} to run a service's image, {build: {...}} to build its own, "
        "or {uri: ...}"
    )
    command: list[str] | None = Field(
        None, min_length=1, description="the container's command; default: the image's CMD"
    )
    schedule: str = Field(
        description='when it runs: "cron(min hour day month weekday year)" or "rate(N unit)", '
        "in UTC (EventBridge Scheduler)"
    )
    cpu: int = Field(256, description="CPU units (Fargate sizes: 256 = 0.25 vCPU ... 16384)")
    memory: int = Field(512, description="MiB; must fit the cpu size on Fargate")
    timeout: int = Field(
        900, ge=60, le=86_400, description="seconds a run may take before it is stopped"
    )
    retries: int = Field(
        0, ge=0, le=10, description="further attempts after a run fails or times out"
    )
    environment: dict[EnvName, str] = Field(
        default_factory=dict, description="plain (non-secret) environment variables"
    )
    secrets: dict[EnvName, str] = Field(
        default_factory=dict,
        description="ENV_NAME: Secrets Manager secret name/ARN, or 'ssm:/parameter/name'",
    )
    env_file: str | None = Field(
        None,
        description="a file of NAME=value lines (*.env) beside the manifest, as a service's",
    )
    platform: Platform = Field(
        "x86_64",
        description="CPU architecture of the task; the same as the service's when the job "
        "runs a service's image",
    )
    uses: list[Use] = Field(
        default_factory=list,
        description="what the job needs, written as a service's 'uses' (tables, queues, ...)",
    )
    local: JobLocalRun | None = Field(None, description="how shipway job run runs it locally")
    user: str | None = Field("10001", description="user the container runs as; null = image's")

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, schedule: str) -> str:
        if problem := schedule_problem(schedule):
            raise ValueError(problem)
        return schedule

    @field_validator("cpu")
    @classmethod
    def _fargate_cpu(cls, cpu: int) -> int:
        if problem := cpu_problem(cpu):
            raise ValueError(problem)
        return cpu

    @model_validator(mode="after")
    def _memory_fits(self) -> Self:
        if problem := memory_problem(self.cpu, self.memory):
            raise ValueError(f"memory: {problem}")
        return self


def schedule_problem(schedule: str) -> str | None:
    """Why schedule is not an EventBridge Scheduler expression, or None."""
    if CRON.match(schedule):
        return None
    rate = RATE.match(schedule)
    if rate is None:
        return (
            f"{schedule!r} is not a schedule: write cron(0 3 * * ? *) (minutes hours "
            "day-of-month month day-of-week year) or rate(1 hour)"
        )
    singular = rate["value"] == "1"
    if singular == rate["unit"].endswith("s"):
        unit = rate["unit"].rstrip("s")
        fixed = f"rate(1 {unit})" if singular else f"rate({rate['value']} {unit}s)"
        return f"{schedule!r}: write {fixed} (EventBridge wants the unit singular only for 1)"
    return None


JobOverride = override_model(JobSpec, "JobOverride")


class Job(JobSpec):
    """A job with per-environment values."""

    environments: dict[str, JobOverride] = Field(  # type: ignore[valid-type]  # built by override_model
        default_factory=dict,
        description="environment name: the values that differ there (merged over these)",
    )
