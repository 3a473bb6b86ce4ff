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


def test_cfn_lint_reports_no_errors_and_no_messaging_warnings() -> None:
    errors, warnings = cfn_lint_findings(messaging_synth().templates)
    assert errors == []
    # W6001 (an output re-exporting the registry's import) predates messaging: every manifest
    # with a service built from source has it.
    assert [warning for warning in warnings if "W6001" not in str(warning)] == []


def test_checkov_fails_nothing() -> None:
    failed, _ = checkov_findings(messaging_synth().outdir)
    assert failed == []
