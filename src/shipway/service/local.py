"""A service's local side for `shipway dev`: its command, its folder and its environment."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from shipway import contract
from shipway.dev.dockerfile import image_command
from shipway.dev.errors import DevConfigurationError
from shipway.manifest.env_file import read_env_file

if TYPE_CHECKING:
    from shipway.manifest import ServicePlan, ServiceSpec
    from shipway.manifest.plan import JobPlan
    from shipway.manifest.service import Build

PYTHON = re.compile(r"^python(3(\.\d+)?)?$")
# Inherited variables that would point boto3 away from the moto server.
AWS_OVERRIDES = re.compile(r"^AWS_")


@dataclass(frozen=True)
class LocalResources:
    """What `shipway dev` created, by manifest name, for wiring into services."""

    app: str
    environment: str
    aws: Mapping[str, str]
    tables: Mapping[str, str] = field(default_factory=dict)
    buckets: Mapping[str, str] = field(default_factory=dict)
    cache_urls: Mapping[str, str] = field(default_factory=dict)
    secret_values: Mapping[str, str] = field(default_factory=dict)
    secret_ids: Mapping[str, str] = field(default_factory=dict)
    referenced_secrets: Mapping[str, str] = field(default_factory=dict)
    """Values of `secrets: {NAME: reference}` entries, by reference."""
    service_urls: Mapping[str, str] = field(default_factory=dict)
    queue_urls: Mapping[str, str] = field(default_factory=dict)
    topic_arns: Mapping[str, str] = field(default_factory=dict)


def workload_environment(
    workload: ServicePlan | JobPlan, resources: LocalResources
) -> dict[str, str]:
    """The variables the cloud gives a service's or a job's container, with local values
    (docs/wiring.md), in the cloud's precedence: its env file, then its own environment, then
    what shipway injects (identity, each `uses` edge, REDIS_URL), then the secrets it names."""
    variables = {
        **env_file_variables(workload),
        **workload.spec.environment,
        **resources.aws,
        "AWS_REGION": resources.aws.get("AWS_DEFAULT_REGION", "us-east-1"),
        **contract.identity_variables(resources.app, resources.environment, workload.name),
    }
    for use in workload.uses:
        variables.update(use_variables(use.kind, use.name, resources))
    if workload.redis_url_cache is not None:
        variables[contract.REDIS_URL_VARIABLE] = resources.cache_urls[workload.redis_url_cache]
    variables.update(
        {
            variable: resources.referenced_secrets[reference]
            for variable, reference in workload.spec.secrets.items()
        }
    )
    return variables


def env_file_variables(workload: ServicePlan | JobPlan) -> dict[str, str]:
    """The variables of the workload's `env_file` (checked when the manifest was loaded)."""
    written = workload.spec.env_file
    if workload.env_file is None or written is None:
        return {}
    return read_env_file(workload.env_file, written)


def service_environment(
    service: ServicePlan, resources: LocalResources, port: int
) -> dict[str, str]:
    """The variables the cloud injects, with local values (docs/wiring.md)."""
    variables = workload_environment(service, resources)
    if service.spec.type == "worker":  # it listens on no port, as in the cloud
        return variables
    variables[contract.PORT_VARIABLE] = str(port)
    # dev.json advertises 127.0.0.1: a service on a laptop listens there only, not on the LAN
    variables[contract.HOST_VARIABLE] = "127.0.0.1"
    return variables


def use_variables(kind: str, name: str, resources: LocalResources) -> dict[str, str]:
    """What one `uses` edge injects locally: the same names the cloud injects."""
    if kind == "table":
        return {contract.table_variable(name): resources.tables[name]}
    if kind == "bucket":
        return {contract.bucket_variable(name): resources.buckets[name]}
    if kind == "cache":
        return {contract.cache_url_variable(name): resources.cache_urls[name]}
    if kind == "queue":
        return {contract.queue_url_variable(name): resources.queue_urls[name]}
    if kind == "topic":
        return {contract.topic_arn_variable(name): resources.topic_arns[name]}
    if kind == "secret":
        return {
            contract.secret_variable(name): resources.secret_values[name],
            contract.secret_id_variable(name): resources.secret_ids[name],
        }
    return {contract.service_url_variable(name): resources.service_urls[name]}


def process_environment(variables: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without AWS settings, plus the service's variables."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not AWS_OVERRIDES.match(key) and not key.startswith("SHIPWAY_")
    }
    return {**inherited, "PYTHONUNBUFFERED": "1", **variables}


def service_command(name: str, spec: ServiceSpec, manifest_dir: Path) -> list[str]:
    """`local.command`, else the image's ENTRYPOINT + CMD with the manifest's `entrypoint` and
    `command` applied as the cloud applies them; `python` is this interpreter."""
    if spec.local is not None:
        command = spec.local.command
        argv = shlex.split(command) if isinstance(command, str) else list(command)
    else:
        if spec.image.build is None:
            raise DevConfigurationError(
                f"service '{name}' runs a prebuilt image ({spec.image.uri}); add "
                "'local: {command: [...], port: ...}' to say how to run it without Docker"
            )
        argv = build_command(
            f"service '{name}'",
            spec.image.build,
            manifest_dir,
            entrypoint=spec.entrypoint,
            command=spec.command,
        )
        if not argv:
            raise DevConfigurationError(
                f"service '{name}': its Dockerfile has no CMD or ENTRYPOINT; add "
                "'local: {command: ...}' to say how to run it"
            )
    if not argv:
        raise DevConfigurationError(f"service '{name}': local.command is empty")
    return [local_executable(argv[0]), *argv[1:]]


def service_directory(spec: ServiceSpec, manifest_dir: Path) -> Path:
    """`local.cwd`, else the image's build context, else the manifest's folder."""
    if spec.local is not None and spec.local.cwd is not None:
        return (manifest_dir / spec.local.cwd).resolve()
    if spec.image.build is not None:
        return (manifest_dir / spec.image.build.context).resolve()
    return manifest_dir.resolve()


def local_executable(program: str) -> str:
    """A container's program as found on this machine: python is the running interpreter."""
    base = Path(program).name
    if PYTHON.match(base):
        return sys.executable
    if os.path.isabs(program) and Path(program).exists():
        return program
    beside_python = shutil.which(base, path=str(Path(sys.executable).parent))
    return beside_python or shutil.which(base) or program


def build_command(
    who: str,
    build: Build,
    manifest_dir: Path,
    *,
    entrypoint: list[str] | None = None,
    command: list[str] | None = None,
) -> list[str]:
    """What an image built from source runs (ENTRYPOINT + CMD of its Dockerfile, with the
    manifest's entrypoint and command applied as the cloud applies them), or []; who (`service
    'web'`, `job 'report'`) names it in the error when the Dockerfile is missing."""
    path = manifest_dir / build.context / build.dockerfile
    if not path.is_file():
        raise DevConfigurationError(
            f"{who}: {path} does not exist; fix image.build or add 'local: {{command: ...}}'"
        )
    return image_command(
        path.read_text(encoding="utf-8"),
        target=build.target,
        build_args=build.args,
        entrypoint=entrypoint,
        command=command,
    )
