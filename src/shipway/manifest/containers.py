"""The containers of a service's task beside its own: sidecars, FireLens log routing, platform.

The main container is called `app` in the task definition (as in `depends_on`); a sidecar is
named by its key under `sidecars:`. These rules run on the merged spec of one environment, so a
sidecar added in one environment only is checked there too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal, Self

from pydantic import Field, StringConstraints, field_validator, model_validator

from shipway.manifest.base import ManifestModel

if TYPE_CHECKING:
    from collections.abc import Mapping

EnvName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
Platform = Literal["x86_64", "arm64"]
Condition = Literal["START", "HEALTHY", "COMPLETE", "SUCCESS"]
MAIN_CONTAINER = "app"
LOG_ROUTER = "log-router"
FLUENT_BIT_IMAGE = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.34.3"
RESERVED = (MAIN_CONTAINER, LOG_ROUTER)


class SidecarHealthCheck(ManifestModel):
    """The sidecar's own container health check (what a HEALTHY dependency waits for)."""

    command: list[str] = Field(
        min_length=2, description='["CMD", "/bin/check"] or ["CMD-SHELL", "..."]'
    )
    interval: int = Field(15, ge=5, le=300, description="seconds between checks")
    timeout: int = Field(5, ge=2, le=60, description="seconds to wait for the check")
    retries: int = Field(3, ge=1, le=10, description="failures in a row to be unhealthy")
    grace_period: int = Field(30, ge=0, le=300, description="seconds after start")

    @field_validator("command")
    @classmethod
    def _command_form(cls, command: list[str]) -> list[str]:
        return health_command_form(command)


def health_command_form(command: list[str]) -> list[str]:
    """A health check command as ECS takes it: CMD or CMD-SHELL first."""
    if command[0] not in {"CMD", "CMD-SHELL"}:
        raise ValueError(
            f"starts with {command[0]!r}: begin with 'CMD' (run the program) or 'CMD-SHELL' "
            "(run the rest with /bin/sh)"
        )
    return command


class SidecarLocalRun(ManifestModel):
    """How `shipway dev` runs the sidecar as a process next to its service."""

    command: list[str] | str = Field(
        description="the command, as a list or a shell-like string; 'python' is shipway's own"
    )
    cwd: str | None = Field(None, description="folder to run in; default: the manifest's")
    health_check: list[str] | None = Field(
        None,
        min_length=2,
        description="the check shipway dev runs on this machine for a HEALTHY dependency, as "
        "[CMD, ...] or [CMD-SHELL, ...]; default: the container's own health_check command",
    )

    @field_validator("health_check")
    @classmethod
    def _local_command_form(cls, command: list[str] | None) -> list[str] | None:
        return None if command is None else health_command_form(command)


class Sidecar(ManifestModel):
    """An extra container in the service's task (a proxy, an agent, an init step)."""

    image: str = Field(
        pattern=r"^[a-zA-Z0-9][\w.:/@-]*$",
        description="a prebuilt image, e.g. public.ecr.aws/envoyproxy/envoy:v1.31.0",
    )
    port: int | None = Field(
        None, ge=1024, le=65535, description="a port it listens on, reached inside the task"
    )
    essential: bool = Field(True, description="the task stops when this container stops")
    command: list[str] | None = Field(None, min_length=1, description="replaces the image's CMD")
    depends_on: dict[str, Condition] = Field(
        default_factory=dict,
        description="container (app = the service's own, or a sidecar) -> START | HEALTHY | "
        "COMPLETE | SUCCESS: what must happen to it before this one starts",
    )
    environment: dict[EnvName, str] = Field(
        default_factory=dict, description="plain (non-secret) environment variables"
    )
    secrets: dict[EnvName, str] = Field(
        default_factory=dict,
        description="ENV_NAME: Secrets Manager secret name/ARN, or 'ssm:/parameter/name' (read "
        "by the execution role, that secret only)",
    )
    health_check: SidecarHealthCheck | None = Field(
        None, description="its container health check; needed to depend on it as HEALTHY"
    )
    readonly_root_filesystem: bool = Field(
        True, description="its root filesystem is read-only (/tmp is writable)"
    )
    local: SidecarLocalRun | None = Field(
        None, description="how shipway dev runs it; without it, it is not run locally"
    )

    @field_validator("environment", mode="before")
    @classmethod
    def _stringify_values(cls, values: object) -> object:
        return variables_as_text(values)

    @model_validator(mode="after")
    def _timeout_below_interval(self) -> Self:
        check = self.health_check
        if check is not None and check.timeout >= check.interval:
            raise ValueError(
                f"health_check: timeout {check.timeout} s must be less than interval "
                f"({check.interval} s)"
            )
        return self


def variables_as_text(values: object) -> object:
    """Environment variables as text: YAML reads `DEBUG: 1` as an int, `VERBOSE: true` as a
    bool (written `true`, as the YAML had it); anything else is left for validation to judge."""
    if isinstance(values, dict):
        return {key: _as_text(value) for key, value in values.items()}
    return values


def _as_text(value: object) -> object:
    if isinstance(value, bool):
        return str(value).lower()
    return str(value) if isinstance(value, int | float) else value


class LogRouting(ManifestModel):
    """Route the task's logs through a FireLens (Fluent Bit) log router container."""

    destination: Literal["firelens"] = Field(description="firelens: a Fluent Bit log router")
    image: str = Field(FLUENT_BIT_IMAGE, description="the Fluent Bit image of the log router")
    options: dict[str, str] = Field(
        default_factory=dict,
        description="Fluent Bit output options (Name, region, ...; not secret); default: "
        "cloudwatch_logs into the service's own log group",
    )


def container_problems(
    sidecars: Mapping[str, Sidecar],
    depends_on: Mapping[str, Condition],
    main_has_health_check: bool,
) -> str | None:
    """'<field>: why' for the first inconsistency between the task's containers, or None."""
    for name in sidecars:
        if name in RESERVED:
            return f"sidecars: '{name}' is the name shipway gives the {_reserved(name)}; rename it"
    checked = {MAIN_CONTAINER: main_has_health_check} | {
        name: sidecar.health_check is not None for name, sidecar in sidecars.items()
    }
    essential = {MAIN_CONTAINER: True} | {
        name: sidecar.essential for name, sidecar in sidecars.items()
    }
    graph = {MAIN_CONTAINER: dict(depends_on)} | {
        name: dict(sidecar.depends_on) for name, sidecar in sidecars.items()
    }
    for container, needs in graph.items():
        field = "depends_on" if container == MAIN_CONTAINER else "sidecars"
        for target, condition in needs.items():
            if problem := _dependency_problem(container, target, condition, checked, essential):
                return f"{field}: {problem}"
    if cycle := _cycle(graph):
        return f"sidecars: the containers wait for each other in a circle ({' -> '.join(cycle)})"
    return None


def _reserved(name: str) -> str:
    return "service's own container" if name == MAIN_CONTAINER else "FireLens log router"


def _dependency_problem(
    container: str,
    target: str,
    condition: str,
    checked: Mapping[str, bool],
    essential: Mapping[str, bool],
) -> str | None:
    known = ", ".join(sorted(checked))
    if target == container:
        return f"{container} cannot depend on itself"
    if target not in checked:
        return f"{container} depends on '{target}', which is not a container of the task ({known})"
    if condition == "HEALTHY" and not checked[target]:
        return (
            f"{container} waits for '{target}' to be HEALTHY, but '{target}' has no container "
            "health check; give it a health_check (a command) or wait for START"
        )
    if condition in {"COMPLETE", "SUCCESS"} and essential[target]:
        # ECS refuses the task definition: an essential container's exit stops the whole task
        fix = (
            "the service's own container always is: wait for START or HEALTHY"
            if target == MAIN_CONTAINER
            else f"set sidecars.{target}.essential: false"
        )
        return (
            f"{container} waits for '{target}' to exit ({condition}), but '{target}' is "
            f"essential (its exit would stop the task); {fix}"
        )
    return None


def _cycle(graph: Mapping[str, Mapping[str, str]]) -> list[str] | None:
    """One dependency cycle, as a path that ends where it starts, or None."""

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        for target in sorted(graph.get(node, {})):
            if found := visit(target, [*path, node]):
                return found
        return None

    for start in sorted(graph):
        if found := visit(start, []):
            return found
    return None
