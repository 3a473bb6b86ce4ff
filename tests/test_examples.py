"""Acceptance: every example validates and synthesizes for test and prod with zero gate findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from shipway.compliance.gates import cfn_lint_findings, checkov_findings
from shipway.manifest import load_manifest
from shipway.synthesis import SynthResult, synthesize

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NAMES = ("bootcamp-api", "magic8ball", "three-tier", "profile", "shop-cart")


@pytest.fixture(scope="session")
def example_synths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SynthResult]:
    root = tmp_path_factory.mktemp("examples-cdk.out")
    results = {}
    for name in NAMES:
        manifest = load_manifest(EXAMPLES / name / "shipway.yml")
        results[name] = synthesize(manifest, ["test", "prod"], outdir=root / name)
    return results


@pytest.mark.parametrize("name", NAMES)
def test_example_synthesizes_both_environments_without_nag_findings(
    example_synths: dict[str, SynthResult], name: str
) -> None:
    result = example_synths[name]
    assert [stack.environment for stack in result.stacks] == ["test", "prod"]
    assert result.nag == []
    for stack in result.stacks:
        assert stack.resources["AWS::ECS::Cluster"] == 1


def test_examples_pass_cfn_lint_without_a_warning(example_synths: dict[str, SynthResult]) -> None:
    # `shipway check` fails on warnings too (unless acknowledged in code with a reason)
    templates = [template for result in example_synths.values() for template in result.templates]
    errors, warnings = cfn_lint_findings(templates)
    assert errors == []
    assert warnings == []


def test_examples_pass_checkov(example_synths: dict[str, SynthResult]) -> None:
    root = next(iter(example_synths.values())).outdir.parent
    failed, _ = checkov_findings(root)
    assert failed == []


def test_every_example_has_its_parts() -> None:
    for name in NAMES:
        folder = EXAMPLES / name
        assert (folder / "shipway.yml").is_file(), name
        assert (folder / "Dockerfile").is_file(), name
        assert any(folder.glob("tests/test_*.py")), name
