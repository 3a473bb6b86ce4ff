"""Synthesize each acceptance manifest once per session; tests assert on the result."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shipway.manifest import load_manifest
from shipway.synthesis import SynthResult, synthesize

DATA = Path(__file__).resolve().parents[1] / "data"


def _synth(tmp_path_factory: pytest.TempPathFactory, name: str) -> SynthResult:
    manifest = load_manifest(DATA / name / "shipway.yml")
    out = tmp_path_factory.mktemp(f"{name}-cdk.out")
    return synthesize(
        manifest, list(manifest.application.environments), outdir=out
    )


@pytest.fixture(scope="session")
def core_synth(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    return _synth(tmp_path_factory, "core")


@pytest.fixture(scope="session")
def compute_synth(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    return _synth(tmp_path_factory, "compute")


def template_json(result: SynthResult, environment: str) -> dict[str, Any]:
    stack = next(stack for stack in result.stacks if stack.environment == environment)
    loaded: dict[str, Any] = json.loads(stack.template.read_text(encoding="utf-8"))
    return loaded
