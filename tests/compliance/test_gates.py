"""cfn-lint and checkov over the synthesized acceptance manifests: zero findings."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from shipway.compliance.gates import cfn_lint_findings, checkov_findings

if TYPE_CHECKING:
    from pathlib import Path

    from shipway.synthesis import SynthResult


def test_core_and_compute_templates_pass_cfn_lint(
    core_synth: SynthResult, compute_synth: SynthResult
) -> None:
    errors, warnings = cfn_lint_findings(core_synth.templates + compute_synth.templates)
    assert errors == []
    assert warnings == []


def test_core_templates_pass_checkov_with_reasoned_skips(core_synth: SynthResult) -> None:
    failed, skipped = checkov_findings(core_synth.outdir)
    assert failed == []
    assert skipped > 0  # the reasons live beside the constructs


def test_compute_templates_pass_checkov(compute_synth: SynthResult) -> None:
    failed, _ = checkov_findings(compute_synth.outdir)
    assert failed == []


def test_a_rule_acknowledged_for_a_whole_template_is_not_a_finding(tmp_path: Path) -> None:
    # W6001: an output that re-exports an imported value. Acknowledged in the template's own
    # Metadata it is no finding; the same template without the acknowledgement has one.
    template = {
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {"Imported": {"Value": {"Fn::ImportValue": "other-stack:Name"}}},
    }
    plain = tmp_path / "plain.template.json"
    plain.write_text(json.dumps(template), encoding="utf-8")
    acknowledged = tmp_path / "acknowledged.template.json"
    metadata = {"cfn-lint": {"config": {"ignore_checks": ["W6001"]}, "reasons": {"W6001": "why"}}}
    acknowledged.write_text(json.dumps({"Metadata": metadata, **template}), encoding="utf-8")

    _, plain_warnings = cfn_lint_findings([plain])
    _, acknowledged_warnings = cfn_lint_findings([acknowledged])

    assert [finding.rule for finding in plain_warnings] == ["W6001"]
    assert acknowledged_warnings == []
