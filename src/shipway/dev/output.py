"""What `shipway dev` prints: where everything runs, and why a service failed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console

    from shipway.dev.emulators import Emulators
    from shipway.dev.errors import ServiceFailedError
    from shipway.dev.plan import DevPlan
    from shipway.dev.provision import Provisioned

SHOWN_LINES = 20


def print_emulators(console: Console, emulators: Emulators) -> None:
    """The endpoints services are wired to, and which Redis runs."""
    if emulators.aws_endpoint_url is not None:
        console.print(
            f"[bold]moto server[/]  {emulators.aws_endpoint_url}  "
            "DynamoDB, S3, SQS, SNS, Secrets Manager, SSM",
            highlight=False,
            soft_wrap=True,
        )
    if emulators.redis is not None:
        console.print(
            f"[bold]redis[/]        redis://127.0.0.1:{emulators.redis.port}  "
            f"{emulators.redis.description}",
            highlight=False,
            soft_wrap=True,
        )


def print_provisioned(
    console: Console, provisioned: Provisioned, loader_tables: dict[str, str]
) -> None:
    """One line per kind of resource created."""
    for kind, names in (
        ("tables", provisioned.tables),
        ("buckets", provisioned.buckets),
        ("secrets", provisioned.secret_ids),
    ):
        if names:
            listing = ", ".join(f"{name} → {physical}" for name, physical in names.items())
            console.print(f"[bold]{kind:<12}[/] {listing}", highlight=False, soft_wrap=True)
    for bucket, table in loader_tables.items():
        console.print(
            f"[bold]{'loader':<12}[/] {bucket} → queue {provisioned.buckets[bucket]}"
            f"-loader (+ DLQ) → table {provisioned.tables[table]}",
            highlight=False,
            soft_wrap=True,
        )


def print_ready(console: Console, plan: DevPlan, seconds: float) -> None:
    """The table of services and URLs, once everything is healthy."""
    table = Table(title=f"{plan.app}: ready in {seconds:.1f} s", title_justify="left")
    for column in ("service", "type", "URL", "health"):
        table.add_column(column)
    for name in (name for wave in plan.waves for name in wave):
        service = plan.services[name]
        if service.gate is None:  # a worker: no URL, its process is its health
            table.add_row(name, service.spec.type, "-", Text("running", style="green"))
            continue
        table.add_row(
            name,
            service.spec.type,
            service.url,
            Text(f"healthy (GET {service.gate.path})", style="green"),
        )
    if plan.services:
        console.print(table)
    else:
        console.print(f"[bold]{plan.app}[/]: ready in {seconds:.1f} s (no services)")
    console.print(
        f"wrote {plan.paths.dev_json}; Ctrl-C stops everything", highlight=False, soft_wrap=True
    )


def print_failure(console: Console, failure: ServiceFailedError) -> None:
    """The service's last output lines, then the reason."""
    if failure.last_lines:
        console.print(f"[bold red]last lines of {failure.service}:[/]")
        for line in failure.last_lines[-SHOWN_LINES:]:
            console.print(Text(f"  {line}"), soft_wrap=True)
    console.print(
        Text(
            f"error: service '{failure.service}' {failure.reason}; stopped the rest",
            style="bold red",
        ),
        soft_wrap=True,
    )
