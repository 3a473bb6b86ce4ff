"""One dashboard per environment: golden signals per service, SLO compliance and budget burn,
the data capabilities, and the state of every alarm."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from tests.observability.conftest import template

if TYPE_CHECKING:
    from shipway.synthesis import SynthResult


def _body(resources: dict[str, Any]) -> dict[str, Any]:
    dashboards = [r for r in resources.values() if r["Type"] == "AWS::CloudWatch::Dashboard"]
    assert len(dashboards) == 1
    parts = dashboards[0]["Properties"]["DashboardBody"]["Fn::Join"][1]
    # Tokens (names, ARNs) become placeholders; the rest is the dashboard's JSON.
    text = "".join(part if isinstance(part, str) else "TOKEN" for part in parts)
    body: dict[str, Any] = json.loads(text)
    return body


@pytest.fixture(scope="module")
def prod(three_tier: SynthResult) -> tuple[dict[str, Any], dict[str, Any]]:
    resources = template(three_tier, "prod")["Resources"]
    return resources, _body(resources)


def _titles(body: dict[str, Any]) -> list[str]:
    return [w["properties"].get("title", "") for w in body["widgets"]]


def test_one_dashboard_named_after_the_environment(
    prod: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    resources, _ = prod
    (dashboard,) = [r for r in resources.values() if r["Type"] == "AWS::CloudWatch::Dashboard"]
    assert dashboard["Properties"]["DashboardName"] == "three-tier-prod"


def test_golden_signals_per_service(prod: tuple[dict[str, Any], dict[str, Any]]) -> None:
    titles = _titles(prod[1])
    for expected in (
        "web: requests and 5xx",
        "web: latency p50, p99 (s)",
        "web: CPU and memory (%)",
        "web: running vs desired tasks",
        "api: CPU and memory (%)",
        "api: running vs desired tasks",
    ):
        assert expected in titles
    text = json.dumps(prod[1])
    for metric in ("RequestCount", "HTTPCode_Target_5XX_Count", "RunningTaskCount"):
        assert metric in text
    assert '"stat": "p99"' in text and '"stat": "p50"' in text


def test_slo_compliance_and_budget_burn(prod: tuple[dict[str, Any], dict[str, Any]]) -> None:
    titles = _titles(prod[1])
    assert "web: availability SLO over 30 days" in titles
    assert "web: latency SLO over 30 days" in titles
    assert "web: availability budget burn rate (1 h)" in titles
    burn = next(
        w
        for w in prod[1]["widgets"]
        if w["properties"].get("title") == "web: availability budget burn rate (1 h)"
    )
    lines = [a["value"] for a in burn["properties"]["annotations"]["horizontal"]]
    assert lines == [14.4, 6, 1]
    compliance = next(
        w
        for w in prod[1]["widgets"]
        if w["properties"].get("title") == "web: availability SLO over 30 days"
    )
    assert '"period": 2592000' in json.dumps(compliance)  # the 30-day window
    assert "budget left (%)" in json.dumps(compliance)


def test_data_capabilities_and_alarm_status(prod: tuple[dict[str, Any], dict[str, Any]]) -> None:
    titles = _titles(prod[1])
    assert "table items: throttled reads and writes" in titles
    assert "table items: p99 latency (ms)" in titles
    assert "loader items-import: dead-letter queue depth" in titles
    assert "loader items-import: oldest message age (s)" in titles
    statuses = [w for w in prod[1]["widgets"] if w["type"] == "alarm"]
    assert [w["properties"]["title"] for w in statuses] == [
        "Alarms that page",
        "Alarms that open a ticket",
    ]
    listed = sum(len(w["properties"]["alarms"]) for w in statuses)
    notifying = [
        r
        for r in prod[0].values()
        if r["Type"].startswith("AWS::CloudWatch::") and r["Properties"].get("AlarmActions")
    ]
    assert listed == len(notifying)


def test_queues_topics_and_jobs_have_their_rows() -> None:
    """The messaging manifest: three queues, a topic, two jobs, each with its widgets."""
    from tests.data.messaging.synthesized import resources

    body = _body(resources("prod", "AWS::CloudWatch::Dashboard"))
    titles = _titles(body)
    for queue in ("fulfilment", "audit", "ledger"):
        assert f"queue {queue}: messages waiting and in flight" in titles
        assert f"queue {queue}: oldest message age (s)" in titles
        assert f"queue {queue}: dead-letter queue depth" in titles
    assert "topic order-events: messages published" in titles
    assert "topic order-events: deliveries failed" in titles
    for job in ("nightly-report", "heartbeat"):
        assert f"job {job}: runs" in titles
        assert f"job {job}: run time (ms)" in titles
    text = json.dumps(body)
    for metric in (
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateAgeOfOldestMessage",
        "NumberOfNotificationsFailed",
        "ExecutionsTimedOut",
        "ExecutionTime",
    ):
        assert metric in text
