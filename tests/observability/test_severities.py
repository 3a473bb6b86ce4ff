"""Two severities: every alarm that notifies is classified, links its runbook, and goes to the
topic of its severity; informational alarms never page."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest

from shipway.observability.kinds import KINDS
from shipway.testing.alarm_replay import read_alarms
from tests.observability.conftest import template

if TYPE_CHECKING:
    from shipway.synthesis import SynthResult

RUNBOOK = re.compile(r"Runbook: docs/runbooks/([a-z0-9.-]+)\.md$")
NEVER_PAGE = ("service-cpu-low", "service-memory-low", "service-target-3xx")


@pytest.fixture(scope="module")
def prod(three_tier: SynthResult) -> dict[str, Any]:
    return template(three_tier, "prod")


def _alarms(resources: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        resource["Properties"]["AlarmName"]: resource["Properties"]
        for resource in resources.values()
        if resource["Type"] in ("AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm")
    }


def _topics(resources: dict[str, Any]) -> dict[str, str]:
    """Each topic's logical id by severity, from its display name."""
    return {
        resource["Properties"]["DisplayName"].split("(")[1].rstrip(")"): logical
        for logical, resource in resources.items()
        if resource["Type"] == "AWS::SNS::Topic"
    }


def test_each_environment_has_a_page_and_a_ticket_topic_with_their_emails(
    prod: dict[str, Any],
) -> None:
    resources = prod["Resources"]
    topics = _topics(resources)
    assert sorted(topics) == ["page", "ticket"]
    emails = {
        resource["Properties"]["TopicArn"]["Ref"]: resource["Properties"]["Endpoint"]
        for resource in resources.values()
        if resource["Type"] == "AWS::SNS::Subscription"
    }
    assert emails == {topics["page"]: "oncall@example.com", topics["ticket"]: "tickets@example.com"}


def test_every_notifying_alarm_is_classified_and_goes_to_its_severitys_topic(
    prod: dict[str, Any],
) -> None:
    resources = prod["Resources"]
    topics = _topics(resources)
    notifying = {n: p for n, p in _alarms(resources).items() if p.get("AlarmActions")}
    assert len(notifying) >= 20
    kinds_seen = set()
    for name, properties in notifying.items():
        match = RUNBOOK.search(properties["AlarmDescription"])
        assert match, f"{name} has no runbook link: {properties['AlarmDescription']}"
        kind = KINDS.get(match.group(1))
        assert kind is not None, f"{name}: kind {match.group(1)} is not classified"
        kinds_seen.add(kind.kind)
        topic = topics[kind.severity]
        assert properties["AlarmActions"] == [{"Ref": topic}], name
        assert properties["OKActions"] == [{"Ref": topic}], name
    assert set(NEVER_PAGE) <= kinds_seen
    assert all(KINDS[kind].severity == "ticket" for kind in NEVER_PAGE)


def test_alarms_without_actions_are_only_the_slo_windows_a_composite_joins(
    prod: dict[str, Any],
) -> None:
    resources = prod["Resources"]
    silent = {n for n, p in _alarms(resources).items() if not p.get("AlarmActions")}
    alarms = read_alarms(prod)
    joined = {
        name
        for composite in alarms.composite.values()
        for name in re.findall(r'ALARM\("([^"]+)"\)', composite.rule)
    }
    assert silent == joined
    assert len(joined) == 12  # 2 SLOs x 3 burn windows x (long, short)


def test_express_slo_reads_the_load_balancer_and_target_group_express_mode_made(
    bootcamp: SynthResult,
) -> None:
    resources = template(bootcamp, "test")["Resources"]
    window = next(
        resource["Properties"]
        for resource in resources.values()
        if resource["Type"] == "AWS::CloudWatch::Alarm"
        and resource["Properties"]["AlarmName"] == "bootcamp-test-api-slo-availability-14.4x-1h"
    )
    dimensions = {
        dimension["Name"]: dimension["Value"]
        for metric in window["Metrics"]
        if "MetricStat" in metric
        for dimension in metric["MetricStat"]["Metric"]["Dimensions"]
    }
    text = str(dimensions)
    assert "IngressPath.LoadBalancerArn" in text and "loadbalancer/" in text
    assert "IngressPath.TargetGroupArns" in text
