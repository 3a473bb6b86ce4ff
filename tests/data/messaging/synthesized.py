"""The messaging manifest, synthesized once per test process for test and prod.

Test folders (queue, topic, service) share it, so every assertion looks at the output the
gates check.
"""

from __future__ import annotations

import atexit
import functools
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from shipway.manifest import load_manifest
from shipway.synthesis import SynthResult, synthesize

MANIFEST = Path(__file__).with_name("shipway.yml")
ENVIRONMENTS = ("test", "prod")


@functools.cache
def messaging_synth() -> SynthResult:
    """Both environments synthesized with cdk-nag, into a directory removed at exit."""
    root = Path(tempfile.mkdtemp(prefix="shipway-messaging-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return synthesize(load_manifest(MANIFEST), list(ENVIRONMENTS), outdir=root / "cdk.out")


@functools.cache
def template(environment: str) -> dict[str, Any]:
    """One environment's template as JSON."""
    stack = next(s for s in messaging_synth().stacks if s.environment == environment)
    loaded: dict[str, Any] = json.loads(stack.template.read_text(encoding="utf-8"))
    return loaded


def resources(environment: str, kind: str) -> dict[str, dict[str, Any]]:
    """Resources of one CloudFormation type, by logical id."""
    return {
        name: body
        for name, body in template(environment)["Resources"].items()
        if body["Type"] == kind
    }


def logical_id(environment: str, kind: str, prefix: str) -> str:
    """The logical id of the one resource of kind whose id starts with prefix."""
    found = [name for name in resources(environment, kind) if name.startswith(prefix)]
    assert len(found) == 1, f"{len(found)} {kind} named {prefix}*"
    return found[0]


def properties(environment: str, kind: str, prefix: str) -> dict[str, Any]:
    """The properties of the one resource of kind whose id starts with prefix."""
    found: dict[str, Any] = resources(environment, kind)[logical_id(environment, kind, prefix)]
    return found["Properties"]


def policy_statements(environment: str, prefix: str) -> list[dict[str, Any]]:
    """Statements of the IAM policies whose logical ids start with prefix."""
    return [
        statement
        for name, policy in resources(environment, "AWS::IAM::Policy").items()
        if name.startswith(prefix)
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def container(environment: str, service: str) -> dict[str, Any]:
    """The app container of a service's task definition."""
    definition = properties(
        environment, "AWS::ECS::TaskDefinition", f"Service{service.title()}TaskDefinition"
    )
    first: dict[str, Any] = definition["ContainerDefinitions"][0]
    return first


def variables(environment: str, service: str) -> dict[str, Any]:
    """A service's plain environment variables."""
    return {
        entry["Name"]: entry["Value"] for entry in container(environment, service)["Environment"]
    }


def alarms(environment: str, prefix: str) -> dict[str, dict[str, Any]]:
    """Alarm properties by alarm name, for names starting with prefix."""
    return {
        body["Properties"]["AlarmName"]: body["Properties"]
        for body in resources(environment, "AWS::CloudWatch::Alarm").values()
        if body["Properties"]["AlarmName"].startswith(prefix)
    }
