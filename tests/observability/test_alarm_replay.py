"""The replay harness itself: metric math, composite rules, M of N, missing data."""

from __future__ import annotations

from typing import Any

import pytest

from shipway.testing.alarm_replay import ReplayError, evaluate, read_alarms, replay, rule_holds


def _alarm(**properties: Any) -> dict[str, Any]:
    base = {
        "AlarmName": "a",
        "MetricName": "Errors",
        "Statistic": "Sum",
        "Period": 60,
        "Threshold": 5,
        "ComparisonOperator": "GreaterThanThreshold",
        "EvaluationPeriods": 1,
        "TreatMissingData": "notBreaching",
    }
    return {"Resources": {"A": {"Type": "AWS::CloudWatch::Alarm", "Properties": base | properties}}}


def test_metric_math_fills_missing_datapoints_and_drops_division_by_zero() -> None:
    assert evaluate("FILL(e, 0) / r", {"e": None, "r": 10.0}) == 0
    assert evaluate("(t - FILL(f, 0)) / t", {"t": 4.0, "f": 1.0}) == 0.75
    assert evaluate("e / r", {"e": None, "r": 10.0}) is None
    assert evaluate("e / r", {"e": 1.0, "r": 0.0}) is None
    assert evaluate("100 * -(1 - e)", {"e": 0.5}) == -50
    with pytest.raises(ReplayError):
        evaluate("RATE(e)", {"e": 1.0})


def test_composite_rules_with_and_or_not_and_parentheses() -> None:
    states = {"x": True, "y": False, "z": True}
    assert rule_holds('(ALARM("x") AND ALARM("y")) OR ALARM("z")', states)
    assert not rule_holds('ALARM("x") AND (ALARM("y") OR NOT ALARM("z"))', states)
    assert rule_holds('OK("y") AND TRUE', states)
    with pytest.raises(ReplayError):
        rule_holds('ALARM("unknown")', states)


def test_m_of_n_datapoints_and_reset() -> None:
    alarms = read_alarms(_alarm(EvaluationPeriods=3, DatapointsToAlarm=2))
    errors: list[float | None] = [9, None, 9, None, None, None]
    timeline = replay(alarms, {("Errors", "Sum"): errors})
    # Two breaching minutes among the last three: in ALARM only while both are in the window.
    assert timeline.states["a"] == [False, False, True, False, False, False]


def test_missing_data_treated_as_the_alarm_says() -> None:
    breaching = read_alarms(_alarm(TreatMissingData="breaching"))
    assert replay(breaching, {("Errors", "Sum"): [None, 1]}).states["a"] == [True, False]


def test_statistics_that_cannot_be_summed_are_refused() -> None:
    alarms = read_alarms(_alarm(Statistic=None, ExtendedStatistic="p99"))
    with pytest.raises(ReplayError, match="not additive"):
        replay(alarms, {("Errors", "p99"): [1.0]})
