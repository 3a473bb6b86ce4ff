"""The long-lived collaborators of the app, built once per process from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import anyio
import boto3
from service_runtime.aws import client_config

from bootcamp_api.logins import LoginService
from bootcamp_api.passwords import PasswordHasher, ScryptParameters
from bootcamp_api.signing_keys import SecretsManagerKey, SigningKeySource, StaticKey
from bootcamp_api.tokens import TokenService
from bootcamp_api.users import UserTable

if TYPE_CHECKING:
    from botocore.config import Config
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_secretsmanager import SecretsManagerClient

    from bootcamp_api.settings import Settings


@dataclass(frozen=True)
class Services:
    """What the endpoints use; clients are created once, never per request."""

    logins: LoginService
    tokens: TokenService
    keys: SigningKeySource
    login_limiter: anyio.CapacityLimiter


def aws_config(settings: Settings) -> Config:
    """Bounded timeouts and standard retries for every AWS client."""
    timeout = settings.aws_timeout_seconds
    return client_config(timeout=timeout, connect_timeout=timeout)


def signing_keys(
    settings: Settings, secretsmanager: SecretsManagerClient | None = None
) -> SigningKeySource:
    """Secrets Manager when JWT_KEY_SECRET_ID is set (JWT_KEY as fallback), else JWT_KEY."""
    fallback = settings.jwt_key.get_secret_value() if settings.jwt_key else None
    if settings.jwt_key_secret_id is None:
        assert fallback is not None  # guaranteed by Settings
        return StaticKey(fallback)
    client = secretsmanager or boto3.client("secretsmanager", config=aws_config(settings))
    return SecretsManagerKey(
        client,
        settings.jwt_key_secret_id,
        max_age=settings.jwt_key_max_age_seconds,
        fallback=fallback,
    )


def build_services(
    settings: Settings,
    *,
    dynamodb: DynamoDBClient | None = None,
    secretsmanager: SecretsManagerClient | None = None,
) -> Services:
    """Wire clients, the user table, the hasher and the token service."""
    dynamodb = dynamodb or boto3.client("dynamodb", config=aws_config(settings))
    hasher = PasswordHasher(
        ScryptParameters(settings.scrypt_n, settings.scrypt_r, settings.scrypt_p)
    )
    keys = signing_keys(settings, secretsmanager)
    return Services(
        logins=LoginService(UserTable(dynamodb, settings.table_users), hasher),
        tokens=TokenService(keys, lifetime_seconds=settings.jwt_lifetime_seconds),
        keys=keys,
        login_limiter=anyio.CapacityLimiter(settings.login_concurrency),
    )
