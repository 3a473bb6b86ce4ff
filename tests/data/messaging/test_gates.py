"""Acceptance: queues, a topic, a publisher and workers synthesize for test and prod with zero
cdk-nag findings, no cfn-lint errors and nothing checkov fails."""

from __future__ import annotations

from shipway.compliance.gates import cfn_lint_findings, checkov_findings
from tests.data.messaging.synthesized import ENVIRONMENTS, messaging_synth, resources


def test_both_environments_synthesize_their_queues_and_topic() -> None:
    synth = messaging_synth()
    assert [stack.environment for stack in synth.stacks] == list(ENVIRONMENTS)
    for stack in synth.stacks:
        assert stack.resources["AWS::SQS::Queue"] == 6  # three queues, three dead-letter queues
    for env in ENVIRONMENTS:
        subscriptions = resources(env, "AWS::SNS::Subscription").values()
        assert [s["Properties"]["Protocol"] for s in subscriptions].count("sqs") == 2


def test_cdk_nag_has_no_unacknowledged_findings() -> None:
    assert messaging_synth().nag == []


def test_cfn_lint_reports_no_errors_and_no_warnings() -> None:
    errors, warnings = cfn_lint_findings(messaging_synth().templates)
    assert errors == []
    assert warnings == []


def test_checkov_fails_nothing() -> None:
    failed, _ = checkov_findings(messaging_synth().templates)
    assert failed == []
