"""The core acceptance manifest (two web services, one backend, test and prod) as a whole;
each capability's own assertions live in its folder (tests/network, tests/service, ...)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk.assertions import Match

if TYPE_CHECKING:
    from aws_cdk.assertions import Template

    from shipway.synthesis import SynthResult


def test_one_stack_per_environment_and_no_nag_findings(core_synth: SynthResult) -> None:
    assert [stack.name for stack in core_synth.stacks] == ["storefront-test", "storefront-prod"]
    assert core_synth.nag == []
    assert any("test: no domain configured" in warning for warning in core_synth.warnings)
    assert not any(warning.startswith("prod:") for warning in core_synth.warnings)


ALARM_SUFFIXES = (
    "target-5xx",
    "target-4xx",
    "target-3xx",
    "response-time-p99",
    "cpu-high",
    "cpu-low",
    "memory-high",
    "memory-low",
    "unhealthy-hosts",
    "tasks-missing",
)


def test_every_web_service_has_the_alarm_set_with_reasons(core_prod: Template) -> None:
    alarms = core_prod.find_resources("AWS::CloudWatch::Alarm")
    by_name = {alarm["Properties"]["AlarmName"]: alarm["Properties"] for alarm in alarms.values()}
    for service in ("web", "admin"):
        for suffix in ALARM_SUFFIXES:
            alarm = by_name[f"storefront-prod-{service}-{suffix}"]
            assert alarm["AlarmDescription"].startswith("Why: ")
            assert "First: " in alarm["AlarmDescription"]
            assert alarm["AlarmActions"] and alarm["OKActions"]
    assert "storefront-prod-elb-5xx" in by_name
    assert by_name["storefront-prod-web-response-time-p99"]["Threshold"] == 0.8
    assert by_name["storefront-prod-web-response-time-p99"]["ExtendedStatistic"] == "p99"


def test_alarm_topic_is_encrypted_with_email(core_prod: Template, core_test: Template) -> None:
    core_prod.has_resource_properties("AWS::SNS::Topic", {"KmsMasterKeyId": Match.any_value()})
    core_prod.has_resource_properties(
        "AWS::SNS::Subscription", {"Protocol": "email", "Endpoint": "oncall@example.com"}
    )
    core_test.resource_count_is("AWS::SNS::Subscription", 0)
