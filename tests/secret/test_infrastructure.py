"""Secrets in the data-capabilities manifest: generated, rotated, existing, and injected."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import aws_cdk as cdk
import pytest

from shipway.secret.infrastructure import existing_secret
from tests.data.data_capabilities.synthesized import (
    actions,
    data_template,
    environment_of,
    logical_id,
    resource,
    resources,
    role_statements,
    secrets_of,
)

if TYPE_CHECKING:
    from shipway.synthesis import SynthResult

SECRET = "AWS::SecretsManager::Secret"
STRIPE_ARN = {
    "Fn::Join": [
        "",
        [
            "arn:",
            {"Ref": "AWS::Partition"},
            ":secretsmanager:us-east-1:123456789012:secret:ledger/stripe-key",
        ],
    ]
}


def secret(env: str, name: str) -> dict[str, Any]:
    return resource(env, SECRET, f"Secret{name}Secret")


def test_generated_secret_has_the_manifest_length_and_the_environment_key(
    synth: SynthResult,
) -> None:
    properties = secret("test", "JwtKey")["Properties"]
    assert properties["GenerateSecretString"] == {
        "ExcludePunctuation": True,
        "IncludeSpace": False,
        "PasswordLength": 32,
    }
    key = logical_id("test", "AWS::KMS::Key", "Encryption")
    assert properties["KmsKeyId"] == {"Fn::GetAtt": [key, "Arn"]}
    assert (
        secret("test", "SessionSalt")["Properties"]["GenerateSecretString"]["PasswordLength"] == 48
    )


@pytest.mark.parametrize(("env", "policy"), [("test", "Delete"), ("prod", "Retain")])
def test_generated_secrets_are_kept_where_the_environment_protects_data(
    synth: SynthResult, env: str, policy: str
) -> None:
    assert secret(env, "JwtKey")["DeletionPolicy"] == policy


def test_existing_secret_is_referenced_not_created(synth: SynthResult) -> None:
    assert not [name for name in resources("test", SECRET) if "Stripe" in name]
    assert "ledger/stripe-key" in json.dumps(data_template("test"))


def test_rotation_days_schedule_a_rotation_function(synth: SynthResult) -> None:
    schedule = resource("test", "AWS::SecretsManager::RotationSchedule", "SecretJwtKey")
    function = logical_id("test", "AWS::Lambda::Function", "SecretJwtKeyRotation")
    assert schedule["Properties"]["RotationRules"] == {"ScheduleExpression": "rate(30 days)"}
    assert schedule["Properties"]["RotationLambdaARN"] == {"Fn::GetAtt": [function, "Arn"]}
    properties = resource("test", "AWS::Lambda::Function", function)["Properties"]
    assert (properties["Runtime"], properties["Architectures"]) == ("python3.14", ["arm64"])
    assert properties["Handler"] == "rotation_handler.handler"
    assert properties["Environment"]["Variables"] == {"SECRET_LENGTH": "32"}
    assert properties["TracingConfig"] == {"Mode": "Active"}


def test_only_secrets_manager_may_invoke_rotation_and_only_for_its_secret(
    synth: SynthResult,
) -> None:
    permission = resource("test", "AWS::Lambda::Permission", "SecretJwtKeyRotation")["Properties"]
    assert permission["Principal"] == "secretsmanager.amazonaws.com"
    assert permission["SourceArn"] == {"Ref": logical_id("test", SECRET, "SecretJwtKeySecret")}


def test_secret_without_rotation_days_has_no_schedule(synth: SynthResult) -> None:
    schedules = resources("test", "AWS::SecretsManager::RotationSchedule")
    assert [name for name in schedules if "SessionSalt" in name] == []


def test_value_is_an_ecs_secret_and_the_arn_a_plain_variable(synth: SynthResult) -> None:
    jwt = {"Ref": logical_id("test", SECRET, "SecretJwtKeySecret")}
    assert secrets_of("test", "api")["JWT_KEY"] == jwt
    assert environment_of("test", "api")["JWT_KEY_SECRET_ID"] == jwt
    assert "JWT_KEY" not in environment_of("test", "api")
    assert secrets_of("test", "api")["STRIPE_KEY"] == STRIPE_ARN
    assert environment_of("test", "api")["STRIPE_KEY_SECRET_ID"] == STRIPE_ARN
    assert "JWT_KEY" not in secrets_of("test", "worker")


def test_express_service_reads_its_secret_through_its_execution_role(synth: SynthResult) -> None:
    service = resource("test", "AWS::ECS::ExpressGatewayService", "ServiceAdmin")["Properties"]
    secrets = {
        entry["Name"]: entry["ValueFrom"] for entry in service["PrimaryContainer"]["Secrets"]
    }
    jwt = {"Ref": logical_id("test", SECRET, "SecretJwtKeySecret")}
    assert secrets["JWT_KEY"] == jwt
    readable = [
        s["Resource"]
        for s in role_statements("test", "ServiceAdminTaskDefinitionExecutionRole")
        if "secretsmanager:GetSecretValue" in s["Action"]
    ]
    assert jwt in readable


def test_task_role_may_only_read_the_secrets_it_uses(synth: SynthResult) -> None:
    statements = role_statements("test", "ServiceApiTaskDefinitionTaskRole")
    reading = [s for s in statements if "secretsmanager:" in json.dumps(s["Action"])]
    assert actions(reading) == {"secretsmanager:GetSecretValue"}
    stripe = {
        "Fn::Join": [
            "",
            [
                *STRIPE_ARN["Fn::Join"][1][:-1],
                ":secretsmanager:us-east-1:123456789012:secret:ledger/stripe-key-??????",
            ],
        ]
    }
    assert [s["Resource"] for s in reading] == [
        {"Ref": logical_id("test", SECRET, "SecretJwtKeySecret")},
        stripe,
    ]
    decrypt = [
        s for s in statements if "secretsmanager.us-east-1" in json.dumps(s.get("Condition"))
    ]
    assert actions(decrypt) == {"kms:Decrypt"}


def test_no_secret_value_is_written_into_the_template(synth: SynthResult) -> None:
    for env in ("test", "prod"):
        for body in resources(env, SECRET).values():
            value = body["Properties"].get("SecretString")
            assert value is None or "{{resolve:secretsmanager:" in json.dumps(value)
        for group in resources(env, "AWS::ElastiCache::ReplicationGroup").values():
            assert "{{resolve:secretsmanager:" in json.dumps(group["Properties"]["AuthToken"])
        for function in resources(env, "AWS::Lambda::Function").values():
            names = function["Properties"].get("Environment", {}).get("Variables", {})
            assert not [name for name in names if "TOKEN" in name or "PASSWORD" in name]


@pytest.mark.parametrize(
    ("reference", "arn"),
    [
        (
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/key-AbC123",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/key-AbC123",
        ),
        (
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/key",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/key",
        ),
    ],
)
def test_existing_secret_by_arn_keeps_the_arn(reference: str, arn: str) -> None:
    stack = cdk.Stack(
        cdk.App(), "Existing", env=cdk.Environment(account="123456789012", region="us-east-1")
    )
    found = existing_secret(stack, "Secret", reference)
    assert found.secret_arn == arn
    assert (found.secret_full_arn is not None) == reference.endswith("-AbC123")


def test_existing_secret_by_name_is_a_partial_arn_in_the_stack_region() -> None:
    stack = cdk.Stack(
        cdk.App(), "Existing", env=cdk.Environment(account="123456789012", region="eu-west-1")
    )
    found = existing_secret(stack, "Secret", "app/key")
    assert found.secret_name == "app/key"
    assert found.secret_full_arn is None
    assert stack.resolve(found.secret_arn) == {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":secretsmanager:eu-west-1:123456789012:secret:app/key",
            ],
        ]
    }
