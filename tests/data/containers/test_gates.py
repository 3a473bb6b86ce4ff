"""Acceptance: sidecars, a FireLens log router, arm64 tasks and env files synthesize for test
and prod with zero cdk-nag findings, no cfn-lint errors or warnings and nothing checkov fails."""

from __future__ import annotations

from shipway.compliance.gates import cfn_lint_findings, checkov_findings
from tests.data.containers.synthesized import ENVIRONMENTS, containers_synth


def test_both_environments_synthesize() -> None:
    synth = containers_synth()
    assert [stack.environment for stack in synth.stacks] == list(ENVIRONMENTS)
    for stack in synth.stacks:
        assert stack.resources["AWS::ECS::TaskDefinition"] == 3  # api, worker, job sweep


def test_cdk_nag_has_no_unacknowledged_findings() -> None:
    assert containers_synth().nag == []


def test_cfn_lint_reports_no_errors_and_no_warnings() -> None:
    errors, warnings = cfn_lint_findings(containers_synth().templates)
    assert errors == []
    assert warnings == []


def test_checkov_fails_nothing() -> None:
    failed, _ = checkov_findings(containers_synth().templates)
    assert failed == []
