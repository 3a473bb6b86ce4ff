"""Loader fixtures: a bucket and a table in the shared moto server, reached over HTTP."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from boto3.dynamodb.types import TypeDeserializer

from shipway.loader import KeyAttribute, KeySchema, LoaderConfig, LoadSummary, load_object

if TYPE_CHECKING:
    from collections.abc import Callable

    from shipway.emulators import MotoServer

DATA = Path(__file__).parent / "data"
USERNAME_KEY = KeySchema(KeyAttribute("username", "S"))
_deserializer = TypeDeserializer()


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@dataclass
class Clients:
    s3: Any
    dynamodb: Any
    sqs: Any


@dataclass
class LoaderWorld:
    """One bucket and one table; upload, load, then read back the table and the report."""

    clients: Clients
    bucket: str
    config: LoaderConfig

    def upload(self, key: str, body: bytes | str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.clients.s3.put_object(Bucket=self.bucket, Key=key, Body=data)

    def load(self, key: str, *, dynamodb_client: Any = None) -> LoadSummary:
        return load_object(bucket=self.bucket, key=key, config=self.config,
                           s3_client=self.clients.s3,
                           dynamodb_client=dynamodb_client or self.clients.dynamodb)

    def items(self) -> list[dict[str, Any]]:
        """The whole table as plain Python values, sorted by key."""
        paginator = self.clients.dynamodb.get_paginator("scan")
        items = [{name: _deserializer.deserialize(value) for name, value in item.items()}
                 for page in paginator.paginate(TableName=self.config.table_name)
                 for item in page["Items"]]
        names = [key.name for key in self.config.key_schema.attributes]
        return sorted(items, key=lambda item: tuple(item[name] for name in names))

    def report(self, key: str) -> dict[str, Any] | None:
        try:
            body = self.clients.s3.get_object(Bucket=self.bucket,
                                              Key=self.config.report_key(key))["Body"]
        except self.clients.s3.exceptions.NoSuchKey:
            return None
        return json.loads(body.read())  # type: ignore[no-any-return]

    def etag(self, key: str) -> str:
        return str(self.clients.s3.head_object(Bucket=self.bucket, Key=key)["ETag"]).strip('"')


@pytest.fixture(scope="session")
def clients(moto_server: MotoServer) -> Clients:
    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing",  # noqa: S106
        region_name="us-east-1")
    return Clients(*(session.client(name, endpoint_url=moto_server.endpoint_url)
                     for name in ("s3", "dynamodb", "sqs")))


def create_table(clients: Clients, schema: KeySchema) -> str:
    name = unique("loader-table")
    roles = zip(schema.attributes, ("HASH", "RANGE"), strict=False)
    clients.dynamodb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": key.name, "AttributeType": key.type}
                              for key in schema.attributes],
        KeySchema=[{"AttributeName": key.name, "KeyType": role} for key, role in roles])
    return name


@pytest.fixture
def make_world(clients: Clients) -> Callable[..., LoaderWorld]:
    """Build a bucket and a table with the given key schema (default: username, a string)."""
    def make(schema: KeySchema = USERNAME_KEY, **config: Any) -> LoaderWorld:
        bucket = unique("loader-bucket")
        clients.s3.create_bucket(Bucket=bucket)
        table = create_table(clients, schema)
        return LoaderWorld(clients, bucket, LoaderConfig(table, schema, **config))
    return make


@pytest.fixture
def world(make_world: Callable[..., LoaderWorld]) -> LoaderWorld:
    return make_world()


@pytest.fixture
def users_json() -> bytes:
    """Seed 000's usersdata.json: a DynamoDB JSON array of three users."""
    return (DATA / "usersdata.json").read_bytes()
