"""The core acceptance manifest (two web services, one backend, test and prod) as a whole;
each capability's own assertions live in its folder (tests/network, tests/service, ...)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shipway.synthesis import SynthResult


def test_one_stack_per_environment_and_no_nag_findings(core_synth: SynthResult) -> None:
    assert [stack.name for stack in core_synth.stacks] == ["storefront-test", "storefront-prod"]
    assert core_synth.nag == []
    assert any("test: no domain configured" in warning for warning in core_synth.warnings)
    assert not any(warning.startswith("prod:") for warning in core_synth.warnings)
