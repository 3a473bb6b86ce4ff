"""The container's own health check: what replaces a hung task, web or backend alike.

The load balancer checks web services from outside; this check runs inside the container, so a
backend nothing routes to is replaced too. Without a `health_check.command` it asks the service's
health path on its port with whichever of curl, wget or python3 the image has (slim Python images
have only python3); a program that is missing exits 127 and the next one is tried.
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs

if TYPE_CHECKING:
    from shipway.manifest.service import HealthCheck

# ECS accepts a start period of at most 300 seconds.
MAX_START_PERIOD = 300


def probe_command(port: int, check: HealthCheck) -> list[str]:
    """The container health check's command, as a task definition takes it."""
    if check.command is not None:
        return list(check.command)
    url = f"http://127.0.0.1:{port}{check.path}"
    python = (
        "import sys, urllib.request; "
        f"sys.exit(0 if urllib.request.urlopen({url!r}, timeout={check.timeout}).status < 400 "
        "else 1)"
    )
    return [
        "CMD-SHELL",
        f"curl -fsS -o /dev/null {shlex.quote(url)}"
        f" || wget -q -O /dev/null {shlex.quote(url)}"
        f" || python3 -c {shlex.quote(python)}",
    ]


def container_health_check(port: int, check: HealthCheck) -> ecs.HealthCheck:
    """The manifest's health check as ECS runs it in the container."""
    return ecs.HealthCheck(
        command=probe_command(port, check),
        interval=cdk.Duration.seconds(check.interval),
        timeout=cdk.Duration.seconds(check.timeout),
        retries=check.unhealthy_threshold,
        start_period=cdk.Duration.seconds(min(check.grace_period, MAX_START_PERIOD)),
    )
