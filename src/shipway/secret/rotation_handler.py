"""Rotation of a generated secret: Secrets Manager's four steps for a random value.

Runs in Lambda as it is (never imports aws_cdk). Nothing but the secret holds the value, so
`setSecret` and `testSecret` have nothing to do; services re-read it via `<NAME>_SECRET_ID`.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import boto3

if TYPE_CHECKING:
    from mypy_boto3_secretsmanager import SecretsManagerClient

CURRENT, PENDING = "AWSCURRENT", "AWSPENDING"


class RotationError(Exception):
    """The rotation request does not match the secret's versions."""


def handler(
    event: dict[str, Any], context: object, client: SecretsManagerClient | None = None
) -> None:
    """Entry point Secrets Manager calls once per step."""
    client = client or boto3.client("secretsmanager")
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    versions = client.describe_secret(SecretId=arn).get("VersionIdsToStages", {})
    if token not in versions:
        raise RotationError(f"version {token} of {arn} does not exist")
    if CURRENT in versions[token]:
        return
    if PENDING not in versions[token]:
        raise RotationError(f"version {token} of {arn} is not pending rotation")
    if step == "createSecret":
        create_secret(client, arn, token)
    elif step == "finishSecret":
        finish_secret(client, arn, token, versions)


def create_secret(client: SecretsManagerClient, arn: str, token: str) -> None:
    """Store a new random value as the pending version, once (retries are harmless)."""
    try:
        client.get_secret_value(SecretId=arn, VersionId=token, VersionStage=PENDING)
        return
    except client.exceptions.ResourceNotFoundException:
        pass
    value = client.get_random_password(
        PasswordLength=int(os.environ.get("SECRET_LENGTH", "32")),
        ExcludePunctuation=True,
        IncludeSpace=False,
    )["RandomPassword"]
    client.put_secret_value(
        SecretId=arn, ClientRequestToken=token, SecretString=value, VersionStages=[PENDING]
    )


def finish_secret(
    client: SecretsManagerClient, arn: str, token: str, versions: dict[str, list[str]]
) -> None:
    """Make the pending version current."""
    current = next((version for version, stages in versions.items() if CURRENT in stages), None)
    if current is None:
        client.update_secret_version_stage(
            SecretId=arn, VersionStage=CURRENT, MoveToVersionId=token
        )
    else:
        client.update_secret_version_stage(
            SecretId=arn, VersionStage=CURRENT, MoveToVersionId=token, RemoveFromVersionId=current
        )
