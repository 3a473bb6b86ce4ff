"""Queues in the messaging manifest: SQS settings, dead-letter queues, alarms, least privilege."""

from __future__ import annotations

import pytest

from tests.data.messaging.synthesized import (
    alarms,
    logical_id,
    policy_statements,
    properties,
    resources,
    variables,
)

QUEUE = "AWS::SQS::Queue"


def _key(env: str) -> dict[str, list[str]]:
    return {"Fn::GetAtt": [logical_id(env, "AWS::KMS::Key", "Encryption"), "Arn"]}


def test_standard_queue_has_its_dead_letter_queue_kms_and_manifest_values() -> None:
    queue = properties("test", QUEUE, "QueueFulfilmentQueue")
    dead_letters = logical_id("test", QUEUE, "QueueFulfilmentDeadLetters")
    assert queue["QueueName"] == "relay-test-fulfilment"
    assert queue["VisibilityTimeout"] == 60
    assert queue["MessageRetentionPeriod"] == 4 * 86_400
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [dead_letters, "Arn"]},
        "maxReceiveCount": 5,
    }
    assert queue["KmsMasterKeyId"] == _key("test")
    assert queue["KmsDataKeyReusePeriodSeconds"] == 300
    assert "FifoQueue" not in queue
    dlq = properties("test", QUEUE, "QueueFulfilmentDeadLetters")
    assert dlq["QueueName"] == "relay-test-fulfilment-dlq"
    assert dlq["MessageRetentionPeriod"] == 14 * 86_400
    assert dlq["KmsMasterKeyId"] == _key("test")


@pytest.mark.parametrize(("env", "visibility"), [("test", 30), ("prod", 120)])
def test_fifo_queue_and_its_dead_letter_queue_are_fifo_with_per_environment_values(
    env: str, visibility: int
) -> None:
    queue = properties(env, QUEUE, "QueueLedgerQueue")
    assert queue["FifoQueue"] is True
    assert queue["QueueName"] == f"relay-{env}-ledger.fifo"
    assert queue["VisibilityTimeout"] == visibility
    assert queue["RedrivePolicy"]["maxReceiveCount"] == 3
    dlq = properties(env, QUEUE, "QueueLedgerDeadLetters")
    assert dlq["FifoQueue"] is True
    assert dlq["QueueName"] == f"relay-{env}-ledger-dlq.fifo"


def test_every_queue_refuses_plain_http() -> None:
    policies = resources("test", "AWS::SQS::QueuePolicy").values()
    guarded = set()
    for policy in policies:
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            if statement["Effect"] == "Deny":
                assert statement["Action"] == "sqs:*"
                assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
                guarded.add(statement["Resource"]["Fn::GetAtt"][0])
    assert guarded == set(resources("test", QUEUE))


def test_alarms_on_dead_letters_and_the_oldest_message_use_the_manifest_thresholds() -> None:
    found = alarms("prod", "relay-prod-audit-")
    assert set(found) == {"relay-prod-audit-dead-letters", "relay-prod-audit-oldest-message"}
    dead = found["relay-prod-audit-dead-letters"]
    assert dead["MetricName"] == "ApproximateNumberOfMessagesVisible"
    assert dead["Dimensions"] == [
        {
            "Name": "QueueName",
            "Value": {
                "Fn::GetAtt": [logical_id("prod", QUEUE, "QueueAuditDeadLetters"), "QueueName"]
            },
        }
    ]
    assert (dead["Threshold"], dead["ComparisonOperator"]) == (0, "GreaterThanThreshold")
    oldest = found["relay-prod-audit-oldest-message"]
    assert oldest["MetricName"] == "ApproximateAgeOfOldestMessage"
    assert oldest["Threshold"] == 3600
    assert oldest["EvaluationPeriods"] == 5
    # waiting messages page (users wait); dead letters are a ticket (they are kept 14 days)
    page = logical_id("prod", "AWS::SNS::Topic", "AlarmsTopic")
    ticket = logical_id("prod", "AWS::SNS::Topic", "AlarmsTicketTopic")
    assert oldest["AlarmActions"] == [{"Ref": page}]
    assert dead["AlarmActions"] == [{"Ref": ticket}]
    for alarm in found.values():
        assert alarm["AlarmDescription"].startswith("Why: ")


def test_a_sender_may_only_send_and_a_consumer_only_consume() -> None:
    ledger = {"Fn::GetAtt": [logical_id("test", QUEUE, "QueueLedgerQueue"), "Arn"]}
    api = policy_statements("test", "ServiceApiTaskDefinitionTaskRole")
    sends = [s for s in api if s["Resource"] == ledger]
    assert [s["Action"] for s in sends] == [
        ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"]
    ]
    fulfil = policy_statements("test", "ServiceFulfilTaskDefinitionTaskRole")
    consumes = [s for s in fulfil if s["Resource"] == ledger]
    assert [s["Action"] for s in consumes] == [
        [
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
            "sqs:ReceiveMessage",
        ]
    ]
    key_grants = [s for s in fulfil if s["Resource"] == _key("test")]
    assert key_grants == [
        {
            "Action": "kms:Decrypt",
            "Condition": {"StringEquals": {"kms:ViaService": "sqs.us-east-1.amazonaws.com"}},
            "Effect": "Allow",
            "Resource": _key("test"),
        }
    ]


def test_users_of_a_queue_receive_its_url() -> None:
    ledger = {"Ref": logical_id("test", QUEUE, "QueueLedgerQueue")}
    assert variables("test", "api")["QUEUE_LEDGER_URL"] == ledger
    assert variables("test", "fulfil")["QUEUE_LEDGER_URL"] == ledger
    assert variables("test", "fulfil")["QUEUE_FULFILMENT_URL"] == {
        "Ref": logical_id("test", QUEUE, "QueueFulfilmentQueue")
    }
    assert "QUEUE_FULFILMENT_URL" not in variables("test", "api")
