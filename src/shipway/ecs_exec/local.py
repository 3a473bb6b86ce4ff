"""`shipway exec SERVICE --env dev`: the command in the service's local environment.

What a shell in the cloud task shows, on this machine: the variables the running `shipway dev`
gives the service (its `uses`, environment, secrets, identity, PORT and HOST, with the session's
moto and Redis values) and the folder the service runs in. It is a new process beside the
service, not inside it: there is no container to enter locally.
"""

from __future__ import annotations

import shlex
import subprocess
from typing import TYPE_CHECKING

from shipway.dev.load import running_session
from shipway.ecs_exec.cloud import exec_plan_service
from shipway.job.local import session_resources
from shipway.service.local import (
    local_executable,
    process_environment,
    service_directory,
    service_environment,
)

if TYPE_CHECKING:
    from rich.console import Console

    from shipway.manifest import Manifest


def exec_locally(manifest: Manifest, name: str, command: str, console: Console) -> int:
    """Run command with service name's variables in its folder; its exit status."""
    from shipway.dev.plan import plan_dev

    session = running_session(manifest)
    plan = plan_dev(manifest)
    service = exec_plan_service(plan.environment, name)
    resources = session_resources(session, plan)
    port = (session["services"].get(name) or {}).get("port") or service.spec.port
    variables = service_environment(service, resources, int(port))
    argv = shlex.split(command)
    cwd = service_directory(manifest.application.services[name], manifest.directory)
    console.print(
        f"exec {name}: {shlex.join(argv)} (in {cwd}, with {name}'s variables)",
        highlight=False,
        markup=False,
    )
    return subprocess.call(  # noqa: S603 - the user's own command, as ECS Exec would run it
        [local_executable(argv[0]), *argv[1:]], cwd=cwd, env=process_environment(variables)
    )
