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

from shipway.dev.dockerfile import image_command
from shipway.dev.errors import DevConfigurationError
from shipway.service import wiring

if TYPE_CHECKING:
    from shipway.manifest import Application, ServiceSpec

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


def service_environment(
    name: str, spec: ServiceSpec, application: Application, resources: LocalResources, port: int
) -> dict[str, str]:
    """The variables the cloud injects, with local values (docs/wiring.md)."""
    uses = wiring.service_uses(application, spec)
    variables = {
        **resources.aws,
        "AWS_REGION": resources.aws.get("AWS_DEFAULT_REGION", "us-east-1"),
        **wiring.identity_variables(resources.app, resources.environment, name),
    }
    variables.update(
        {wiring.table_variable(table): resources.tables[table] for table in uses.tables}
    )
    variables.update(
        {wiring.bucket_variable(bucket): resources.buckets[bucket] for bucket in uses.buckets}
    )
    variables.update(
        {wiring.cache_url_variable(cache): resources.cache_urls[cache] for cache in uses.caches}
    )
    if uses.redis_url_cache is not None:
        variables[wiring.REDIS_URL_VARIABLE] = resources.cache_urls[uses.redis_url_cache]
    for secret in uses.secrets:
        variables[wiring.secret_variable(secret)] = resources.secret_values[secret]
        variables[wiring.secret_id_variable(secret)] = resources.secret_ids[secret]
    variables.update(
        {
            wiring.service_url_variable(other): resources.service_urls[other]
            for other in uses.services
        }
    )
    variables.update(spec.environment)
    variables.update(
        {
            variable: resources.referenced_secrets[reference]
            for variable, reference in spec.secrets.items()
        }
    )
    variables[wiring.PORT_VARIABLE] = str(port)
    # dev.json advertises 127.0.0.1: a service on a laptop listens there only, not on the LAN
    variables["HOST"] = "127.0.0.1"
    return variables


def process_environment(variables: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without AWS settings, plus the service's variables."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not AWS_OVERRIDES.match(key) and not key.startswith("SHIPWAY_")
    }
    return {**inherited, "PYTHONUNBUFFERED": "1", **variables}


def service_command(name: str, spec: ServiceSpec, manifest_dir: Path) -> list[str]:
    """`local.command`, else the image's ENTRYPOINT + CMD; `python` is this interpreter."""
    if spec.local is not None:
        command = spec.local.command
        argv = shlex.split(command) if isinstance(command, str) else list(command)
    else:
        build = spec.image.build
        text = _dockerfile(name, spec, manifest_dir).read_text(encoding="utf-8")
        argv = image_command(
            text, target=build.target if build else None, build_args=build.args if build else None
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


def _dockerfile(name: str, spec: ServiceSpec, manifest_dir: Path) -> Path:
    build = spec.image.build
    if build is None:
        raise DevConfigurationError(
            f"service '{name}' runs a prebuilt image ({spec.image.uri}); add "
            "'local: {command: [...], port: ...}' to say how to run it without Docker"
        )
    path = manifest_dir / build.context / build.dockerfile
    if not path.is_file():
        raise DevConfigurationError(
            f"service '{name}': {path} does not exist; fix image.build or add "
            "'local: {command: ...}'"
        )
    return path
