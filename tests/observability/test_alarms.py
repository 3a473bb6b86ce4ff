"""The default alarm set on the core acceptance manifest: every web service's alarms with their
exact thresholds and windows, the reasons they carry, and which severity each one notifies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_cdk.assertions import Match

if TYPE_CHECKING:
    from aws_cdk.assertions import Template

# suffix: (threshold, comparison, periods, period seconds, statistic, severity)
WEB_ALARMS = {
    "target-5xx": (10, "GreaterThanThreshold", 1, 300, "Sum", "page"),
    "target-4xx": (100, "GreaterThanThreshold", 1, 300, "Sum", "ticket"),
    "target-3xx": (25, "GreaterThanThreshold", 1, 300, "Sum", "ticket"),
    "response-time-p99": (0.8, "GreaterThanThreshold", 1, 300, "p99", "ticket"),
    "cpu-high": (80, "GreaterThanThreshold", 1, 300, "Average", "ticket"),
    "cpu-low": (20, "LessThanThreshold", 12, 300, "Average", "ticket"),
    "memory-high": (80, "GreaterThanThreshold", 1, 300, "Average", "ticket"),
    "memory-low": (20, "LessThanThreshold", 12, 300, "Average", "ticket"),
    "unhealthy-hosts": (1, "GreaterThanOrEqualToThreshold", 3, 60, "Maximum", "page"),
    "tasks-missing": (0, "GreaterThanThreshold", 5, None, None, "page"),
}


def _alarms_by_name(template: Template) -> dict[str, dict[str, Any]]:
    alarms = template.find_resources("AWS::CloudWatch::Alarm").values()
    return {alarm["Properties"]["AlarmName"]: alarm["Properties"] for alarm in alarms}


def _severity(alarm: dict[str, Any]) -> str:
    topics = {action["Ref"] for action in alarm["AlarmActions"]}
    assert len(topics) == 1, topics
    return "ticket" if "Ticket" in topics.pop() else "page"


def test_every_web_service_has_the_alarm_set_with_exact_values(core_prod: Template) -> None:
    by_name = _alarms_by_name(core_prod)
    for suffix, (threshold, comparison, periods, period, statistic, severity) in WEB_ALARMS.items():
        alarm = by_name[f"storefront-prod-web-{suffix}"]
        measured = alarm.get("Statistic") or alarm.get("ExtendedStatistic")
        assert (
            alarm["Threshold"],
            alarm["ComparisonOperator"],
            alarm["EvaluationPeriods"],
            alarm["DatapointsToAlarm"],
            alarm.get("Period"),
            measured,
            alarm["TreatMissingData"],
            _severity(alarm),
        ) == (threshold, comparison, periods, periods, period, statistic, "notBreaching", severity)
    assert "storefront-prod-elb-5xx" in by_name


def test_every_alarm_says_why_what_first_and_where_its_runbook_is(core_prod: Template) -> None:
    for service in ("web", "admin"):
        for suffix in WEB_ALARMS:
            alarm = _alarms_by_name(core_prod)[f"storefront-prod-{service}-{suffix}"]
            assert alarm["AlarmDescription"].startswith("Why: ")
            assert "First: " in alarm["AlarmDescription"]
            assert "Runbook: " in alarm["AlarmDescription"]
            assert alarm["AlarmActions"] == alarm["OKActions"]


def test_quiet_hour_alarms_never_page(core_prod: Template) -> None:
    by_name = _alarms_by_name(core_prod)
    for suffix in ("cpu-low", "memory-low", "target-3xx"):
        assert _severity(by_name[f"storefront-prod-web-{suffix}"]) == "ticket"


def test_alarm_topics_are_encrypted_and_prod_pages_by_email(
    core_prod: Template, core_test: Template
) -> None:
    core_prod.has_resource_properties("AWS::SNS::Topic", {"KmsMasterKeyId": Match.any_value()})
    core_prod.has_resource_properties(
        "AWS::SNS::Subscription", {"Protocol": "email", "Endpoint": "oncall@example.com"}
    )
    core_test.resource_count_is("AWS::SNS::Subscription", 0)
