"""Synthesize the examples the observability tests read, once per session."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shipway.manifest import load_manifest
from shipway.synthesis import SynthResult, synthesize

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _synth(factory: pytest.TempPathFactory, name: str, environments: list[str]) -> SynthResult:
    manifest = load_manifest(EXAMPLES / name / "shipway.yml")
    return synthesize(manifest, environments, outdir=factory.mktemp(f"{name}-cdk.out"))


def template(result: SynthResult, environment: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        result.stack_of(environment).template.read_text(encoding="utf-8")
    )
    return loaded


@pytest.fixture(scope="session")
def three_tier(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    """A web service with both SLOs on the shared load balancer, a backend, table, loader."""
    return _synth(tmp_path_factory, "three-tier", ["test", "prod"])


@pytest.fixture(scope="session")
def bootcamp(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    """An Express Mode service: its SLO reads the load balancer Express Mode made."""
    return _synth(tmp_path_factory, "bootcamp-api", ["test"])
