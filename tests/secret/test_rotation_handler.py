"""Rotation of a generated secret against the moto server: a new value, then made current."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import boto3
import pytest

from shipway.secret.rotation_handler import RotationError, create_secret, handler

if TYPE_CHECKING:
    from shipway.emulators import MotoServer


@pytest.fixture
def client(aws_env: MotoServer) -> Any:
    return boto3.client(
        "secretsmanager", region_name="us-east-1", endpoint_url=aws_env.endpoint_url
    )


@pytest.fixture
def arn(client: Any) -> str:
    created = client.create_secret(Name=f"rotation-{uuid.uuid4().hex[:8]}", SecretString="first")
    return str(created["ARN"])


def _step(client: Any, arn: str, token: str, step: str) -> None:
    handler({"SecretId": arn, "ClientRequestToken": token, "Step": step}, None, client=client)


def test_create_stores_a_pending_value_of_the_configured_length_once(
    client: Any, arn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SECRET_LENGTH", "24")
    token = str(uuid.uuid4())
    create_secret(client, arn, token)
    pending = client.get_secret_value(SecretId=arn, VersionStage="AWSPENDING")
    create_secret(client, arn, token)  # Secrets Manager retries steps: the value stays
    again = client.get_secret_value(SecretId=arn, VersionStage="AWSPENDING")
    assert pending["VersionId"] == again["VersionId"] == token
    assert pending["SecretString"] == again["SecretString"]
    assert len(pending["SecretString"]) == 24 and pending["SecretString"].isalnum()


def test_remaining_steps_make_the_pending_value_current(client: Any, arn: str) -> None:
    first = client.get_secret_value(SecretId=arn)["VersionId"]
    token = str(uuid.uuid4())
    create_secret(client, arn, token)
    for step in ("createSecret", "setSecret", "testSecret", "finishSecret"):
        _step(client, arn, token, step)
    # Stages, not get_secret_value(): moto keeps serving the first version by default.
    stages = client.describe_secret(SecretId=arn)["VersionIdsToStages"]
    assert "AWSCURRENT" in stages[token]
    assert [version for version, names in stages.items() if "AWSPREVIOUS" in names] == [first]
    pending = client.get_secret_value(SecretId=arn, VersionId=token)["SecretString"]
    assert pending != "first"


def test_unknown_version_is_refused(client: Any, arn: str) -> None:
    with pytest.raises(RotationError, match="does not exist"):
        _step(client, arn, str(uuid.uuid4()), "createSecret")


def test_current_version_needs_nothing(client: Any, arn: str) -> None:
    current = client.get_secret_value(SecretId=arn)["VersionId"]
    _step(client, arn, current, "finishSecret")
    assert client.get_secret_value(SecretId=arn)["SecretString"] == "first"
