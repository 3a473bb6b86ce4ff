"""The signing key from Secrets Manager: cached, refreshed after rotation, resilient to outages."""

from __future__ import annotations

import asyncio
import secrets
import uuid
from typing import TYPE_CHECKING, Any

import boto3
import jwt
import pytest
from bootcamp_api.app import create_app
from bootcamp_api.services import build_services
from bootcamp_api.signing_keys import SecretsManagerKey, SigningKeyUnavailableError
from botocore.exceptions import ClientError, EndpointConnectionError

from .conftest import running, token_for

if TYPE_CHECKING:
    from bootcamp_api.settings import Settings

    from shipway.emulators import MotoServer

pytestmark = pytest.mark.anyio


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class CountingClient:
    """Wraps a Secrets Manager client, counting reads; can be told to fail."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.reads = 0
        self.failing = False

    def get_secret_value(self, **kwargs: Any) -> Any:
        self.reads += 1
        if self.failing:
            raise EndpointConnectionError(endpoint_url="https://secretsmanager")
        return self.client.get_secret_value(**kwargs)


@pytest.fixture
def secret(aws_env: MotoServer) -> tuple[str, str]:
    """A secret `jwt-key-<random>` in the moto server; returns (name, value)."""
    name, value = f"jwt-key-{uuid.uuid4().hex[:8]}", secrets.token_urlsafe(48)
    boto3.client("secretsmanager").create_secret(Name=name, SecretString=value)
    return name, value


def rotate(name: str) -> str:
    value = secrets.token_urlsafe(48)
    boto3.client("secretsmanager").put_secret_value(SecretId=name, SecretString=value)
    return value


async def test_tokens_are_signed_with_the_secret(
    settings: Settings, secret: tuple[str, str]
) -> None:
    name, value = secret
    from_secret = settings.model_copy(update={"jwt_key": None, "jwt_key_secret_id": name})
    async with running(create_app(from_secret)) as client:
        token = await token_for(client)
        accepted = await client.get(
            "/cidr-to-mask?value=8", headers={"Authorization": f"Bearer {token}"}
        )

    assert jwt.decode(token, value, algorithms=["HS256"])["sub"] == "bob"
    assert accepted.status_code == 200


async def test_a_rotated_key_is_used_once_the_cached_one_is_too_old(
    secret: tuple[str, str],
) -> None:
    name, first = secret
    clock, client = Clock(), CountingClient(boto3.client("secretsmanager"))
    keys = SecretsManagerKey(client, name, max_age=300, clock=clock)
    await keys.prime()
    second = rotate(name)

    clock.now += 299
    still_cached = await keys.current()
    clock.now += 2
    refreshed = await keys.current()

    assert (still_cached, refreshed) == (first, second)
    assert client.reads == 2


async def test_a_token_signed_before_rotation_stops_verifying_after_it(
    settings: Settings, secret: tuple[str, str]
) -> None:
    name, _ = secret
    clock = Clock()
    from_secret = settings.model_copy(update={"jwt_key": None, "jwt_key_secret_id": name})
    services = build_services(from_secret)
    services.keys.clock = clock  # type: ignore[attr-defined]
    async with running(create_app(from_secret, services=services)) as client:
        old_token = await token_for(client)
        before = await client.get(
            "/cidr-to-mask?value=8", headers={"Authorization": f"Bearer {old_token}"}
        )
        new_value = rotate(name)
        clock.now += from_secret.jwt_key_max_age_seconds + 1
        old = await client.get(
            "/cidr-to-mask?value=8", headers={"Authorization": f"Bearer {old_token}"}
        )
        new_token = await token_for(client)

    assert before.status_code == 200  # verified, and remembered as verified, with the old key
    assert old.status_code == 401
    assert jwt.decode(new_token, new_value, algorithms=["HS256"])["sub"] == "bob"


async def test_an_outage_keeps_the_current_key_and_retries_later(
    secret: tuple[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    name, value = secret
    clock, client = Clock(), CountingClient(boto3.client("secretsmanager"))
    keys = SecretsManagerKey(client, name, max_age=300, retry_after=30, clock=clock)
    await keys.prime()

    client.failing = True
    clock.now += 301
    during = await keys.current()
    clock.now += 10
    await keys.current()  # within retry_after: no new attempt
    reads_during_outage = client.reads
    client.failing = False
    clock.now += 21
    after = await keys.current()

    assert during == after == value
    assert reads_during_outage == 2
    assert client.reads == 3
    assert any(r.getMessage().startswith("jwt signing key refresh failed") for r in caplog.records)


async def test_many_requests_at_expiry_cause_one_read(secret: tuple[str, str]) -> None:
    name, value = secret
    clock, client = Clock(), CountingClient(boto3.client("secretsmanager"))
    keys = SecretsManagerKey(client, name, max_age=300, clock=clock)

    values = await asyncio.gather(*(keys.current() for _ in range(20)))

    assert set(values) == {value}
    assert client.reads == 1


async def test_no_key_at_all_refuses_to_start(aws_env: MotoServer) -> None:
    keys = SecretsManagerKey(boto3.client("secretsmanager"), "no-such-secret", max_age=300)

    with pytest.raises(SigningKeyUnavailableError, match="no-such-secret.*JWT_KEY is not set"):
        await keys.prime()


async def test_jwt_key_is_the_fallback_when_the_secret_cannot_be_read(
    aws_env: MotoServer, caplog: pytest.LogCaptureFixture
) -> None:
    fallback = "f" * 40
    keys = SecretsManagerKey(
        boto3.client("secretsmanager"), "no-such-secret", max_age=300, fallback=fallback
    )

    await keys.prime()

    assert await keys.current() == fallback
    assert any(
        r.getMessage() == "jwt signing key unreadable, using JWT_KEY for now"
        for r in caplog.records
    )


async def test_a_secret_shorter_than_32_bytes_is_refused(aws_env: MotoServer) -> None:
    name = f"short-{uuid.uuid4().hex[:8]}"
    boto3.client("secretsmanager").create_secret(Name=name, SecretString="too-short")
    keys = SecretsManagerKey(boto3.client("secretsmanager"), name, max_age=300)

    with pytest.raises(SigningKeyUnavailableError, match="shorter than 32 bytes"):
        await keys.prime()


async def test_the_app_does_not_start_without_a_key(settings: Settings) -> None:
    unreadable = settings.model_copy(
        update={"jwt_key": None, "jwt_key_secret_id": "no-such-secret"}
    )
    app = create_app(unreadable)

    with pytest.raises(SigningKeyUnavailableError):
        async with running(app):
            pass


async def test_a_denied_read_is_a_clear_failure(secret: tuple[str, str]) -> None:
    class Denied:
        def get_secret_value(self, **kwargs: Any) -> Any:
            raise ClientError(
                {"Error": {"Code": "AccessDeniedException", "Message": "not allowed"}},
                "GetSecretValue",
            )

    keys = SecretsManagerKey(Denied(), secret[0], max_age=300)  # type: ignore[arg-type]

    with pytest.raises(SigningKeyUnavailableError, match="AccessDeniedException"):
        await keys.prime()
