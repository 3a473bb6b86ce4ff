"""The acceptance manifests (tests/data/core, tests/data/compute), synthesized once per test
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

from shipway.manifest import load_manifest
from shipway.synthesis import SynthResult, synthesize

DATA = Path(__file__).resolve().parent


@functools.cache
def synthesized(name: str) -> SynthResult:
    """tests/data/<name>/shipway.yml, every environment, with cdk-nag."""
    manifest = load_manifest(DATA / name / "shipway.yml")
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
