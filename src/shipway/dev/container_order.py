"""A service's task under `shipway dev`: its containers started in `depends_on` order.

As ECS does it: a container starts only when each container it depends on has started
(START), passed its health check (HEALTHY), exited (COMPLETE) or exited 0 (SUCCESS). Locally
the containers are the service's process and its sidecars that have a `local.command`; a
dependency on a sidecar that is not run locally has nothing to wait for and is dropped. With no
`depends_on` at all, the sidecars start first, then the service (as before).
"""

from __future__ import annotations

import subprocess
import time
from typing import TYPE_CHECKING

from shipway.manifest.containers import MAIN_CONTAINER, Condition
from shipway.service.local import local_executable

if TYPE_CHECKING:
    import threading
    from collections.abc import Collection, Mapping, Sequence

    from shipway.dev.processes import ServiceProcess
    from shipway.dev.sidecars import LocalSidecar
    from shipway.manifest import ServiceSpec

# A local check costs a fork, not a container exec: poll it often rather than every `interval`.
LOCAL_CHECK_POLL_SECONDS = 0.2
EXIT_POLL_SECONDS = 0.05
SHELL_COMMAND_NOT_FOUND = 127


def start_order(
    spec: ServiceSpec, local_sidecars: Collection[str]
) -> list[tuple[str, dict[str, Condition]]]:
    """Each container run locally (`app` = the service's own), after those it depends on, with
    what it waits for from each. The manifest has already refused cycles."""
    running = {MAIN_CONTAINER, *local_sidecars}
    needs = {MAIN_CONTAINER: dict(spec.depends_on)} | {
        name: dict(spec.sidecars[name].depends_on) for name in local_sidecars
    }
    waits = {
        container: {target: condition for target, condition in wanted.items() if target in running}
        for container, wanted in needs.items()
    }
    order: list[str] = []

    def visit(container: str, path: tuple[str, ...]) -> None:
        if container in order or container in path:
            return
        for target in sorted(waits[container]):
            visit(target, (*path, container))
        order.append(container)

    for container in [*sorted(local_sidecars), MAIN_CONTAINER]:
        visit(container, ())
    return [(container, waits[container]) for container in order]


def wait_exited(process: ServiceProcess, stopping: threading.Event) -> int | None:
    """The process's exit status once it exits (its output relayed), or None if stopping."""
    while (code := process.exit_code()) is None:
        if stopping.wait(EXIT_POLL_SECONDS):
            return None
    process.tail.finished.wait(timeout=2)
    return code


def health_argv(command: Sequence[str]) -> list[str]:
    """A health check command run on this machine: CMD-SHELL through /bin/sh, CMD as is
    ('python' being shipway's own, as in `local.command`)."""
    kind, *rest = command
    if kind == "CMD-SHELL":
        return ["/bin/sh", "-c", " ".join(rest)]
    return [local_executable(rest[0]), *rest[1:]]


def wait_sidecar_healthy(
    process: ServiceProcess,
    sidecar: LocalSidecar,
    *,
    environment: Mapping[str, str],
    stopping: threading.Event,
) -> str | None:
    """Run the sidecar's health check (its `local.health_check`, else the container's) until it
    passes; None then (or when stopping), else why it never did. Given as long as ECS would:
    the grace period and `retries` intervals."""
    check = sidecar.sidecar.health_check
    assert check is not None  # the manifest requires one to wait for HEALTHY
    local = sidecar.sidecar.local.health_check if sidecar.sidecar.local else None
    command = local or check.command
    deadline = time.monotonic() + check.grace_period + check.retries * check.interval
    argv, last, cwd = health_argv(command), "it never ran", sidecar.cwd
    while not stopping.is_set():
        if (code := process.exit_code()) is not None:
            return f"exited with status {code} before it was healthy"
        try:
            answer = subprocess.run(  # noqa: S603 - the manifest's own health check command
                argv,
                cwd=cwd,
                env=dict(environment),
                capture_output=True,
                text=True,
                timeout=check.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            last = f"it took longer than its timeout ({check.timeout} s)"
        except OSError as error:
            return _cannot_run(sidecar, f"{argv[0]}: {error.strerror}")
        else:
            if answer.returncode == 0:
                return None
            output = (answer.stdout + answer.stderr).strip().splitlines()
            if answer.returncode == SHELL_COMMAND_NOT_FOUND and command[0] == "CMD-SHELL":
                return _cannot_run(sidecar, output[-1] if output else "command not found")
            last = f"exit status {answer.returncode}" + (f": {output[-1]}" if output else "")
        if time.monotonic() >= deadline:
            seconds = check.grace_period + check.retries * check.interval
            return f"failed its health check {command[1:]} for {seconds} s (last: {last})"
        stopping.wait(LOCAL_CHECK_POLL_SECONDS)
    return None


def _cannot_run(sidecar: LocalSidecar, reason: str) -> str:
    # The container's check often calls a tool its image has and this machine may not (wget).
    return (
        f"its health check cannot run on this machine ({reason}); give "
        f"sidecars.{sidecar.name}.local.health_check a command that can"
    )
