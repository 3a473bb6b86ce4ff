"""The health watch after start: thresholds in a row, one report per change, own intervals."""

from __future__ import annotations

import io
import threading

from rich.console import Console

from shipway.dev.health_watch import HealthState, HealthWatch
from shipway.dev.logs import LogPrinter
from shipway.dev.processes import HealthGate

GATE = HealthGate("/health", "200-299", 30.0, interval_seconds=10.0, healthy_threshold=2,
                  unhealthy_threshold=3)


def test_failing_is_reported_once_after_the_threshold_in_a_row() -> None:
    state = HealthState(GATE)

    reports = [state.record(status) for status in (503, 503, 200, 503, 503, 503, 503, None)]

    assert reports[:5] == [None] * 5  # a pass in between starts the count again
    assert reports[5] is not None and "answered 503 on 3 checks in a row" in reports[5]
    assert "healthy: 200-299" in reports[5]
    assert reports[6:] == [None, None]  # still failing: said once
    assert not state.healthy and state.last_answer == "did not answer"


def test_recovery_needs_the_healthy_threshold_in_a_row() -> None:
    state = HealthState(GATE)
    for _ in range(3):
        state.record(None)

    reports = [state.record(status) for status in (204, 500, 200, 200, 200)]

    assert reports[:3] == [None, None, None]
    assert reports[3] == "health: passing again (GET /health → 200)"
    assert reports[4] is None and state.healthy


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class ScriptedService:
    """Stands in for a ServiceProcess: answers its health checks from a script."""

    def __init__(self, name: str, answers: list[int | None]) -> None:
        self.name = name
        self.answers = answers
        self.asked = 0

    def health_status(self, path: str) -> int | None:
        self.asked += 1
        return self.answers.pop(0)


def test_each_service_is_checked_at_its_own_interval_and_changes_are_printed() -> None:
    output = io.StringIO()
    printer = LogPrinter(Console(file=output, width=300, color_system=None), names=["api", "web"])
    clock = FakeClock()
    api = ScriptedService("api", [503, 503])
    web = ScriptedService("web", [200] * 10)
    slow_gate = HealthGate("/h", "200", 30.0, interval_seconds=25.0, unhealthy_threshold=2)
    fast_gate = HealthGate("/h", "200", 30.0, interval_seconds=5.0)
    watch = HealthWatch([(api, slow_gate), (web, fast_gate)], printer,  # type: ignore[list-item]
                        threading.Event(), clock=clock)

    assert watch.check_due() == 5.0  # nothing due yet; web is next
    clock.now += 5
    assert watch.check_due() == 5.0
    clock.now += 20
    watch.check_due()
    clock.now += 25
    watch.check_due()

    # api at 125 and 150; web at 105, 125 and 150: a late check is made once, not caught up
    assert (api.asked, web.asked) == (2, 3)
    assert output.getvalue().count("health: failing") == 1
    assert "api | health: failing — GET /h answered 503 on 2 checks in a row" in output.getvalue()
