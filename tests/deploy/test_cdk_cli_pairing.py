"""The pinned CDK CLI reads the assembly shipway's aws-cdk-lib writes.

The pairing broke once (aws-cdk 3.0.0: "Maximum schema version supported is 43.x.x, but found
55.0.0"), and nothing noticed because no test ran the CLI on shipway's own assembly."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from shipway.deploy.cdk_cli import PINNED_CLI, PROJECT_ROOT, cdk_command, cdk_environment
from shipway.manifest import load_manifest
from shipway.synthesis import SynthResult, synthesize

MANIFEST = Path(__file__).resolve().parents[2] / "examples" / "shop-cart" / "shipway.yml"


@pytest.fixture(scope="session")
def small_assembly(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    outdir = tmp_path_factory.mktemp("pairing") / "cdk.out"
    return synthesize(load_manifest(MANIFEST), ["test"], outdir=outdir)


def _cdk(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [*cdk_command(), *arguments],
        env=cdk_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_pinned_cli_is_the_one_installed() -> None:
    assert cdk_command()[1] == str(PINNED_CLI)
    pinned = json.loads((PROJECT_ROOT / "tools/cdk-cli/package.json").read_text())
    version = _cdk("--version").stdout.split()[0]
    assert version == pinned["dependencies"]["aws-cdk"]


def test_the_pinned_cli_lists_the_stack_of_shipways_assembly(small_assembly: SynthResult) -> None:
    listed = _cdk("ls", "--app", str(small_assembly.outdir))
    assert listed.returncode == 0, listed.stderr
    # The environment's registry (image repositories) and the environment's stack.
    registry = small_assembly.registries[0]
    assert sorted(listed.stdout.split()) == sorted([registry.name, small_assembly.stacks[0].name])
