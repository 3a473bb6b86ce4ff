"""A service's logs: `shipway logs`.

In the cloud the log group is the one the service's task definition writes to (its awslogs
options, read from ECS: nothing synthesized); events are read with FilterLogEvents from
`--since` on, and `--follow` keeps polling for new ones. Under `shipway dev` the same command
reads the copy of the service's output that dev keeps in `.shipway/logs/<service>.log`.

Lines that are JSON objects (what service-runtime and most structured loggers write) print as
`time LEVEL logger message key=value ...`; other lines print as they are.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from rich.text import Text

from shipway.deploy import stacks
from shipway.errors import UserError
from shipway.operations.status import stack_cluster

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from shipway.manifest import EnvironmentPlan
    from shipway.operations.aws import Clients

POLL_SECONDS = 2.0
LOCAL_POLL_SECONDS = 0.2
DURATION = re.compile(r"^(\d+)\s*([smhdw])$")
UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
LEVEL_STYLES = {
    "DEBUG": "dim",
    "INFO": "green",
    "WARNING": "yellow",
    "WARN": "yellow",
    "ERROR": "bold red",
    "CRITICAL": "bold red",
}
# Keys shown in the line's head, not repeated as key=value.
HEAD_KEYS = ("timestamp", "time", "level", "logger", "message", "msg")


@dataclass(frozen=True)
class LogEvent:
    timestamp: int
    """Milliseconds since the epoch (0 when unknown, e.g. a local line without a time)."""
    message: str
    stream: str = ""
    event_id: str = ""


@dataclass(frozen=True)
class LogSource:
    """Where a service's tasks write: a log group and the stream prefix of the service."""

    group: str
    prefix: str


def duration(text: str) -> timedelta:
    """`30s`, `15m`, `1h`, `2d`, `1w`; UserError otherwise."""
    match = DURATION.match(text.strip())
    if not match:
        raise UserError(
            f"'{text}' is not a duration: a number and a unit, e.g. 30s, 15m, 1h, 2d, 1w"
        )
    return timedelta(**{UNITS[match.group(2)]: int(match.group(1))})


def log_source(plan: EnvironmentPlan, clients: Clients, service: str) -> LogSource:
    """The log group and stream prefix service's current task definition writes to."""
    cloudformation, ecs = clients.client("cloudformation"), clients.client("ecs")
    if not stacks.exists(cloudformation, plan.stack_name):
        raise UserError(
            f"environment '{plan.name}' is not deployed: no stack {plan.stack_name} in "
            f"{plan.settings.region}"
        )
    cluster = stack_cluster(cloudformation, plan.stack_name)
    physical = plan.services[service].physical_name
    found = (
        ecs.describe_services(cluster=cluster, services=[physical])["services"] if cluster else []
    )
    if not found or found[0].get("status") == "INACTIVE":
        raise UserError(f"service '{service}' ({physical}) is not running in {plan.stack_name}")
    definition = ecs.describe_task_definition(taskDefinition=found[0]["taskDefinition"])
    for container in definition["taskDefinition"].get("containerDefinitions", []):
        configuration = container.get("logConfiguration") or {}
        options = configuration.get("options") or {}
        if configuration.get("logDriver") == "awslogs" and "awslogs-group" in options:
            prefix = options.get("awslogs-stream-prefix", "")
            # awslogs names streams prefix/container/task-id
            stream_prefix = f"{prefix}/{container['name']}/" if prefix else ""
            return LogSource(options["awslogs-group"], stream_prefix)
    raise UserError(f"service '{service}' does not log to CloudWatch Logs (no awslogs driver)")


def cloud_events(
    logs: Any, source: LogSource, start: datetime, pattern: str | None
) -> Iterator[LogEvent]:
    """Events from start on, oldest first."""
    arguments: dict[str, Any] = {
        "logGroupName": source.group,
        "startTime": int(start.timestamp() * 1000),
        "interleaved": True,
    }
    if source.prefix:
        arguments["logStreamNamePrefix"] = source.prefix
    if pattern:
        arguments["filterPattern"] = pattern
    paginator = logs.get_paginator("filter_log_events")
    for page in paginator.paginate(**arguments):
        for event in page.get("events", []):
            if not event.get("logStreamName", "").startswith(source.prefix):
                continue  # asked for already; some implementations (moto) ignore the prefix
            yield LogEvent(
                event["timestamp"],
                event.get("message", "").rstrip("\n"),
                event.get("logStreamName", ""),
                event.get("eventId", ""),
            )


def follow_cloud(
    logs: Any,
    source: LogSource,
    start: datetime,
    pattern: str | None,
    on_event: Callable[[LogEvent], None],
    *,
    until: float | None = None,
    poll: float = POLL_SECONDS,
) -> None:
    """Print events from start on, then keep polling for new ones (until the monotonic deadline
    `until`, or forever)."""
    # Each poll starts at the newest millisecond printed, so events of that millisecond come
    # again: those (and only those) are remembered, to print each event once.
    seen: set[str] = set()
    since = start
    while True:
        newest = int(since.timestamp() * 1000)
        for event in cloud_events(logs, source, since, pattern):
            if event.event_id in seen:
                continue
            on_event(event)
            if event.timestamp > newest:
                newest, seen = event.timestamp, set()
            if event.timestamp == newest:
                seen.add(event.event_id)
        since = datetime.fromtimestamp(newest / 1000, UTC)
        if until is not None and time.monotonic() >= until:
            return
        time.sleep(poll if until is None else max(0.0, min(poll, until - time.monotonic())))


def local_events(path: Path, start: datetime | None, pattern: str | None) -> list[LogEvent]:
    """The lines of dev's copy of a service's output, from start on (by their JSON time)."""
    return [
        event
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
        if (event := _local_event(line)) is not None and _wanted(event, start, pattern)
    ]


def follow_local(
    path: Path,
    start: datetime | None,
    pattern: str | None,
    on_event: Callable[[LogEvent], None],
    *,
    until: float | None = None,
    poll: float = LOCAL_POLL_SECONDS,
) -> None:
    """Print the file's lines from start on, then each line appended to it."""
    with path.open("r", encoding="utf-8", errors="replace") as stream:
        pending = ""
        while True:
            chunk = stream.read()
            pending += chunk
            *complete, pending = pending.split("\n")
            for line in complete:
                event = _local_event(line)
                if event is not None and _wanted(event, start, pattern):
                    on_event(event)
            if until is not None and time.monotonic() >= until:
                return
            if not chunk:
                time.sleep(poll if until is None else max(0.0, min(poll, until - time.monotonic())))


def _local_event(line: str) -> LogEvent | None:
    if not line.strip():
        return None
    fields = _json_object(line)
    moment = _parse_time(fields.get("timestamp") or fields.get("time")) if fields else None
    return LogEvent(int(moment.timestamp() * 1000) if moment else 0, line)


def _wanted(event: LogEvent, start: datetime | None, pattern: str | None) -> bool:
    if start is not None and event.timestamp and event.timestamp < start.timestamp() * 1000:
        return False
    return matches(event.message, pattern)


def matches(message: str, pattern: str | None) -> bool:
    """Locally, a filter pattern's plain terms: every term must appear (`"a b"` as a phrase,
    `-term` must not). CloudWatch's JSON and metric patterns are for the cloud only."""
    if not pattern:
        return True
    for term in re.findall(r'-?"[^"]*"|\S+', pattern):
        negate = term.startswith("-")
        text = term.lstrip("-").strip('"')
        if (text in message) == negate:
            return False
    return True


def pretty(event: LogEvent) -> Text:
    """One event as a line: JSON objects laid out, anything else as it is."""
    fields = _json_object(event.message)
    if fields is None:
        head = _clock(event.timestamp) + " " if event.timestamp else ""
        return Text(head, style="dim") + Text(event.message)
    moment = _parse_time(fields.get("timestamp") or fields.get("time"))
    clock = (
        moment.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
        if moment
        else (_clock(event.timestamp) if event.timestamp else "")
    )
    level = str(fields.get("level", "")).upper()
    line = Text(f"{clock} ", style="dim")
    if level:
        line += Text(f"{level:<7} ", style=LEVEL_STYLES.get(level, ""))
    if fields.get("logger"):
        line += Text(f"{fields['logger']} ", style="cyan")
    line += Text(str(fields.get("message", fields.get("msg", ""))))
    extra = [
        f"{key}={_value(value)}"
        for key, value in fields.items()
        if key not in HEAD_KEYS and key != "exception"
    ]
    if extra:
        line += Text("  " + " ".join(extra), style="dim")
    if fields.get("exception"):
        line += Text("\n" + str(fields["exception"]), style="red")
    return line


def _json_object(text: str) -> dict[str, Any] | None:
    stripped = text.strip()
    if not stripped.startswith("{"):
        return None
    try:
        value = json.loads(stripped)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _value(value: object) -> str:
    return value if isinstance(value, str) and " " not in value else json.dumps(value)


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _clock(milliseconds: int) -> str:
    moment = datetime.fromtimestamp(milliseconds / 1000, UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
