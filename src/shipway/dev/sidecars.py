"""A service's sidecars under `shipway dev`: those with a `local.command` run as processes.

A sidecar starts in its task's `depends_on` order (dev/container_order.py; without one, just
before its service), is logged as `service/sidecar`, and stops with the session. A sidecar without a
`local.command` (an image only: a proxy, an agent) is listed once as not run locally. As in the
cloud, an essential sidecar that exits stops everything; another one's exit is only reported.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from shipway.dev.errors import DevConfigurationError
from shipway.manifest.containers import Sidecar
from shipway.service.local import local_executable

if TYPE_CHECKING:
    from collections.abc import Mapping

    from shipway.manifest import ServiceSpec


@dataclass(frozen=True)
class LocalSidecar:
    """How one sidecar runs locally."""

    service: str
    name: str
    argv: list[str]
    cwd: Path
    essential: bool
    sidecar: Sidecar

    @property
    def label(self) -> str:
        """Its name in the log and in messages: `service/sidecar`."""
        return f"{self.service}/{self.name}"

    def environment(self, secrets: Mapping[str, str]) -> dict[str, str]:
        """Its own variables and secrets (as in the task definition), and HOST."""
        variables = dict(self.sidecar.environment)
        variables.update(
            {variable: secrets[reference] for variable, reference in self.sidecar.secrets.items()}
        )
        variables["HOST"] = "127.0.0.1"
        return variables


def local_sidecars(
    service: str, spec: ServiceSpec, manifest_dir: Path
) -> tuple[list[LocalSidecar], list[str]]:
    """The sidecars of service that run locally, and the labels of those that do not."""
    running, skipped = [], []
    for name, sidecar in spec.sidecars.items():
        if sidecar.local is None:
            skipped.append(f"{service}/{name}")
            continue
        command = sidecar.local.command
        argv = shlex.split(command) if isinstance(command, str) else list(command)
        if not argv:
            raise DevConfigurationError(
                f"service '{service}': sidecars.{name}.local.command is empty"
            )
        cwd = (manifest_dir / (sidecar.local.cwd or ".")).resolve()
        argv = [local_executable(argv[0]), *argv[1:]]
        running.append(LocalSidecar(service, name, argv, cwd, sidecar.essential, sidecar))
    return running, skipped


def sidecar_references(service: str, spec: ServiceSpec) -> list[tuple[str, str, str]]:
    """(who, VARIABLE, reference) for each secret a sidecar names, to resolve locally."""
    return [
        (f"{service}/{name}", variable, reference)
        for name, sidecar in spec.sidecars.items()
        if sidecar.local is not None  # one not run locally needs no local value
        for variable, reference in sidecar.secrets.items()
    ]
