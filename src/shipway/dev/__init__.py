"""`shipway dev` and `shipway load`: the whole application on a laptop, without Docker or AWS."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shipway.dev.errors import (
    DevAlreadyRunningError,
    DevConfigurationError,
    DevNotRunningError,
    LoadFailedError,
    LoadRequestError,
    MissingSecretError,
    PortTakenError,
    SeedError,
    ServiceFailedError,
)
from shipway.dev.load import load_file
from shipway.dev.plan import plan_dev
from shipway.dev.session import DevSession
from shipway.dev.state import claim

if TYPE_CHECKING:
    from rich.console import Console

    from shipway.manifest import Manifest

__all__ = [
    "DevAlreadyRunningError",
    "DevConfigurationError",
    "DevNotRunningError",
    "DevSession",
    "LoadFailedError",
    "LoadRequestError",
    "MissingSecretError",
    "PortTakenError",
    "SeedError",
    "ServiceFailedError",
    "load_file",
    "plan_dev",
    "run_dev",
]


def run_dev(
    manifest: Manifest, console: Console, errors: Console | None = None, *, jobs: bool = False
) -> int:
    """Run the manifest's application locally until SIGINT/SIGTERM; the exit status. jobs: run
    the manifest's jobs on their schedules too."""
    plan = plan_dev(manifest)
    claim(plan.paths)
    console.print(f"[bold]shipway dev[/] {manifest.name} ({manifest.path})", highlight=False)
    return DevSession(plan, console, errors, run_jobs=jobs).run()
