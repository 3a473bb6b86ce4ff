"""cfn-lint and checkov over the synthesized acceptance manifests: zero findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shipway.compliance.gates import cfn_lint_findings, checkov_findings

if TYPE_CHECKING:
    from shipway.synthesis import SynthResult


def test_core_and_compute_templates_pass_cfn_lint(
    core_synth: SynthResult, compute_synth: SynthResult
) -> None:
    errors, _ = cfn_lint_findings(core_synth.templates + compute_synth.templates)
    assert errors == []


def test_core_templates_pass_checkov_with_reasoned_skips(core_synth: SynthResult) -> None:
    failed, skipped = checkov_findings(core_synth.outdir)
    assert failed == []
    assert skipped > 0  # the reasons live beside the constructs


def test_compute_templates_pass_checkov(compute_synth: SynthResult) -> None:
    failed, _ = checkov_findings(compute_synth.outdir)
    assert failed == []
