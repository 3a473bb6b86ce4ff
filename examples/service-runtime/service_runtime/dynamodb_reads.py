"""Strongly consistent GetItems on the event loop, at a third of boto3's CPU per call.

boto3 blocks, so a service calls it through a thread, and each GetItem costs about 0.9 ms of the
service's CPU; aiodynamo over aiohttp makes the same signed request on the event loop for about
0.3 ms (benchmarks/dynamodb_clients.py). The hot reads use this; writes, rarer and conditional,
stay on boto3. Answers are checked against DynamoDB's X-Amz-Crc32 header as botocore checks
them. Imported only by services that read DynamoDB (aiodynamo and aiohttp are theirs).
"""

from __future__ import annotations

import contextlib
import os
import random
import zlib
from dataclasses import dataclass
from itertools import count
from typing import TYPE_CHECKING, Any

import aiohttp
from aiodynamo.client import Client
from aiodynamo.credentials import Credentials
from aiodynamo.errors import AIODynamoError
from aiodynamo.http.types import Request, RequestFailed, Response
from aiodynamo.models import RetryConfig, RetryTimeout
from yarl import URL

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable, Mapping


class StorageUnavailableError(Exception):
    """DynamoDB could not be read: unreachable, too slow, throttled or refusing the request."""


class RegionNotSetError(RuntimeError):
    """Neither AWS_REGION nor AWS_DEFAULT_REGION is set (ECS and shipway dev set both)."""


class ChecksumMismatchError(Exception):
    """An answer's body does not match its X-Amz-Crc32 header (damaged on the way)."""


# What aiodynamo raises once its retries are spent: the last attempt's error (a timed-out or
# failed request, a refused checksum, DynamoDB's own), or RetryTimeout when there was none.
_FAILURES = (
    AIODynamoError,
    RetryTimeout,
    aiohttp.ClientError,
    ChecksumMismatchError,
    TimeoutError,
)


@dataclass(frozen=True)
class JitteredRetry(RetryConfig):
    """Retries until time_limit_secs, each after 0 to 25 ms, doubling up to 400 ms (the SDKs')."""

    def delays(self) -> Iterable[float]:
        for attempt in count():
            yield random.uniform(0, min(0.025 * 2**attempt, 0.4))  # noqa: S311 - jitter, not secrets


@dataclass(frozen=True)
class ChecksummedHttp:
    """aiodynamo's HTTP over an aiohttp session, refusing answers whose CRC32 does not match."""

    session: aiohttp.ClientSession

    async def __call__(self, request: Request) -> Response:
        try:
            async with self.session.request(
                request.method, request.url, headers=request.headers, data=request.body
            ) as response:
                body = await response.read()
                expected = response.headers.get("x-amz-crc32")
        except aiohttp.ClientError as error:
            raise RequestFailed(error) from error
        if expected is not None and zlib.crc32(body) != int(expected):
            raise RequestFailed(ChecksumMismatchError(f"CRC32 {zlib.crc32(body)} != {expected}"))
        return Response(response.status, body)


class DynamoReads:
    """GetItem with ConsistentRead=True; one aiohttp session, opened at the first read."""

    def __init__(
        self,
        *,
        region: str,
        endpoint_url: str | None = None,
        credentials: Credentials | None = None,
        timeout: float = 5.0,
        connect_timeout: float = 2.0,
        max_connections: int = 64,
    ) -> None:
        self.region, self.endpoint_url = region, endpoint_url
        self._credentials = credentials
        self._timeout = aiohttp.ClientTimeout(total=timeout, connect=connect_timeout)
        self._retry = JitteredRetry(time_limit_secs=timeout)
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None
        self._client: Client | None = None

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] = os.environ, **options: Any
    ) -> DynamoReads:
        """Region and endpoint from the environment, as boto3 reads them."""
        region = environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION")
        if not region:
            raise RegionNotSetError("set AWS_REGION to the region of the service's tables")
        endpoint = environ.get("AWS_ENDPOINT_URL_DYNAMODB") or environ.get("AWS_ENDPOINT_URL")
        return cls(region=region, endpoint_url=endpoint, **options)

    async def get_item(self, table: str, key: Mapping[str, Any]) -> dict[str, Any] | None:
        """The item's attribute values (as DynamoDB sends them), or None when there is none."""
        payload = {"TableName": table, "Key": dict(key), "ConsistentRead": True}
        try:
            answer = await self._dynamodb().send_request(action="GetItem", payload=payload)
        except _FAILURES as error:
            raise StorageUnavailableError(f"GetItem on {table} failed: {error!r}") from error
        item: dict[str, Any] | None = answer.get("Item")
        return item

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: object) -> AsyncIterator[None]:
        """An app's lifespan that closes the connections when the app stops."""
        try:
            yield
        finally:
            await self.close()

    async def close(self) -> None:
        """Close the connections (a later read opens new ones)."""
        if self._session is not None:
            await self._session.close()
        self._session = self._client = None

    def _dynamodb(self) -> Client:
        if self._client is None:  # here, not in __init__: aiohttp needs the running loop
            self._session = aiohttp.ClientSession(
                timeout=self._timeout,
                connector=aiohttp.TCPConnector(limit=self._max_connections),
            )
            self._client = Client(
                ChecksummedHttp(self._session),
                self._credentials or Credentials.auto(),
                self.region,
                endpoint=URL(self.endpoint_url) if self.endpoint_url else None,
                throttle_config=self._retry,
            )
        return self._client
