"""Acceptance: ECS Exec (cluster settings, task policies, writable agent paths) and a service
set placed in an existing VPC synthesize for test and prod with zero cdk-nag findings, no
cfn-lint errors or warnings and nothing checkov fails."""

from __future__ import annotations

from shipway.compliance.gates import cfn_lint_findings, checkov_findings
from tests.data.exec_network.synthesized import ENVIRONMENTS, exec_network_synth


def test_both_environments_synthesize() -> None:
    assert [stack.environment for stack in exec_network_synth().stacks] == list(ENVIRONMENTS)


def test_cdk_nag_has_no_unacknowledged_findings() -> None:
    assert exec_network_synth().nag == []


def test_cfn_lint_reports_no_errors_and_no_warnings() -> None:
    errors, warnings = cfn_lint_findings(exec_network_synth().templates)
    assert errors == []
    assert warnings == []


def test_checkov_fails_nothing() -> None:
    failed, _ = checkov_findings(exec_network_synth().templates)
    assert failed == []
