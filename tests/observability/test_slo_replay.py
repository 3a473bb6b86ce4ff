"""The SLO alarms behave: synthetic per-minute series replayed through the alarm definitions
read from the synthesized template (metrics, math, periods, thresholds, composite rules).

Times follow the SRE workbook (chapter 5, "Alerting on SLOs"): a burn of b times the budget
is detected by a window of W at threshold T after W x T / b; one period of tolerance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from shipway.testing.alarm_replay import Alarms, SeriesKey, Timeline, read_alarms, replay
from tests.observability.conftest import template

if TYPE_CHECKING:
    from shipway.synthesis import SynthResult

REQUESTS_PER_MINUTE = 10_000
HOUR, DAY = 60, 1440
HISTORY = 3 * DAY  # a healthy past as long as the longest window, so no window starts empty
SERVICE = "three-tier-prod-web"


@dataclass(frozen=True)
class Indicator:
    """How one SLI's bad requests appear in the load balancer's metrics."""

    name: str
    budget: float

    def series(self, bad: list[float]) -> dict[SeriesKey, list[float | None]]:
        requests = [float(REQUESTS_PER_MINUTE)] * len(bad)
        if self.name == "availability":
            # The load balancer publishes no 5xx datapoint in a minute without any.
            return {
                ("RequestCount", "Sum"): list(requests),
                ("HTTPCode_Target_5XX_Count", "Sum"): [b or None for b in bad],
            }
        return {
            ("TargetResponseTime", "SampleCount"): list(requests),
            ("TargetResponseTime", "TC(:0.3)"): [r - b for r, b in zip(requests, bad, strict=True)],
        }


INDICATORS = (Indicator("availability", 0.001), Indicator("latency", 0.01))


@pytest.fixture(scope="module")
def prod_alarms(three_tier: SynthResult) -> Alarms:
    return read_alarms(template(three_tier, "prod"))


def burn(indicator: Indicator, rate: float, minutes: int, after: int = 0) -> list[float]:
    """HISTORY healthy minutes, then `minutes` burning `rate` times the budget, then `after`."""
    bad = rate * indicator.budget * REQUESTS_PER_MINUTE
    return [0.0] * HISTORY + [min(bad, REQUESTS_PER_MINUTE)] * minutes + [0.0] * after


def run(alarms: Alarms, indicator: Indicator, bad: list[float]) -> Timeline:
    return replay(alarms.named(f"{SERVICE}-slo-{indicator.name}-"), indicator.series(bad))


def minutes_to(timeline: Timeline, alarm: str, start: int = HISTORY) -> int | None:
    """Minutes from the start of the burn until alarm is in ALARM (the burn's first minute: 1)."""
    first = timeline.first_alarm(alarm, after=start)
    return None if first is None else first - start + 1


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda i: i.name)
def test_the_template_holds_a_page_and_a_ticket_over_six_window_alarms(
    prod_alarms: Alarms, indicator: Indicator
) -> None:
    alarms = prod_alarms.named(f"{SERVICE}-slo-{indicator.name}-")
    assert sorted(alarms.composite) == [
        f"{SERVICE}-slo-{indicator.name}-page",
        f"{SERVICE}-slo-{indicator.name}-ticket",
    ]
    periods = sorted(alarm.period_minutes for alarm in alarms.metric.values())
    assert periods == [5, 30, 60, 360, 360, 4320]


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda i: i.name)
def test_a_full_outage_pages_within_five_minutes_and_resets_after_recovery(
    prod_alarms: Alarms, indicator: Indicator
) -> None:
    outage = 30
    timeline = run(prod_alarms, indicator, burn(indicator, 1 / indicator.budget, outage, 6 * HOUR))
    page = f"{SERVICE}-slo-{indicator.name}-page"
    detected = minutes_to(timeline, page)
    # Every request bad burns 1/budget times: the 1 h window crosses 14.4 x budget after
    # 60 x 14.4 x budget minutes: 0.9 min for 99.9% (availability), 8.6 min for 99% (latency).
    workbook = math.ceil(HOUR * 14.4 * indicator.budget)
    assert detected == workbook
    if indicator.name == "availability":
        assert detected <= 5
    recovered = HISTORY + outage
    # The 1 h pair clears with its 5 min window; the page with the 6 h pair's 30 min window.
    fast_short = f"{SERVICE}-slo-{indicator.name}-14.4x-5m"
    assert timeline.first_ok(fast_short, after=recovered) == recovered + 4
    reset = timeline.first_ok(page, after=recovered)
    assert reset is not None and reset - recovered + 1 <= 30
    assert not any(timeline.states[page][reset:])


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda i: i.name)
@pytest.mark.parametrize(("rate", "expected"), [(14.4, HOUR), (6, 6 * HOUR)])
def test_a_burn_pages_within_the_workbooks_detection_time(
    prod_alarms: Alarms, indicator: Indicator, rate: float, expected: int
) -> None:
    timeline = run(prod_alarms, indicator, burn(indicator, rate, expected + HOUR))
    detected = minutes_to(timeline, f"{SERVICE}-slo-{indicator.name}-page")
    assert detected is not None
    assert abs(detected - expected) <= 5, f"{rate}x paged after {detected} min, not {expected}"


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda i: i.name)
def test_a_steady_1x_burn_opens_a_ticket_and_never_pages(
    prod_alarms: Alarms, indicator: Indicator
) -> None:
    timeline = run(prod_alarms, indicator, burn(indicator, 1, 3 * DAY + HOUR))
    ticket = minutes_to(timeline, f"{SERVICE}-slo-{indicator.name}-ticket")
    assert ticket is not None and abs(ticket - 3 * DAY) <= 360
    assert not timeline.ever(f"{SERVICE}-slo-{indicator.name}-page")


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda i: i.name)
def test_a_half_burn_never_alerts(prod_alarms: Alarms, indicator: Indicator) -> None:
    timeline = run(prod_alarms, indicator, burn(indicator, 0.5, 4 * DAY))
    assert not timeline.ever(f"{SERVICE}-slo-{indicator.name}-page")
    assert not timeline.ever(f"{SERVICE}-slo-{indicator.name}-ticket")


def test_no_traffic_never_alerts(prod_alarms: Alarms) -> None:
    """No requests at all: no datapoints, which the alarms treat as not breaching."""
    timeline = replay(prod_alarms.named(f"{SERVICE}-slo-"), {("RequestCount", "Sum"): [None] * DAY})
    assert not any(timeline.ever(name) for name in timeline.states)
