"""Start order: a service starts after the services it uses."""

from __future__ import annotations

import pytest

from shipway.dev.errors import DevConfigurationError
from shipway.dev.order import start_waves


def test_backend_starts_before_the_web_service_that_uses_it() -> None:
    assert start_waves({"web": ["api", "users"], "api": ["users"]}) == [["api"], ["web"]]


def test_independent_services_share_a_wave() -> None:
    waves = start_waves({"a": [], "b": [], "c": ["a", "b"], "d": ["c"]})
    assert waves == [["a", "b"], ["c"], ["d"]]


def test_names_that_are_not_services_are_ignored() -> None:
    assert start_waves({"api": ["users", "session", "jwt-key"]}) == [["api"]]


def test_a_cycle_is_named_in_the_error() -> None:
    with pytest.raises(DevConfigurationError, match=r"cycle \(a -> b -> c -> a\)"):
        start_waves({"a": ["b"], "b": ["c"], "c": ["a"], "d": []})
