"""The JWT signing key: from Secrets Manager with a time-to-live cache, or from the environment."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Protocol

import anyio.to_thread
from botocore.exceptions import BotoCoreError, ClientError

from bootcamp_api.settings import MIN_JWT_KEY_BYTES

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_secretsmanager import SecretsManagerClient

logger = logging.getLogger(__name__)


class SigningKeyUnavailableError(RuntimeError):
    """No signing key: Secrets Manager failed and there is no JWT_KEY to fall back on."""


class SigningKeySource(Protocol):
    """Where the current HS256 key comes from."""

    async def prime(self) -> None:
        """Obtain the key before serving (raises SigningKeyUnavailableError)."""

    async def current(self) -> str:
        """The key to sign and verify with now."""


class StaticKey:
    """A key fixed for the life of the process (JWT_KEY)."""

    def __init__(self, value: str) -> None:
        self.value = value

    async def prime(self) -> None:
        return None

    async def current(self) -> str:
        return self.value


class SecretsManagerKey:
    """A key read from Secrets Manager and re-read once it is max_age seconds old.

    A failed re-read keeps the key in hand and tries again after `retry_after` seconds, so a
    Secrets Manager outage does not stop logins. A rotated key is in use within max_age seconds;
    tokens signed with the previous key stop verifying then, and their holders log in again.
    """

    def __init__(
        self,
        client: SecretsManagerClient,
        secret_id: str,
        *,
        max_age: float,
        fallback: str | None = None,
        retry_after: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.secret_id = secret_id
        self.max_age = max_age
        self.fallback = fallback
        self.retry_after = min(retry_after, max_age)
        self.clock = clock
        self._value: str | None = None
        self._expires = 0.0
        self._lock = asyncio.Lock()

    async def prime(self) -> None:
        await self._refresh()

    async def current(self) -> str:
        if self._value is not None and self.clock() < self._expires:
            return self._value
        async with self._lock:  # one refresh at a time; the others wait for its result
            if self._value is None or self.clock() >= self._expires:
                await self._refresh()
        assert self._value is not None
        return self._value

    async def _refresh(self) -> None:
        try:
            value = await anyio.to_thread.run_sync(self._read)
        except (BotoCoreError, ClientError, SigningKeyUnavailableError) as error:
            self._keep_after_failure(error)
            return
        if self._value is not None and value != self._value:
            logger.info("jwt signing key rotated", extra={"secret_id": self.secret_id})
        self._value, self._expires = value, self.clock() + self.max_age

    def _keep_after_failure(self, error: Exception) -> None:
        detail = {"secret_id": self.secret_id, "error": f"{type(error).__name__}: {error}"}
        if self._value is None and self.fallback is None:
            raise SigningKeyUnavailableError(
                f"cannot read the JWT signing key {self.secret_id!r} from Secrets Manager "
                f"({detail['error']}) and JWT_KEY is not set"
            ) from error
        if self._value is None:
            logger.warning("jwt signing key unreadable, using JWT_KEY for now", extra=detail)
            self._value = self.fallback
        else:
            logger.warning("jwt signing key refresh failed, keeping the current key", extra=detail)
        self._expires = self.clock() + self.retry_after

    def _read(self) -> str:
        value = self.client.get_secret_value(SecretId=self.secret_id).get("SecretString")
        if not value or len(value.encode()) < MIN_JWT_KEY_BYTES:
            raise SigningKeyUnavailableError(
                f"secret {self.secret_id!r} is empty or shorter than {MIN_JWT_KEY_BYTES} bytes"
            )
        return value
