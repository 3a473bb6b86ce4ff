"""Every compute kind synthesizes without cdk-nag findings (its resources are asserted in
tests/service, tests/cluster, tests/network and tests/ingress)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shipway.synthesis import SynthResult


def test_no_nag_findings(compute_synth: SynthResult) -> None:
    assert compute_synth.nag == []
