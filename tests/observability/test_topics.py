"""Page and ticket topics: created and encrypted, or existing ones by ARN; an alarm goes to the
topic of its kind's severity, and a kind shipway does not know pages."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Template

from shipway.manifest import Environment
from shipway.observability.topic import AlarmTopic

PAGE_ARN = "arn:aws:sns:us-east-1:123456789012:pager"
TICKET_ARN = "arn:aws:sns:us-east-1:123456789012:tickets"


def _stack(environment: Environment, kinds: list[str]) -> Template:
    stack = cdk.Stack(cdk.App(), "Topics")
    topic = AlarmTopic(
        stack,
        "Alarms",
        environment=environment,
        key=kms.Key(stack, "Key"),
        runbook_url="https://example.com/runbooks/",
    )
    metric = cloudwatch.Metric(namespace="N", metric_name="M")
    for index, kind in enumerate(kinds):
        alarm = cloudwatch.Alarm(
            stack,
            f"A{index}",
            metric=metric,
            threshold=1,
            evaluation_periods=1,
            alarm_description=topic.describe(kind, "why.", "first."),
        )
        topic.notify(alarm, kind=kind)
    return Template.from_stack(stack)


def test_existing_topics_by_arn_per_severity() -> None:
    environment = Environment(
        account="123456789012",
        region="us-east-1",
        alarm_topic_arn=PAGE_ARN,
        ticket_topic_arn=TICKET_ARN,
    )
    template = _stack(environment, ["service-cpu-low", "service-tasks-missing", "new-kind"])
    template.resource_count_is("AWS::SNS::Topic", 0)
    actions = {
        props["AlarmDescription"].split("Runbook: ")[1]: props["AlarmActions"]
        for props in (
            r["Properties"] for r in template.find_resources("AWS::CloudWatch::Alarm").values()
        )
    }
    assert actions == {
        "https://example.com/runbooks/service-cpu-low.md": [TICKET_ARN],
        "https://example.com/runbooks/service-tasks-missing.md": [PAGE_ARN],
        "https://example.com/runbooks/new-kind.md": [PAGE_ARN],
    }


def test_created_topics_are_encrypted_and_tickets_default_to_the_alarm_email() -> None:
    environment = Environment(
        account="123456789012", region="us-east-1", alarm_email="oncall@example.com"
    )
    template = _stack(environment, [])
    template.resource_count_is("AWS::SNS::Topic", 2)
    for topic in template.find_resources("AWS::SNS::Topic").values():
        assert "KmsMasterKeyId" in topic["Properties"]
    endpoints = [
        s["Properties"]["Endpoint"]
        for s in template.find_resources("AWS::SNS::Subscription").values()
    ]
    assert endpoints == ["oncall@example.com", "oncall@example.com"]
