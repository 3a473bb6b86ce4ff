"""Runbook pages, one per alarm kind an application can raise (`shipway runbook`).

Which alarms a plan gets is listed here from the plan alone (no synthesis); a test holds the
list to the alarms the synthesized templates really contain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from shipway.observability.kinds import KINDS, AlarmKind
from shipway.observability.slo import BURN_WINDOWS

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from shipway.manifest import EnvironmentPlan, ServicePlan

SERVICE_ALARMS = ("cpu-high", "cpu-low", "memory-high", "memory-low", "tasks-missing")
WEB_ALARMS = ("target-5xx", "target-4xx", "target-3xx", "response-time-p99", "unhealthy-hosts")
CACHE_ALARMS = ("engine-cpu", "memory", "evictions")
LOADER_ALARMS = ("dead-letters", "errors", "oldest-message")
QUEUE_ALARMS = ("dead-letters", "oldest-message")


@dataclass(frozen=True)
class AlarmInstance:
    """One alarm of an environment: its kind, its name, and what it watches."""

    kind: str
    name: str
    environment: str
    subject: str


def alarm_instances(plan: EnvironmentPlan) -> Iterator[AlarmInstance]:
    """The alarms that notify in one environment, as the CDK app creates them."""

    def each(
        capability: str, prefix: str, names: Iterable[str], subject: str
    ) -> Iterator[AlarmInstance]:
        for name in names:
            yield AlarmInstance(f"{capability}-{name}", f"{prefix}-{name}", plan.name, subject)

    for service in plan.services.values():
        yield from _service_alarms(plan, service)
    if plan.load_balanced:
        yield from each("load-balancer", plan.stack_name, ("elb-5xx",), "load balancer")
    for table in plan.tables.values():
        yield from each("table", table.physical_name, ("throttled", "system-errors"), table.name)
    for cache in plan.caches.values():
        names = (*CACHE_ALARMS, "replication-lag") if cache.spec.replicas else CACHE_ALARMS
        yield from each("cache", cache.physical_name, names, cache.name)
    for bucket in plan.buckets.values():
        if bucket.loader_name:
            yield from each("loader", bucket.loader_name, LOADER_ALARMS, bucket.name)
    yield from _messaging_alarms(plan)


def _messaging_alarms(plan: EnvironmentPlan) -> Iterator[AlarmInstance]:
    """Each queue's and job's alarms."""
    for queue in plan.queues.values():
        for name in QUEUE_ALARMS:
            prefix = queue.physical_name
            yield AlarmInstance(f"queue-{name}", f"{prefix}-{name}", plan.name, queue.name)
    for job in plan.jobs.values():
        yield AlarmInstance("job-failed", f"{job.physical_name}-failed", plan.name, job.name)


def _service_alarms(plan: EnvironmentPlan, service: ServicePlan) -> Iterator[AlarmInstance]:
    spec, prefix = service.spec, service.physical_name
    names: tuple[str, ...] = ()
    if spec.alarms.enabled:
        names = SERVICE_ALARMS + (WEB_ALARMS if spec.is_load_balanced else ())
    for name in names:
        yield AlarmInstance(f"service-{name}", f"{prefix}-{name}", plan.name, service.name)
    if spec.slo is None or spec.type != "web":
        return
    indicators = [
        indicator
        for indicator, objective in (
            ("availability", spec.slo.availability),
            ("latency", spec.slo.latency),
        )
        if objective is not None
    ]
    for indicator in indicators:
        for severity in sorted({window.severity for window in BURN_WINDOWS}):
            kind = f"slo-{indicator}-{severity}"
            yield AlarmInstance(kind, f"{prefix}-{kind}", plan.name, service.name)


def runbook_pages(app: str, plans: Iterable[EnvironmentPlan]) -> dict[str, str]:
    """File name -> Markdown: a page per alarm kind the plans raise, and an index."""
    by_kind: dict[str, list[AlarmInstance]] = {}
    for plan in plans:
        for instance in alarm_instances(plan):
            by_kind.setdefault(instance.kind, []).append(instance)
    pages = {f"{kind}.md": _page(KINDS[kind], by_kind[kind]) for kind in sorted(by_kind)}
    pages["README.md"] = _index(app, sorted(by_kind))
    return pages


def _page(kind: AlarmKind, instances: list[AlarmInstance]) -> str:
    lines = [
        f"# {kind.title}",
        "",
        f"Alarm kind `{kind.kind}`; severity: **{kind.severity}** "
        f"({'someone is paged now' if kind.severity == 'page' else 'a ticket for working hours'}).",
        "",
        "## What it means",
        "",
        kind.meaning,
        "",
        "## Where it fires",
        "",
        "| alarm | environment | watches |",
        "| --- | --- | --- |",
        *(f"| `{i.name}` | {i.environment} | {i.subject} |" for i in instances),
        "",
        "## First three checks",
        "",
        *(f"{number}. {check}" for number, check in enumerate(kind.checks, start=1)),
        "",
    ]
    commands = _commands(kind, instances)
    if commands:
        lines += ["For this application:", "", "```", *commands, "```", ""]
    lines += ["## Mitigate", "", kind.mitigation, ""]
    return "\n".join(lines)


def _commands(kind: AlarmKind, instances: list[AlarmInstance]) -> list[str]:
    """The checks' shipway commands with this application's environments and subjects."""
    templates = [part.split("`")[1] for part in kind.checks if "`shipway " in part]
    commands: list[str] = []
    for instance in instances:
        for template in templates:
            command = template.replace("<env>", instance.environment)
            if "<subject>" in command and kind.subject in ("service", "web", "slo"):
                command = command.replace("<subject>", instance.subject)
            if "<" not in command and command not in commands:
                commands.append(command)
    return commands


def _index(app: str, kinds: list[str]) -> str:
    lines = [
        f"# Runbooks of {app}",
        "",
        "Written by `shipway runbook`; each alarm's description links its page. Pages wake "
        "someone up; tickets wait for working hours.",
        "",
        "| alarm kind | severity | what it means |",
        "| --- | --- | --- |",
        *(f"| [{k}]({k}.md) | {KINDS[k].severity} | {KINDS[k].title} |" for k in kinds),
        "",
    ]
    return "\n".join(lines)
