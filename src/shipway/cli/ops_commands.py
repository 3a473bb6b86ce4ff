"""Commands for operating what was shipped: draw it (`diagram`), see how it runs (`status`), read
its services' logs (`logs`), let reviewers in for a while (`access`)."""

from __future__ import annotations

import contextlib
import sys
import time
from datetime import UTC, datetime
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer
from rich.markup import escape

from shipway.cli.app import app, console, errors
from shipway.cli.common import (
    EnvOption,
    JsonOutput,
    ManifestPath,
    find_manifest,
    one_environment,
    print_json,
    read_manifest,
    user_errors,
)
from shipway.errors import UserError
from shipway.manifest import LOCAL_ENVIRONMENT, resolve

if TYPE_CHECKING:
    from collections.abc import Callable

    from shipway.manifest import EnvironmentPlan
    from shipway.operations.logs import LogEvent
    from shipway.operations.status import EnvironmentStatus

P = ParamSpec("P")
R = TypeVar("R")


class DiagramFormat(StrEnum):
    png = "png"
    svg = "svg"
    mermaid = "mermaid"


SUFFIXES = {".png": DiagramFormat.png, ".svg": DiagramFormat.svg, ".mmd": DiagramFormat.mermaid}


@app.command()
@user_errors
def diagram(
    file: ManifestPath = None,
    env: EnvOption = None,
    image_format: Annotated[
        DiagramFormat | None,
        typer.Option(
            "--format",
            help="png or svg (AWS icons, drawn by Graphviz) or mermaid (text GitHub renders). "
            "Default: from --out's suffix (.png, .svg, .mmd), else mermaid.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write here. Default: Mermaid on standard output, a picture to "
            "<app>-<env>.<format>.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Draw one environment's architecture from the manifest: internet, WAF, load balancer,
    services and how they reach each other, data, loaders, subnet tiers and the alarm topic."""
    from shipway.diagram import architecture, graphviz_source, mermaid, render

    manifest = read_manifest(file)
    plan = resolve(manifest, one_environment(manifest, env))
    chosen = image_format or _format_of(out)
    graph = architecture(plan)
    if chosen is DiagramFormat.mermaid:
        text = mermaid(graph)
        if out is None:
            sys.stdout.write(text)
            return
        out.write_text(text)
    else:
        image = render(graphviz_source(graph), "png" if chosen is DiagramFormat.png else "svg")
        out = out or Path(f"{plan.app}-{plan.name}.{chosen.value}")
        out.write_bytes(image)
    errors.print(f"wrote {out}", markup=False)


def _format_of(out: Path | None) -> DiagramFormat:
    if out is None:
        return DiagramFormat.mermaid
    if out.suffix.lower() in SUFFIXES:
        return SUFFIXES[out.suffix.lower()]
    raise UserError(
        f"--out {out}: cannot tell the format from '{out.suffix or 'no suffix'}'; give --format "
        "png, svg or mermaid (or end the file name with .png, .svg or .mmd)"
    )


def aws_errors(command: Callable[P, R]) -> Callable[P, R]:
    """AWS refusing or unreachable: one line, exit status 2 (no traceback)."""

    @wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return command(*args, **kwargs)
        except ClientError as error:
            raise UserError(f"AWS: {error}") from None
        except BotoCoreError as error:
            raise UserError(f"AWS: {error}") from None

    return run


def _plan(file: Path | None, env: str | None) -> EnvironmentPlan:
    manifest = read_manifest(file)
    return resolve(manifest, one_environment(manifest, env))


@app.command()
@user_errors
@aws_errors
def status(
    file: ManifestPath = None, env: EnvOption = None, json_output: JsonOutput = False
) -> None:
    """How the deployed environment runs now: the stack's state, each service's running and
    desired tasks, rollout state, task definition revision and image tag, the alarms in ALARM,
    and the URLs. Exit status 1 when it is not deployed, not settled, short of tasks, rolling out
    or alarming."""
    from shipway.operations.aws import Clients
    from shipway.operations.status import environment_status

    plan = _plan(file, env)
    found = environment_status(plan, Clients(plan.settings.region))
    if json_output:
        print_json(found.to_json())
    else:
        _print_status(found)
    if not found.healthy:
        raise typer.Exit(1)


def _print_status(found: EnvironmentStatus) -> None:
    from rich.table import Table

    colour = "green" if found.healthy else "yellow"
    console.print(
        f"[bold]{escape(found.app)}[/] {escape(found.environment)} ({escape(found.region)})  "
        f"stack {escape(found.stack)} [{colour}]{escape(found.stack_status)}[/]"
        + (f"  updated {escape(found.updated)}" if found.updated else "")
    )
    table = Table(box=None, pad_edge=False)
    for column in ("service", "tasks", "rollout", "revision", "image", "url"):
        table.add_column(column)
    for service in found.services:
        if not service.found:
            table.add_row(escape(service.name), "[red]not found[/]", "", "", "", "")
            continue
        tasks = f"{service.running}/{service.desired}" + (
            f" ({service.pending} pending)" if service.pending else ""
        )
        rollout = service.rollout or ""
        style = {"COMPLETED": "green", "FAILED": "red"}.get(rollout, "yellow")
        table.add_row(
            escape(service.name),
            f"[{'green' if service.running >= service.desired else 'yellow'}]{tasks}[/]",
            f"[{style}]{escape(rollout)}[/]"
            + (
                f" {escape(service.rollout_reason)}"
                if rollout == "FAILED" and service.rollout_reason
                else ""
            ),
            str(service.revision or ""),
            escape(service.image_tag or ""),
            escape(service.url or ""),
        )
    console.print(table)
    if found.alarms:
        console.print(f"[bold red]{len(found.alarms)} alarm(s) in ALARM[/]")
        for alarm in found.alarms:
            console.print(f"  [red]{escape(alarm.name)}[/]  since {escape(alarm.since)}")
            console.print(f"    {escape(alarm.reason)}", style="dim")
    else:
        console.print("[green]no alarm in ALARM[/]")


@app.command()
@user_errors
@aws_errors
def logs(
    service: Annotated[str, typer.Argument(help="The service (its name in the manifest).")],
    file: ManifestPath = None,
    env: EnvOption = None,
    since: Annotated[
        str, typer.Option("--since", help="How far back: 30s, 15m, 1h, 2d, 1w.")
    ] = "1h",
    follow: Annotated[
        bool, typer.Option("--follow", help="Keep printing new lines (Ctrl-C stops).")
    ] = False,
    follow_for: Annotated[
        str | None,
        typer.Option(
            "--for",
            help="With --follow: stop after this long (e.g. 10m), as when watching a deploy.",
        ),
    ] = None,
    pattern: Annotated[
        str | None,
        typer.Option(
            "--filter",
            help="CloudWatch Logs filter pattern (e.g. ERROR, '\"GET /cart\"', "
            "'{ $.level = \"ERROR\" }'); under shipway dev: plain terms, all must appear.",
        ),
    ] = None,
) -> None:
    """A service's logs: CloudWatch Logs of the deployed environment, or, with --env dev, the
    output of the service `shipway dev` runs. JSON lines are laid out as time, level, logger,
    message and the other fields."""
    from shipway.operations import logs as service_logs

    manifest = read_manifest(file)
    name = one_environment(manifest, env)
    plan = resolve(manifest, name)
    if service not in plan.services:
        raise UserError(
            f"no service '{service}' in {manifest.path} (services: {', '.join(plan.services)})"
        )
    start = datetime.now(UTC) - service_logs.duration(since)
    until = (
        time.monotonic() + service_logs.duration(follow_for).total_seconds() if follow_for else None
    )
    if follow_for and not follow:
        raise UserError("--for goes with --follow")

    shown = [False]

    def show(event: LogEvent) -> None:
        shown[0] = True
        console.print(service_logs.pretty(event), soft_wrap=True)

    with contextlib.suppress(KeyboardInterrupt):
        _print_logs(plan, file, service, start, pattern, show, follow, until)
    if not shown[0]:  # silence would look like a hung or broken command
        matching = f" matching {pattern!r}" if pattern else ""
        errors.print(
            f"no log lines from '{service}' in {name}{matching} since {start:%Y-%m-%d %H:%M:%S} "
            "UTC (--since widens the window)",
            markup=False,
        )


def _print_logs(
    plan: EnvironmentPlan,
    file: Path | None,
    service: str,
    start: datetime,
    pattern: str | None,
    show: Callable[[LogEvent], None],
    follow: bool,
    until: float | None,
) -> None:
    """Show the service's lines from the environment's source, local or cloud."""
    from shipway.operations import logs as service_logs

    if plan.name == LOCAL_ENVIRONMENT:
        _local_logs(find_manifest(file), service, start, pattern, show, follow, until)
        return
    from shipway.operations.aws import Clients

    clients = Clients(plan.settings.region)
    source = service_logs.log_source(plan, clients, service)
    client = clients.client("logs")
    if follow:
        service_logs.follow_cloud(client, source, start, pattern, show, until=until)
    else:
        for event in service_logs.cloud_events(client, source, start, pattern):
            show(event)


def _local_logs(
    manifest_path: Path,
    service: str,
    start: datetime,
    pattern: str | None,
    show: Callable[[LogEvent], None],
    follow: bool,
    until: float | None,
) -> None:
    from shipway.dev.state import DevPaths, process_alive, read_dev_json
    from shipway.operations import logs as service_logs

    paths = DevPaths.beside(manifest_path)
    path = paths.service_log(service)
    document = read_dev_json(paths.dev_json)
    running = document is not None and process_alive(document.get("pid"))
    if not path.is_file():
        raise UserError(
            f"no output of '{service}' from shipway dev in {path.parent}: start "
            f"'shipway dev -f {manifest_path}' first"
        )
    if not running:
        errors.print(
            f"shipway dev is not running {manifest_path}: these are its last session's lines",
            markup=False,
        )
    if follow:
        service_logs.follow_local(path, start, pattern, show, until=until)
    else:
        for event in service_logs.local_events(path, start, pattern):
            show(event)


@app.command()
@user_errors
def access(
    file: ManifestPath = None, env: EnvOption = None, json_output: JsonOutput = False
) -> None:
    """The environment's temporary read-only roles (`access:` in the manifest): each role's ARN,
    who may assume it, until when, and the console's switch-role link. Nothing is asked of AWS:
    the roles exist once the environment is deployed."""
    from shipway.access.grants import reviewer_roles, today

    plan = _plan(file, env)
    settings = plan.settings
    roles = reviewer_roles(plan.app, plan.name, settings.account, settings.access)
    now = today()
    if json_output:
        print_json(
            [
                {
                    "name": role.name,
                    "principal": role.principal,
                    "role_arn": role.arn,
                    "expires": role.not_after,
                    "expired": role.expired(now),
                    "switch_role_url": role.switch_role_url,
                }
                for role in roles
            ]
        )
        return
    if not roles:
        console.print(
            f"no read-only access is granted in {escape(plan.name)}: add "
            f"environments.{escape(plan.name)}.access entries ({{principal, expires}}) and deploy"
        )
        return
    for role in roles:
        state = "[red]expired[/]" if role.expired(now) else "[green]active[/]"
        console.print(f"[bold]{escape(role.name)}[/] ({state})  for {escape(role.principal)}")
        console.print(f"  role     {escape(role.arn)}")
        console.print(f"  expires  {escape(role.not_after)} (assuming it is denied after)")
        console.print(f"  console  {escape(role.switch_role_url)}")
        console.print(
            f"  cli      aws sts assume-role --role-arn {escape(role.arn)} "
            "--role-session-name review"
        )
