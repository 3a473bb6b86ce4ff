"""The data-capabilities manifest, synthesized once per session and shared by test folders."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.data.data_capabilities.synthesized import data_synth

if TYPE_CHECKING:
    from shipway.synthesis import SynthResult


@pytest.fixture(scope="session")
def synth() -> SynthResult:
    return data_synth()
