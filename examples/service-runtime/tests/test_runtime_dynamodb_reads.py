"""DynamoReads: strongly consistent GetItem on the event loop, checksummed, failing as one error."""

from __future__ import annotations

import http.server
import threading
import uuid
import zlib
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from service_runtime.dynamodb_reads import DynamoReads, RegionNotSetError, StorageUnavailableError

from shipway.emulators import free_port

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from shipway.emulators import MotoServer

pytestmark = pytest.mark.anyio
ITEM = {"id": {"S": "a"}, "tags": {"SS": ["x", "y"]}, "price": {"N": "12.50"}}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def table(aws_env: MotoServer) -> Iterator[str]:
    """A table holding ITEM in the moto server."""
    client, name = boto3.client("dynamodb"), f"reads-{uuid.uuid4().hex[:12]}"
    client.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    )
    client.put_item(TableName=name, Item=ITEM)
    yield name
    client.delete_table(TableName=name)


@pytest.fixture
async def reads(aws_env: MotoServer) -> AsyncIterator[DynamoReads]:
    reads = DynamoReads.from_environment()
    yield reads
    await reads.close()


async def test_an_item_comes_back_as_dynamodb_sends_it(reads: DynamoReads, table: str) -> None:
    assert await reads.get_item(table, {"id": {"S": "a"}}) == ITEM


async def test_a_missing_item_is_none(reads: DynamoReads, table: str) -> None:
    assert await reads.get_item(table, {"id": {"S": "nobody"}}) is None


async def test_a_missing_table_is_storage_unavailable(reads: DynamoReads) -> None:
    with pytest.raises(StorageUnavailableError, match="no-such-table"):
        await reads.get_item("no-such-table", {"id": {"S": "a"}})


async def test_an_unreachable_endpoint_is_storage_unavailable_within_the_timeout() -> None:
    reads = DynamoReads(
        region="us-east-1", endpoint_url=f"http://127.0.0.1:{free_port()}", timeout=0.5
    )
    with pytest.raises(StorageUnavailableError):
        await reads.get_item("t", {"id": {"S": "a"}})
    await reads.close()


class DamagedAnswers(http.server.BaseHTTPRequestHandler):
    """Answers every GetItem with an item whose X-Amz-Crc32 belongs to other bytes."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        body = b'{"Item": {"id": {"S": "a"}}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Amz-Crc32", str(zlib.crc32(body) ^ 1))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: Any) -> None:
        """Quiet."""


async def test_an_answer_not_matching_its_crc32_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), DamagedAnswers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    reads = DynamoReads(
        region="us-east-1", endpoint_url=f"http://127.0.0.1:{server.server_port}", timeout=0.3
    )
    try:
        with pytest.raises(StorageUnavailableError, match="CRC32"):
            await reads.get_item("t", {"id": {"S": "a"}})
    finally:
        await reads.close()
        server.shutdown()
        server.server_close()


def test_the_environment_gives_region_and_the_dynamodb_endpoint_first() -> None:
    reads = DynamoReads.from_environment(
        {
            "AWS_DEFAULT_REGION": "eu-west-1",
            "AWS_ENDPOINT_URL": "http://all:1",
            "AWS_ENDPOINT_URL_DYNAMODB": "http://dynamodb:2",
        }
    )

    assert (reads.region, reads.endpoint_url) == ("eu-west-1", "http://dynamodb:2")


def test_without_a_region_it_says_to_set_one() -> None:
    with pytest.raises(RegionNotSetError, match="AWS_REGION"):
        DynamoReads.from_environment({})
