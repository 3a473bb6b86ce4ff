"""`shipway exec`: a shell (or one command) in a running task of a service, through ECS Exec; or,
with --env dev, in the service's local environment under `shipway dev`."""

from __future__ import annotations

from typing import Annotated

import typer

from shipway.cli.app import app, console
from shipway.cli.common import EnvOption, ManifestPath, one_environment, read_manifest, user_errors
from shipway.cli.ops_commands import aws_errors
from shipway.errors import UserError
from shipway.manifest import LOCAL_ENVIRONMENT, resolve
from shipway.manifest.containers import MAIN_CONTAINER


@app.command("exec")
@user_errors
@aws_errors
def exec_command(
    service: Annotated[str, typer.Argument(help="The service (its name in the manifest).")],
    file: ManifestPath = None,
    env: EnvOption = None,
    command: Annotated[
        str, typer.Option("--command", "-c", help="What to run, as one shell-like string.")
    ] = "/bin/sh",
    container: Annotated[
        str, typer.Option("--container", help="The task's container (cloud only).")
    ] = MAIN_CONTAINER,
    task: Annotated[
        str | None,
        typer.Option(
            "--task", help="A task id or ARN (cloud only); default: the newest running task."
        ),
    ] = None,
) -> None:
    """Open a shell (or run --command) in a running task of SERVICE with ECS Exec, through the
    Session Manager plugin (session-manager-plugin on PATH), as 'aws ecs execute-command
    --interactive' does. Sessions are encrypted with the environment's key and logged.

    With --env dev: runs the command on this machine with the variables the running 'shipway
    dev' gives SERVICE, in the folder it runs in. Exit status: the command's; 2 if the service
    is unknown, exec is off for it (services.NAME.exec), the environment is not deployed, no task
    runs, or the plugin is missing."""
    if not command.strip():
        raise UserError("--command is empty: give the program to run, e.g. --command /bin/sh")
    manifest = read_manifest(file)
    name = one_environment(manifest, env)
    if name == LOCAL_ENVIRONMENT:
        if task is not None or container != MAIN_CONTAINER:
            raise UserError(
                "--task and --container choose a cloud task: leave them out with --env dev"
            )
        from shipway.ecs_exec.local import exec_locally

        raise typer.Exit(exec_locally(manifest, service, command, console))
    from shipway.ecs_exec.cloud import ExecRequest, open_session
    from shipway.operations.aws import Clients

    plan = resolve(manifest, name)
    request = ExecRequest(service=service, command=command, container=container, task=task)
    raise typer.Exit(open_session(plan, Clients(plan.settings.region), request))
