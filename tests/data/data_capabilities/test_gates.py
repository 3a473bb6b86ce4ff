"""Acceptance: tables, caches, a bucket with a loader and secrets used by two services
synthesize for test and prod with zero cdk-nag, cfn-lint and checkov findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shipway.compliance.gates import cfn_lint_findings, checkov_findings
from tests.data.data_capabilities.synthesized import ENVIRONMENTS, data_synth

if TYPE_CHECKING:
    from shipway.synthesis import SynthResult


@pytest.fixture(scope="module")
def synth() -> SynthResult:
    return data_synth()


def test_both_environments_synthesize(synth: SynthResult) -> None:
    assert [stack.environment for stack in synth.stacks] == list(ENVIRONMENTS)
    for stack in synth.stacks:
        assert stack.resources["AWS::DynamoDB::Table"] == 2
        assert stack.resources["AWS::ElastiCache::ReplicationGroup"] == 2
        assert stack.resources["AWS::Lambda::EventSourceMapping"] == 1


def test_cdk_nag_has_no_unacknowledged_findings(synth: SynthResult) -> None:
    assert synth.nag == []


def test_cfn_lint_reports_no_errors(synth: SynthResult) -> None:
    errors, _ = cfn_lint_findings(synth.templates)
    assert errors == []


def test_checkov_fails_nothing_and_every_skip_has_a_reason(synth: SynthResult) -> None:
    failed, skipped = checkov_findings(synth.templates)
    assert failed == []
    assert skipped > 0  # the reasons live beside the constructs (skip_checkov)
