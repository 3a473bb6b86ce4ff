"""Tables in the data-capabilities manifest: DynamoDB settings, alarms, wiring, least privilege."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shipway.table.infrastructure import ALARMED_OPERATIONS
from tests.data.data_capabilities.synthesized import (
    actions,
    alarms,
    environment_of,
    logical_id,
    resource,
    resources,
    role_statements,
)

if TYPE_CHECKING:
    from shipway.synthesis import SynthResult

TABLE = "AWS::DynamoDB::Table"
ENVIRONMENTS = ("test", "prod")


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_users_table_has_pitr_kms_ttl_and_its_index(synth: SynthResult, env: str) -> None:
    properties = resource(env, TABLE, "TableUsers")["Properties"]
    if env == "test":
        assert properties["TableName"] == "ledger-test-users"
    else:  # retained: the stack's suffix lets a retry after a failed first create succeed
        assert properties["TableName"]["Fn::Join"][1][0] == "ledger-prod-users-"
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["SSESpecification"] == {
        "SSEEnabled": True,
        "SSEType": "KMS",
        "KMSMasterKeyId": {"Fn::GetAtt": [logical_id(env, "AWS::KMS::Key", "Encryption"), "Arn"]},
    }
    assert properties["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert properties["KeySchema"] == [{"AttributeName": "username", "KeyType": "HASH"}]
    assert properties["GlobalSecondaryIndexes"] == [
        {
            "IndexName": "by-email",
            "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
        }
    ]


@pytest.mark.parametrize(("env", "protected"), [("test", False), ("prod", True)])
def test_deletion_protection_and_retention_only_where_the_environment_asks(
    synth: SynthResult, env: str, protected: bool
) -> None:
    for table in resources(env, TABLE).values():
        assert table["Properties"]["DeletionProtectionEnabled"] is protected
        assert table["DeletionPolicy"] == ("Retain" if protected else "Delete")


def test_provisioned_table_autoscales_reads_and_writes(synth: SynthResult) -> None:
    properties = resource("test", TABLE, "TableAudit")["Properties"]
    assert properties["ProvisionedThroughput"] == {"ReadCapacityUnits": 2, "WriteCapacityUnits": 2}
    assert properties["KeySchema"][1] == {"AttributeName": "at", "KeyType": "RANGE"}
    targets = resources("test", "AWS::ApplicationAutoScaling::ScalableTarget")
    dimensions = sorted(t["Properties"]["ScalableDimension"] for t in targets.values())
    assert dimensions == ["dynamodb:table:ReadCapacityUnits", "dynamodb:table:WriteCapacityUnits"]
    assert {
        (t["Properties"]["MinCapacity"], t["Properties"]["MaxCapacity"]) for t in targets.values()
    } == {(2, 20)}
    for policy in resources("test", "AWS::ApplicationAutoScaling::ScalingPolicy").values():
        tracking = policy["Properties"]["TargetTrackingScalingPolicyConfiguration"]
        assert tracking["TargetValue"] == 70


def test_on_demand_table_is_not_autoscaled(synth: SynthResult) -> None:
    for target in resources("test", "AWS::ApplicationAutoScaling::ScalableTarget").values():
        assert "TableUsers" not in str(target["Properties"]["ResourceId"])


@pytest.mark.parametrize("table", ["users", "audit"])
def test_alarms_on_throttles_and_system_errors_say_why_and_what_first(
    synth: SynthResult, table: str
) -> None:
    names = {f"ledger-prod-{table}-throttled", f"ledger-prod-{table}-system-errors"}
    found = {name: alarm for name, alarm in alarms("prod", "ledger-prod-").items() if name in names}
    assert set(found) == names
    topic = logical_id("prod", "AWS::SNS::Topic", "AlarmsTopic")  # the page topic
    for alarm in found.values():
        assert alarm["AlarmDescription"].startswith("Why: ")
        assert " First: " in alarm["AlarmDescription"]
        assert alarm["AlarmActions"] == [{"Ref": topic}]
        assert len(alarm["Metrics"]) <= 10  # CloudWatch's limit for metric math in an alarm


def test_system_errors_alarm_covers_the_listed_operations(synth: SynthResult) -> None:
    alarm = alarms("test", "ledger-test-users-system-errors")["ledger-test-users-system-errors"]
    assert len(alarm["Metrics"]) == len(ALARMED_OPERATIONS) + 1  # the metrics and their sum
    expression = next(m["Expression"] for m in alarm["Metrics"] if "Expression" in m)
    # DynamoDB publishes errors and throttles only when they happen: gaps count as zero.
    assert expression.startswith("SUM([FILL(") and expression.count("FILL(") == 8


@pytest.mark.parametrize("service", ["api", "worker"])
def test_table_name_is_injected_as_table_variable(synth: SynthResult, service: str) -> None:
    users = logical_id("test", TABLE, "TableUsers")
    assert environment_of("test", service)["TABLE_USERS"] == {"Ref": users}


def test_read_only_service_cannot_write_the_table(synth: SynthResult) -> None:
    statements = role_statements("test", "ServiceWorkerTaskDefinitionTaskRole")
    users = [
        s
        for s in statements
        if "TableUsers" in str(s["Resource"])
        and any(a.startswith("dynamodb:") for a in actions([s]))
    ]
    assert actions(users) == {
        "dynamodb:BatchGetItem",
        "dynamodb:ConditionCheckItem",
        "dynamodb:DescribeTable",
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:Scan",
    }
    assert "TableAudit" not in str(statements)  # worker does not use the audit table


def test_read_write_service_gets_writes_on_the_table_and_each_index_by_name(
    synth: SynthResult,
) -> None:
    users = logical_id("test", TABLE, "TableUsers")
    statements = [
        s
        for s in role_statements("test", "ServiceApiTaskDefinitionTaskRole")
        if "TableUsers" in str(s["Resource"])
    ]
    assert {
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:BatchWriteItem",
    } <= actions(statements)
    assert statements[0]["Resource"] == [
        {"Fn::GetAtt": [users, "Arn"]},
        {"Fn::Join": ["", [{"Fn::GetAtt": [users, "Arn"]}, "/index/by-email"]]},
    ]


def test_key_grants_for_tables_go_through_dynamodb_only(synth: SynthResult) -> None:
    statements = role_statements("test", "ServiceWorkerTaskDefinitionTaskRole")
    keys = [
        s
        for s in statements
        if "kms:ViaService" in str(s.get("Condition")) and "dynamodb" in str(s["Condition"])
    ]
    assert actions(keys) == {"kms:Decrypt", "kms:DescribeKey"}
    assert all(not a.endswith("*") for a in actions(statements))
