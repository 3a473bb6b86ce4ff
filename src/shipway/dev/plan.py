"""Everything decided before anything starts, so a user's mistake costs no process at all."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

from shipway.dev.errors import PortTakenError, SeedError
from shipway.dev.order import start_waves
from shipway.dev.processes import HealthGate
from shipway.dev.sidecars import LocalSidecar, local_sidecars, sidecar_references
from shipway.dev.state import DevPaths
from shipway.emulators import free_port
from shipway.manifest import (
    LOCAL_ENVIRONMENT,
    EnvironmentPlan,
    Manifest,
    ServicePlan,
    ServiceSpec,
    resolve,
)
from shipway.secret.local import LocalSecrets, local_secrets
from shipway.service.local import service_command, service_directory

ENVIRONMENT = LOCAL_ENVIRONMENT
DEFAULT_HEALTH_SECONDS = 30.0


@dataclass(frozen=True)
class LocalService:
    """How one service runs locally."""

    service: ServicePlan
    argv: list[str]
    cwd: Path
    port: int
    gate: HealthGate | None
    """None for a worker: it serves no port, so its health is its process running."""
    sidecars: tuple[LocalSidecar, ...] = ()
    """Its sidecars that have a `local.command`, started in `depends_on` order with it."""

    @property
    def name(self) -> str:
        return self.service.name

    @property
    def spec(self) -> ServiceSpec:
        return self.service.spec

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass(frozen=True)
class DevPlan:
    """The local run of one manifest: its `dev` environment's plan, and how each part runs."""

    manifest: Manifest
    environment: EnvironmentPlan
    paths: DevPaths
    services: dict[str, LocalService]
    waves: list[list[str]]
    secrets: LocalSecrets
    seeds: list[tuple[str, Path]]
    sidecars_not_run: tuple[str, ...] = ()
    """`service/sidecar` of each sidecar without a `local.command`."""

    @property
    def app(self) -> str:
        return self.manifest.name

    @property
    def aws_services(self) -> list[str]:
        """The moto services provisioning will call."""
        environment = self.environment
        needed = {
            "dynamodb": environment.tables,
            "s3": environment.buckets,
            "sqs": environment.queues
            or any(bucket.spec.loader for bucket in environment.buckets.values()),
            "sns": environment.topics,
            "secretsmanager": environment.secrets or self.secrets.referenced,
            "ssm": any(ref.startswith("ssm:") for ref in self.secrets.referenced),
        }
        return [service for service, used in needed.items() if used]


def plan_dev(manifest: Manifest) -> DevPlan:
    """Check and decide commands, ports, start order, secrets and seeds."""
    paths = DevPaths.beside(manifest.path)
    environment = resolve(manifest, LOCAL_ENVIRONMENT)
    specs = environment.service_specs()
    waves = start_waves(
        {
            name: [use.name for use in service.uses_of("service")]
            for name, service in environment.services.items()
        }
    )
    ports = assign_ports(specs)
    services, not_run = {}, []
    for name, service in environment.services.items():
        sidecars, skipped = local_sidecars(name, service.spec, manifest.directory)
        not_run += skipped
        services[name] = LocalService(
            service=service,
            argv=service_command(name, service.spec, manifest.directory),
            cwd=service_directory(service.spec, manifest.directory),
            port=ports[name],
            gate=None if service.spec.type == "worker" else health_gate(service.spec),
            sidecars=tuple(sidecars),
        )
    references = [
        (name, variable, reference)
        for name, spec in specs.items()
        for variable, reference in spec.secrets.items()
    ]
    references += [
        entry for name, spec in specs.items() for entry in sidecar_references(name, spec)
    ]
    secrets = local_secrets(environment, references, paths.secrets_env)
    return DevPlan(
        manifest,
        environment,
        paths,
        services,
        waves,
        secrets,
        seed_files(manifest),
        tuple(not_run),
    )


def health_gate(spec: ServiceSpec) -> HealthGate:
    """The manifest's health check; its grace period if set, else 30 s, bounds the wait."""
    check = spec.health_check
    explicit = "grace_period" in check.model_fields_set and check.grace_period > 0
    return HealthGate(
        path=check.path,
        healthy_codes=check.healthy_codes,
        deadline_seconds=float(check.grace_period) if explicit else DEFAULT_HEALTH_SECONDS,
        interval_seconds=float(check.interval),
        healthy_threshold=check.healthy_threshold,
        unhealthy_threshold=check.unhealthy_threshold,
    )


def assign_ports(specs: dict[str, ServiceSpec]) -> dict[str, int]:
    """`local.port` where given (it must be free), else a free port, all distinct."""
    ports: dict[str, int] = {}
    for name, spec in specs.items():
        fixed = spec.local.port if spec.local is not None else None
        if fixed is None:
            continue
        if fixed in ports.values() or not port_is_free(fixed):
            raise PortTakenError(
                f"service '{name}': port {fixed} (local.port) is already in use; stop what "
                "listens there or change local.port (omit it for a free port)"
            )
        ports[name] = fixed
    for name in specs:
        while name not in ports:
            port = free_port()
            if port not in ports.values():
                ports[name] = port
    return ports


def port_is_free(port: int) -> bool:
    """True if a server could listen on 127.0.0.1:port now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def seed_files(manifest: Manifest) -> list[tuple[str, Path]]:
    """(bucket, file) for each seed, checking that each file exists."""
    seeds = []
    for seed in manifest.application.seed:
        path = (manifest.directory / seed.file).resolve()
        if not path.is_file():
            raise SeedError(
                f"seed file {seed.file} (bucket {seed.bucket}) does not exist "
                f"beside {manifest.path.name}; fix 'seed:' or add the file"
            )
        seeds.append((seed.bucket, path))
    return seeds
