"""Topics in the messaging manifest: SNS settings, subscriptions with filters, publishing."""

from __future__ import annotations

from tests.data.messaging.synthesized import (
    logical_id,
    policy_statements,
    properties,
    resources,
    variables,
)

TOPIC = "AWS::SNS::Topic"


def test_topic_is_encrypted_with_the_environment_key_and_named_for_it() -> None:
    topic = properties("test", TOPIC, "TopicOrderEvents")
    assert topic["TopicName"] == "relay-test-order-events"
    assert topic["KmsMasterKeyId"] == {
        "Fn::GetAtt": [logical_id("test", "AWS::KMS::Key", "Encryption"), "Arn"]
    }


def test_topic_refuses_publishing_over_plain_http() -> None:
    topic = logical_id("test", TOPIC, "TopicOrderEvents")
    policy = next(
        body["Properties"]["PolicyDocument"]["Statement"]
        for body in resources("test", "AWS::SNS::TopicPolicy").values()
        if body["Properties"]["Topics"] == [{"Ref": topic}]
    )
    assert policy == [
        {
            "Action": "sns:Publish",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            "Effect": "Deny",
            "Principal": "*",
            "Resource": {"Ref": topic},
            "Sid": "AllowPublishThroughSSLOnly",
        }
    ]


def test_subscriptions_deliver_raw_to_each_queue_with_the_written_filter() -> None:
    topic = {"Ref": logical_id("test", TOPIC, "TopicOrderEvents")}
    by_queue = {
        body["Properties"]["Endpoint"]["Fn::GetAtt"][0]: body["Properties"]
        for body in resources("test", "AWS::SNS::Subscription").values()
    }
    fulfilment = by_queue[logical_id("test", "AWS::SQS::Queue", "QueueFulfilmentQueue")]
    audit = by_queue[logical_id("test", "AWS::SQS::Queue", "QueueAuditQueue")]
    for subscription in (fulfilment, audit):
        assert subscription["Protocol"] == "sqs"
        assert subscription["RawMessageDelivery"] is True
        assert subscription["TopicArn"] == topic
    assert fulfilment["FilterPolicy"] == {"type": ["paid", "refunded"]}
    assert "FilterPolicy" not in audit


def test_only_the_topic_may_send_to_its_queues_and_sns_may_use_the_key() -> None:
    topic = {"Ref": logical_id("test", TOPIC, "TopicOrderEvents")}
    queue = logical_id("test", "AWS::SQS::Queue", "QueueFulfilmentQueue")
    policy = next(
        body["Properties"]["PolicyDocument"]["Statement"]
        for body in resources("test", "AWS::SQS::QueuePolicy").values()
        if body["Properties"]["Queues"] == [{"Ref": queue}]
    )
    allow = [s for s in policy if s["Effect"] == "Allow"]
    assert allow == [
        {
            "Action": "sqs:SendMessage",
            "Condition": {"ArnEquals": {"aws:SourceArn": topic}},
            "Effect": "Allow",
            "Principal": {"Service": "sns.amazonaws.com"},
            "Resource": {"Fn::GetAtt": [queue, "Arn"]},
        }
    ]
    key = properties("test", "AWS::KMS::Key", "Encryption")
    sns = [s for s in key["KeyPolicy"]["Statement"] if s.get("Sid") == "SnsDeliveryToQueues"]
    assert sns == [
        {
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}},
            "Effect": "Allow",
            "Principal": {"Service": "sns.amazonaws.com"},
            "Resource": "*",
            "Sid": "SnsDeliveryToQueues",
        }
    ]


def test_a_publisher_receives_the_topic_arn_and_may_publish_only() -> None:
    topic = {"Ref": logical_id("test", TOPIC, "TopicOrderEvents")}
    assert variables("test", "api")["TOPIC_ORDER_EVENTS_ARN"] == topic
    statements = policy_statements("test", "ServiceApiTaskDefinitionTaskRole")
    assert [s["Action"] for s in statements if s["Resource"] == topic] == ["sns:Publish"]
    assert "TOPIC_ORDER_EVENTS_ARN" not in variables("test", "fulfil")
