"""The containers manifest (sidecars, FireLens, arm64, env files), synthesized once per test
process for test and prod; tests/service and tests/job assert on it, the gates check it."""

from __future__ import annotations

from typing import Any

from tests.data.acceptance import SynthesizedManifest

ENVIRONMENTS = ("test", "prod")
_CONTAINERS = SynthesizedManifest("containers")

containers_synth = _CONTAINERS.result
resources = _CONTAINERS.resources
properties = _CONTAINERS.properties
policy_statements = _CONTAINERS.role_statements


def task_definition(environment: str, prefix: str) -> dict[str, Any]:
    """The properties of the task definition whose logical id starts with prefix."""
    return properties(environment, "AWS::ECS::TaskDefinition", prefix)


def containers_of(environment: str, prefix: str) -> dict[str, dict[str, Any]]:
    """A task definition's containers by name, in the order of the template."""
    return {
        container["Name"]: container
        for container in task_definition(environment, prefix)["ContainerDefinitions"]
    }
