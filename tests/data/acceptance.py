"""The acceptance manifests (tests/data/<name>/shipway.yml), synthesized once per test
process however many test folders ask, so every folder's assertions look at the same output
the gates check."""

from __future__ import annotations

import atexit
import functools
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from aws_cdk.assertions import Template

from shipway.manifest import Manifest, load_manifest
from shipway.synthesis import SynthResult, synthesize

DATA = Path(__file__).resolve().parent


@functools.cache
def synthesized(name: str) -> SynthResult:
    """tests/data/<name>/shipway.yml, every environment, with cdk-nag."""
    manifest = manifest_of(name)
    root = Path(tempfile.mkdtemp(prefix=f"shipway-{name}-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return synthesize(manifest, list(manifest.application.environments), outdir=root / "cdk.out")


def template_json(result: SynthResult, environment: str) -> dict[str, Any]:
    """One environment's main stack as JSON."""
    stack = next(stack for stack in result.stacks if stack.environment == environment)
    loaded: dict[str, Any] = json.loads(stack.template.read_text(encoding="utf-8"))
    return loaded


def registry_json(result: SynthResult, environment: str) -> dict[str, Any]:
    """One environment's registry stack as JSON."""
    registry = result.registry_of(environment)
    assert registry is not None
    loaded: dict[str, Any] = json.loads(registry.template.read_text(encoding="utf-8"))
    return loaded


@functools.cache
def template(name: str, environment: str) -> Template:
    """One environment's main stack, for aws_cdk.assertions."""
    return Template.from_json(template_json(synthesized(name), environment))


def container(found: Template, fragment: str) -> dict[str, Any]:
    """The first task definition's container whose JSON mentions fragment."""
    for definition in found.find_resources("AWS::ECS::TaskDefinition").values():
        described = definition["Properties"]["ContainerDefinitions"][0]
        if fragment in json.dumps(described):
            return dict(described)
    raise AssertionError(f"no container mentions {fragment}")


def properties_named(found: Template, kind: str, prefix: str) -> dict[str, Any]:
    """Properties of the one resource of kind whose logical id starts with prefix."""
    matches = [
        body["Properties"]
        for logical_id, body in found.find_resources(kind).items()
        if logical_id.startswith(prefix)
    ]
    assert len(matches) == 1, f"{len(matches)} {kind} named {prefix}*"
    return dict(matches[0])


@functools.cache
def manifest_of(name: str) -> Manifest:
    """tests/data/<name>/shipway.yml, validated."""
    return load_manifest(DATA / name / "shipway.yml")


class SynthesizedManifest:
    """Lookups into one acceptance manifest's synthesized templates (as JSON), for the test
    folders that assert on its resources (tests/data/<name>/synthesized.py names them)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def result(self) -> SynthResult:
        return synthesized(self.name)

    def manifest(self) -> Manifest:
        return manifest_of(self.name)

    def template(self, environment: str) -> dict[str, Any]:
        """One environment's main stack as JSON (read once)."""
        return _template_json(self.name, environment)

    def resources(self, environment: str, kind: str) -> dict[str, dict[str, Any]]:
        """Resources of one CloudFormation type, by logical id."""
        return {
            name: body
            for name, body in self.template(environment)["Resources"].items()
            if body["Type"] == kind
        }

    def logical_id(self, environment: str, kind: str, prefix: str) -> str:
        """The logical id of the one resource of kind whose id starts with prefix."""
        found = [name for name in self.resources(environment, kind) if name.startswith(prefix)]
        assert len(found) == 1, f"{len(found)} {kind} named {prefix}*"
        return found[0]

    def resource(self, environment: str, kind: str, prefix: str) -> dict[str, Any]:
        """The one resource of kind whose logical id starts with prefix."""
        return self.resources(environment, kind)[self.logical_id(environment, kind, prefix)]

    def properties(self, environment: str, kind: str, prefix: str) -> dict[str, Any]:
        """The properties of the one resource of kind whose logical id starts with prefix."""
        found: dict[str, Any] = self.resource(environment, kind, prefix)["Properties"]
        return found

    def container(self, environment: str, service: str) -> dict[str, Any]:
        """The app container of a service's task definition."""
        definition = self.properties(
            environment, "AWS::ECS::TaskDefinition", f"Service{service.title()}TaskDefinition"
        )
        first: dict[str, Any] = definition["ContainerDefinitions"][0]
        return first

    def environment_of(self, environment: str, service: str) -> dict[str, Any]:
        """A service's plain environment variables."""
        return {
            entry["Name"]: entry["Value"]
            for entry in self.container(environment, service).get("Environment", [])
        }

    def secrets_of(self, environment: str, service: str) -> dict[str, Any]:
        """A service's ECS secrets (name -> valueFrom)."""
        return {
            entry["Name"]: entry["ValueFrom"]
            for entry in self.container(environment, service).get("Secrets", [])
        }

    def role_statements(self, environment: str, policy_prefix: str) -> list[dict[str, Any]]:
        """Statements of the IAM policies whose logical ids start with policy_prefix."""
        return [
            statement
            for name, policy in self.resources(environment, "AWS::IAM::Policy").items()
            if name.startswith(policy_prefix)
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        ]

    def alarms(self, environment: str, name_prefix: str) -> dict[str, dict[str, Any]]:
        """Alarm properties by alarm name, for names starting with name_prefix."""
        return {
            body["Properties"]["AlarmName"]: body["Properties"]
            for body in self.resources(environment, "AWS::CloudWatch::Alarm").values()
            if body["Properties"]["AlarmName"].startswith(name_prefix)
        }


@functools.cache
def _template_json(name: str, environment: str) -> dict[str, Any]:
    return template_json(synthesized(name), environment)


def actions(statements: list[dict[str, Any]]) -> set[str]:
    """Every action the statements allow."""
    found: set[str] = set()
    for statement in statements:
        listed = statement["Action"]
        found.update([listed] if isinstance(listed, str) else listed)
    return found
