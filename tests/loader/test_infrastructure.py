"""The loader's cloud side: S3 notification -> SQS with a DLQ -> Lambda -> DynamoDB."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from typing import TYPE_CHECKING, Any

import pytest

from shipway.loader.bundle import HANDLER, loader_bundle
from shipway.manifest import resolve
from shipway.table.keys import key_schema_json
from tests.data.data_capabilities.synthesized import (
    actions,
    alarms,
    data_manifest,
    data_synth,
    logical_id,
    resource,
    role_statements,
)

if TYPE_CHECKING:
    from pathlib import Path

    from shipway.synthesis import SynthResult

QUEUE = "AWS::SQS::Queue"
FUNCTION = "AWS::Lambda::Function"
# What the Lambda Python runtime provides besides the standard library.
LAMBDA_RUNTIME_PACKAGES = (
    "boto3",
    "botocore",
    "s3transfer",
    "jmespath",
    "dateutil",
    "urllib3",
    "six",
)


@pytest.fixture(scope="module")
def synth() -> SynthResult:
    return data_synth()


def loader_function(env: str = "test") -> dict[str, Any]:
    return resource(env, FUNCTION, "BucketUsersImportLoaderFunction")["Properties"]


def test_uploads_notify_the_queue_through_cloudformation_not_a_custom_resource(
    synth: SynthResult,
) -> None:
    bucket = resource("test", "AWS::S3::Bucket", "BucketUsersImportBucket")
    queue = logical_id("test", QUEUE, "BucketUsersImportLoaderQueue")
    assert bucket["Properties"]["NotificationConfiguration"] == {
        "QueueConfigurations": [
            {"Event": "s3:ObjectCreated:*", "Queue": {"Fn::GetAtt": [queue, "Arn"]}}
        ]
    }
    assert bucket["DependsOn"] == [
        logical_id("test", "AWS::SQS::QueuePolicy", "BucketUsersImportLoaderQueuePolicy")
    ]
    assert "Custom::S3BucketNotifications" not in json.dumps(synth.stacks[0].resources)


def test_queue_accepts_messages_only_from_its_bucket_over_tls(synth: SynthResult) -> None:
    policy = resource("test", "AWS::SQS::QueuePolicy", "BucketUsersImportLoaderQueuePolicy")
    deny, allow = policy["Properties"]["PolicyDocument"]["Statement"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert allow["Principal"] == {"Service": "s3.amazonaws.com"}
    assert allow["Action"] == "sqs:SendMessage"
    # The bucket's own name (with its stack suffix), written out: no reference, so no cycle.
    source = allow["Condition"]["ArnLike"]["aws:SourceArn"]["Fn::Join"][1]
    assert source[:3] == ["arn:", {"Ref": "AWS::Partition"}, ":s3:::ledger-test-users-import-"]
    bucket_name = resource("test", "AWS::S3::Bucket", "BucketUsersImportBucket")["Properties"][
        "BucketName"
    ]["Fn::Join"][1]
    assert source[3] == bucket_name[1]  # the same stack-id suffix
    assert "Ref" not in json.dumps(source[3]).replace('"Ref": "AWS::StackId"', "")


def test_queues_are_encrypted_and_failures_go_to_the_dead_letter_queue(synth: SynthResult) -> None:
    key = {"Fn::GetAtt": [logical_id("test", "AWS::KMS::Key", "Encryption"), "Arn"]}
    queue = resource("test", QUEUE, "BucketUsersImportLoaderQueue")["Properties"]
    dead = logical_id("test", QUEUE, "BucketUsersImportLoaderDeadLetters")
    assert queue["KmsMasterKeyId"] == key
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [dead, "Arn"]},
        "maxReceiveCount": 3,
    }
    assert queue["VisibilityTimeout"] == 6 * loader_function()["Timeout"]
    assert resource("test", QUEUE, dead)["Properties"]["KmsMasterKeyId"] == key


@pytest.mark.parametrize("env", ["test", "prod"])
def test_function_is_arm64_python_traced_capped_and_encrypted(synth: SynthResult, env: str) -> None:
    function = loader_function(env)
    assert function["Architectures"] == ["arm64"]
    assert function["Runtime"] == "python3.14"
    assert function["Handler"] == HANDLER == "shipway.loader.runtime.handler"
    assert function["TracingConfig"] == {"Mode": "Active"}
    # No reserved concurrency: it fails on accounts with a low concurrency quota.
    assert "ReservedConcurrentExecutions" not in function
    assert function["KmsKeyArn"] == {
        "Fn::GetAtt": [logical_id(env, "AWS::KMS::Key", "Encryption"), "Arn"]
    }
    assert all("private" in subnet["Ref"] for subnet in function["VpcConfig"]["SubnetIds"])


def test_function_environment_follows_the_wiring_contract(synth: SynthResult) -> None:
    variables = loader_function()["Environment"]["Variables"]
    users = resolve(data_manifest(), "test").tables["users"].spec
    assert variables == {
        "TABLE_NAME": {"Ref": logical_id("test", "AWS::DynamoDB::Table", "TableUsers")},
        "KEY_SCHEMA": key_schema_json(users),
        "LOADER_FORMAT": "auto",
        "REPORT_PREFIX": "reports/",
        "POWERTOOLS_SERVICE_NAME": "ledger-test-users-import-loader",
        "POWERTOOLS_METRICS_NAMESPACE": "shipway/ledger",
    }


def test_function_logs_to_an_encrypted_group_with_retention(synth: SynthResult) -> None:
    group = loader_function("prod")["LoggingConfig"]["LogGroup"]["Ref"]
    properties = resource("prod", "AWS::Logs::LogGroup", group)["Properties"]
    assert properties["RetentionInDays"] == 365
    assert "KmsKeyId" in properties


def test_sqs_source_reports_partial_batch_failures(synth: SynthResult) -> None:
    mapping = resource("test", "AWS::Lambda::EventSourceMapping", "BucketUsersImportLoader")
    properties = mapping["Properties"]
    assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert properties["BatchSize"] == 10
    # Parallel loads are capped here rather than by reserved concurrency.
    assert properties["ScalingConfig"] == {"MaximumConcurrency": 5}
    queue = logical_id("test", QUEUE, "BucketUsersImportLoaderQueue")
    assert properties["EventSourceArn"] == {"Fn::GetAtt": [queue, "Arn"]}


def test_security_group_lets_only_https_out(synth: SynthResult) -> None:
    group = resource("test", "AWS::EC2::SecurityGroup", "BucketUsersImportLoader")["Properties"]
    assert [(rule["IpProtocol"], rule["FromPort"]) for rule in group["SecurityGroupEgress"]] == [
        ("tcp", 443)
    ]
    assert "SecurityGroupIngress" not in group


def test_loader_writes_only_its_table_and_only_reports_to_the_bucket(synth: SynthResult) -> None:
    statements = role_statements("test", "BucketUsersImportLoaderRole")
    users = logical_id("test", "AWS::DynamoDB::Table", "TableUsers")
    bucket = logical_id("test", "AWS::S3::Bucket", "BucketUsersImportBucket")

    def on(resource_: object) -> set[str]:
        return actions([s for s in statements if s["Resource"] == resource_])

    assert on({"Fn::GetAtt": [users, "Arn"]}) == {"dynamodb:BatchWriteItem", "dynamodb:PutItem"}
    assert on({"Fn::Join": ["", [{"Fn::GetAtt": [bucket, "Arn"]}, "/*"]]}) == {"s3:GetObject"}
    assert on({"Fn::Join": ["", [{"Fn::GetAtt": [bucket, "Arn"]}, "/reports/*"]]}) == {
        "s3:PutObject",
        "s3:DeleteObject",
    }
    assert not any(
        a.startswith("s3:") and s["Resource"] == "*" for s in statements for a in actions([s])
    )


def test_network_interface_actions_are_kept_in_their_own_policy(synth: SynthResult) -> None:
    policy = resource("test", "AWS::IAM::Policy", "BucketUsersImportLoaderNetworkInterfaces")
    assert {s["Resource"] for s in policy["Properties"]["PolicyDocument"]["Statement"]} == {"*"}
    assert actions(policy["Properties"]["PolicyDocument"]["Statement"]) <= {
        "ec2:AssignPrivateIpAddresses",
        "ec2:CreateNetworkInterface",
        "ec2:DeleteNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:UnassignPrivateIpAddresses",
    }
    assert policy["Metadata"]["checkov"]["skip"][0]["id"] == "CKV_AWS_111"


def test_alarms_on_dead_letters_errors_and_the_oldest_message(synth: SynthResult) -> None:
    found = alarms("test", "ledger-test-users-import-loader-")
    assert set(found) == {
        f"ledger-test-users-import-loader-{name}"
        for name in ("dead-letters", "errors", "oldest-message")
    }
    dead = found["ledger-test-users-import-loader-dead-letters"]
    assert (dead["MetricName"], dead["Threshold"], dead["ComparisonOperator"]) == (
        "ApproximateNumberOfMessagesVisible",
        0,
        "GreaterThanThreshold",
    )
    assert all(alarm["AlarmDescription"].startswith("Why: ") for alarm in found.values())


def test_bundle_holds_python_sources_only() -> None:
    root = loader_bundle()
    assert loader_bundle() is root  # built once per process
    files = [path for path in root.rglob("*") if path.is_file()]
    assert {path.suffix for path in files} == {".py"}
    assert not (root / "shipway" / "loader" / "infrastructure.py").exists()
    assert (root / "shipway" / "loader" / "runtime.py").exists()


def test_bundle_runs_with_only_what_the_lambda_runtime_provides(tmp_path: Path) -> None:
    runtime = tmp_path / "lambda-runtime"
    runtime.mkdir()
    for name in LAMBDA_RUNTIME_PACKAGES:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin
        source = (
            spec.submodule_search_locations[0] if spec.submodule_search_locations else (spec.origin)
        )
        (runtime / os.path.basename(source)).symlink_to(source)
    script = textwrap.dedent("""
        import json, sys
        sys.path[:0] = sys.argv[1:3]
        from shipway.loader.runtime import handler
        import ijson
        class Context:
            function_name, memory_limit_in_mb, aws_request_id = "loader", 512, "r-1"
            invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:loader"
        body = json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "b"})
        record = {"messageId": "m-1", "receiptHandle": "h", "body": body, "attributes": {},
                  "messageAttributes": {}, "eventSource": "aws:sqs", "awsRegion": "us-east-1",
                  "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q", "md5OfBody": ""}
        print(json.dumps({"response": handler({"Records": [record]}, Context()),
                          "backend": ijson.backend}))
    """)
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "AWS_DEFAULT_REGION": "us-east-1",
        "TABLE_NAME": "users",
        "LOADER_FORMAT": "auto",
        "KEY_SCHEMA": key_schema_json(data_manifest().application.tables["users"]),
    }
    result = subprocess.run(  # -I -S: no site-packages, as in Lambda
        [sys.executable, "-I", "-S", "-c", script, str(loader_bundle()), str(runtime)],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    last = json.loads(result.stdout.strip().splitlines()[-1])
    assert last == {"response": {"batchItemFailures": []}, "backend": "python"}
