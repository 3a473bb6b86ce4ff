"""`shipway job run NAME`: one run of a job on this machine, against the running `shipway dev`.

The job gets the variables the cloud injects (its `uses`, `environment`, secrets, identity),
with the values of the running session's moto server and Redis, runs once in the foreground
with its output streamed, and is stopped when its `timeout` passes.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from typing import TYPE_CHECKING, Any

from shipway.cache.local import cache_urls
from shipway.dev.errors import DevConfigurationError
from shipway.dev.load import running_session
from shipway.emulators.moto_server import FAKE_CREDENTIALS
from shipway.service.local import (
    LocalResources,
    build_command,
    local_executable,
    process_environment,
    service_directory,
    workload_environment,
)

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

    from shipway.dev.plan import DevPlan
    from shipway.manifest import Manifest
    from shipway.manifest.plan import JobPlan

TIMED_OUT = 124
"""The exit status of a run stopped at its timeout (as timeout(1) reports it)."""


def run_job_locally(manifest: Manifest, name: str, console: Console) -> int:
    """Run the job once against the running `shipway dev`; its exit status."""
    from shipway.dev.plan import plan_dev

    session = running_session(manifest)
    plan = plan_dev(manifest)
    job = plan.environment.jobs.get(name)
    if job is None:
        listing = ", ".join(plan.environment.jobs) or "none"
        raise DevConfigurationError(
            f"there is no job '{name}' in {manifest.path} (jobs: {listing})"
        )
    variables = job_environment(job, session_resources(session, plan))
    argv, cwd = job_command(manifest, job)
    console.print(f"job {name}: {shlex.join(argv)} (in {cwd})", highlight=False, markup=False)
    process = subprocess.Popen(  # noqa: S603 - the manifest's own command
        argv, cwd=cwd, env=process_environment(variables), stdout=sys.stdout, stderr=sys.stderr
    )
    try:
        code = process.wait(timeout=job.spec.timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        console.print(f"job {name}: stopped after its timeout of {job.spec.timeout} s")
        return TIMED_OUT
    console.print(f"job {name}: exit status {code}", highlight=False)
    return code


def session_resources(session: dict[str, Any], plan: DevPlan) -> LocalResources:
    """What a running session provisioned (its dev.json), for wiring a job."""
    redis_url = session.get("redis_url")
    port = int(redis_url.rsplit(":", 1)[1].split("/")[0]) if redis_url else None
    caches = list(plan.environment.caches)
    endpoint = session.get("aws_endpoint_url")  # none when the application uses no AWS service
    return LocalResources(
        app=plan.app,
        environment="dev",
        aws={**FAKE_CREDENTIALS, **({"AWS_ENDPOINT_URL": endpoint} if endpoint else {})},
        tables=session.get("tables", {}),
        buckets=session.get("buckets", {}),
        cache_urls=cache_urls(caches, "127.0.0.1", port) if port else {},
        secret_values=plan.secrets.values,
        referenced_secrets=plan.secrets.referenced,
        secret_ids=session.get("secrets", {}),
        service_urls={
            name: entry["url"] for name, entry in session["services"].items() if entry["url"]
        },
        queue_urls={name: entry["url"] for name, entry in session.get("queues", {}).items()},
        topic_arns=session.get("topics", {}),
    )


def job_environment(job: JobPlan, resources: LocalResources) -> dict[str, str]:
    """The variables the cloud injects into the job, with local values (docs/wiring.md)."""
    return workload_environment(job, resources)


def job_command(manifest: Manifest, job: JobPlan) -> tuple[list[str], Path]:
    """`local.command`, else (a job built from source) its image's ENTRYPOINT + CMD with the
    job's `command` applied, else the job's `command`; in `local.cwd`, else its service's folder
    or its own build context."""
    local, spec = job.spec.local, job.spec
    command: list[str] | str | None = local.command if local and local.command else spec.command
    if not (local and local.command) and spec.image.build is not None:
        built = build_command(
            f"job '{job.name}'", spec.image.build, manifest.directory, command=spec.command
        )
        command = built or spec.command
    if not command:
        raise DevConfigurationError(
            f"job '{job.name}' has no command to run locally; add 'command' or "
            "'local: {command: [...]}'"
        )
    argv = shlex.split(command) if isinstance(command, str) else list(command)
    if local is not None and local.cwd is not None:
        cwd = (manifest.directory / local.cwd).resolve()
    elif spec.image.service is not None:
        # where the job's service runs locally: its local.cwd, or its build context
        cwd = service_directory(
            manifest.application.services[spec.image.service], manifest.directory
        )
    elif spec.image.build is not None:  # its own image's sources
        cwd = (manifest.directory / spec.image.build.context).resolve()
    else:
        cwd = manifest.directory.resolve()
    return [local_executable(argv[0]), *argv[1:]], cwd
