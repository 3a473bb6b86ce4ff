"""ECS Exec in the cloud, on the acceptance manifest tests/data/exec_network: the cluster's
session settings, which services have it, and exactly what their task roles may do."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tests.data.exec_network.synthesized import container, logical_id, properties, resources

if TYPE_CHECKING:
    from aws_cdk.assertions import Template


def _only(environment: str, kind: str) -> tuple[str, dict[str, Any]]:
    (found,) = resources(environment, kind).items()
    return found[0], found[1]["Properties"]


def _exec_flags(environment: str) -> dict[str, Any]:
    return {
        body["Properties"]["ServiceName"]: body["Properties"].get("EnableExecuteCommand")
        for body in resources(environment, "AWS::ECS::Service").values()
    }


def test_the_cluster_encrypts_sessions_with_the_environment_key_and_logs_them() -> None:
    key = logical_id("test", "AWS::KMS::Key", "EncryptionKey")
    log_group = logical_id("test", "AWS::Logs::LogGroup", "ExecLogs")
    _, cluster = _only("test", "AWS::ECS::Cluster")
    assert cluster["Configuration"] == {
        "ExecuteCommandConfiguration": {
            "KmsKeyId": {"Fn::GetAtt": [key, "Arn"]},
            "Logging": "OVERRIDE",
            "LogConfiguration": {
                "CloudWatchEncryptionEnabled": True,
                "CloudWatchLogGroupName": {"Ref": log_group},
            },
        }
    }
    group = properties("test", "AWS::Logs::LogGroup", "ExecLogs")
    assert group["KmsKeyId"] == {"Fn::GetAtt": [key, "Arn"]}
    assert group["RetentionInDays"] == 30


def test_exec_is_on_by_default_where_deploys_need_no_approval() -> None:
    # sweeper says exec: false; Express (kiosk) has no such setting and is not an ECS service
    assert _exec_flags("test") == {
        "harbour-test-web": True,
        "harbour-test-api": True,
        "harbour-test-sweeper": None,
    }
    express = resources("test", "AWS::ECS::ExpressGatewayService")
    assert len(express) == 1
    assert "ExecuteCommand" not in json.dumps(express)


def test_prod_has_exec_only_where_the_manifest_asks() -> None:
    assert _exec_flags("prod") == {
        "harbour-prod-web": None,
        "harbour-prod-api": True,
        "harbour-prod-sweeper": None,
    }
    assert [name for name in resources("prod", "AWS::IAM::Policy") if "ExecPolicy" in name] == [
        logical_id("prod", "AWS::IAM::Policy", "ServiceApiTaskExecPolicy")
    ]


def test_the_task_role_gets_exactly_the_channels_the_key_and_the_session_log() -> None:
    key = logical_id("test", "AWS::KMS::Key", "EncryptionKey")
    log_group = logical_id("test", "AWS::Logs::LogGroup", "ExecLogs")
    policy = properties("test", "AWS::IAM::Policy", "ServiceWebTaskExecPolicy")
    assert policy["Roles"] == [
        {"Ref": logical_id("test", "AWS::IAM::Role", "ServiceWebTaskDefinitionTaskRole")}
    ]
    assert policy["PolicyDocument"]["Statement"] == [
        {
            "Action": [
                "ssmmessages:CreateControlChannel",
                "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenControlChannel",
                "ssmmessages:OpenDataChannel",
            ],
            "Effect": "Allow",
            "Resource": "*",
        },
        {"Action": "kms:Decrypt", "Effect": "Allow", "Resource": {"Fn::GetAtt": [key, "Arn"]}},
        {"Action": "logs:DescribeLogGroups", "Effect": "Allow", "Resource": "*"},
        {
            "Action": ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [log_group, "Arn"]},
        },
    ]


def test_the_service_waits_for_its_exec_policy() -> None:
    service = resources("test", "AWS::ECS::Service")[
        logical_id("test", "AWS::ECS::Service", "ServiceWebService")
    ]
    policy = logical_id("test", "AWS::IAM::Policy", "ServiceWebTaskExecPolicy")
    assert policy in service["DependsOn"]


def test_a_read_only_root_gets_writable_paths_for_the_agent_and_nothing_else() -> None:
    web = container("test", "web")
    assert web["ReadonlyRootFilesystem"] is True
    assert web["MountPoints"] == [
        {"ContainerPath": "/tmp", "ReadOnly": False, "SourceVolume": "tmp"},
        {"ContainerPath": "/var/lib/amazon", "ReadOnly": False, "SourceVolume": "ssm-agent-state"},
        {"ContainerPath": "/var/log/amazon", "ReadOnly": False, "SourceVolume": "ssm-agent-logs"},
    ]
    # prod's web has no exec: only /tmp is writable there
    assert [mount["ContainerPath"] for mount in container("prod", "web")["MountPoints"]] == ["/tmp"]


def test_no_exec_settings_where_no_service_has_exec(core_prod: Template) -> None:
    clusters = core_prod.find_resources("AWS::ECS::Cluster")
    assert all("Configuration" not in body["Properties"] for body in clusters.values())


def test_without_nat_the_session_channels_get_an_endpoint(compute_test: Template) -> None:
    # compute's test environment has no NAT and exec on: tasks reach ssmmessages privately
    names = json.dumps(
        [
            endpoint["Properties"]["ServiceName"]
            for endpoint in compute_test.find_resources("AWS::EC2::VPCEndpoint").values()
        ]
    )
    assert ".ssmmessages" in names
