"""The data-capabilities manifest, synthesized once per test process for test and prod.

Test folders share it through `tests.data.data_capabilities.synthesized` (one synth however
many folders ask), so every assertion looks at the same output the gates check.
"""

from __future__ import annotations

import atexit
import functools
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from shipway.manifest import Manifest, load_manifest
from shipway.synthesis import SynthResult, synthesize

MANIFEST = Path(__file__).with_name("shipway.yml")
ENVIRONMENTS = ("test", "prod")


@functools.cache
def data_manifest() -> Manifest:
    """The validated manifest."""
    return load_manifest(MANIFEST)


@functools.cache
def data_synth() -> SynthResult:
    """Both environments synthesized with cdk-nag, into a directory removed at exit."""
    root = Path(tempfile.mkdtemp(prefix="shipway-data-capabilities-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return synthesize(data_manifest(), list(ENVIRONMENTS), outdir=root / "cdk.out")


@functools.cache
def data_template(environment: str) -> dict[str, Any]:
    """One environment's template as JSON."""
    stack = next(stack for stack in data_synth().stacks if stack.environment == environment)
    loaded: dict[str, Any] = json.loads(stack.template.read_text(encoding="utf-8"))
    return loaded


def resources(environment: str, kind: str) -> dict[str, dict[str, Any]]:
    """Resources of one CloudFormation type, by logical id."""
    return {
        name: resource
        for name, resource in data_template(environment)["Resources"].items()
        if resource["Type"] == kind
    }


def resource(environment: str, kind: str, prefix: str) -> dict[str, Any]:
    """The one resource of kind whose logical id starts with prefix."""
    found = [body for name, body in resources(environment, kind).items() if name.startswith(prefix)]
    assert len(found) == 1, f"{len(found)} {kind} named {prefix}*"
    return found[0]


def logical_id(environment: str, kind: str, prefix: str) -> str:
    """The logical id of the one resource of kind whose id starts with prefix."""
    found = [name for name in resources(environment, kind) if name.startswith(prefix)]
    assert len(found) == 1, f"{len(found)} {kind} named {prefix}*"
    return found[0]


def container(environment: str, service: str) -> dict[str, Any]:
    """The app container of a service's task definition."""
    definition = resource(
        environment, "AWS::ECS::TaskDefinition", f"Service{service.title()}TaskDefinition"
    )
    first: dict[str, Any] = definition["Properties"]["ContainerDefinitions"][0]
    return first


def environment_of(environment: str, service: str) -> dict[str, Any]:
    """A service's plain environment variables."""
    return {
        entry["Name"]: entry["Value"]
        for entry in container(environment, service).get("Environment", [])
    }


def secrets_of(environment: str, service: str) -> dict[str, Any]:
    """A service's ECS secrets (name -> valueFrom)."""
    return {
        entry["Name"]: entry["ValueFrom"]
        for entry in container(environment, service).get("Secrets", [])
    }


def role_statements(environment: str, policy_prefix: str) -> list[dict[str, Any]]:
    """Statements of the IAM policies whose logical ids start with policy_prefix."""
    return [
        statement
        for name, policy in resources(environment, "AWS::IAM::Policy").items()
        if name.startswith(policy_prefix)
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def actions(statements: list[dict[str, Any]]) -> set[str]:
    """Every action the statements allow."""
    found: set[str] = set()
    for statement in statements:
        listed = statement["Action"]
        found.update([listed] if isinstance(listed, str) else listed)
    return found


def alarms(environment: str, name_prefix: str) -> dict[str, dict[str, Any]]:
    """Alarm properties by alarm name, for names starting with name_prefix."""
    return {
        body["Properties"]["AlarmName"]: body["Properties"]
        for body in resources(environment, "AWS::CloudWatch::Alarm").values()
        if body["Properties"]["AlarmName"].startswith(name_prefix)
    }
