"""Loader fixtures: a bucket and a table in the shared moto server, reached over HTTP."""

from __future__ import annotations

import gzip
import io
import json
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from boto3.dynamodb.types import TypeDeserializer

from shipway.loader import KeyAttribute, KeySchema, LoaderConfig, LoadSummary, load_object

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

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

    def exported_items(self) -> list[dict[str, Any]]:
        """The whole table, read through a table export: moto scans 100k items too slowly."""
        dynamodb, s3 = self.clients.dynamodb, self.clients.s3
        table = self.config.table_name
        dynamodb.update_continuous_backups(
            TableName=table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
        export = dynamodb.export_table_to_point_in_time(
            TableArn=dynamodb.describe_table(TableName=table)["Table"]["TableArn"],
            S3Bucket=self.bucket, S3Prefix="export", ExportFormat="DYNAMODB_JSON",
        )["ExportDescription"]
        # The export is asynchronous in DynamoDB too; its documented waiter polls its status.
        dynamodb.get_waiter("export_completed").wait(
            ExportArn=export["ExportArn"], WaiterConfig={"Delay": 1, "MaxAttempts": 60})
        listing = s3.list_objects_v2(Bucket=self.bucket, Prefix="export/")["Contents"]
        items = [{name: _deserializer.deserialize(value)
                  for name, value in json.loads(line)["Item"].items()}
                 for entry in listing if entry["Key"].endswith(".gz")
                 for line in gzip.decompress(
                     s3.get_object(Bucket=self.bucket, Key=entry["Key"])["Body"].read()
                 ).decode("utf-8").splitlines()]
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


class LambdaContextStub:
    """The attributes of a Lambda context object that Powertools reads."""

    function_name = "shipway-loader"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:shipway-loader"
    memory_limit_in_mb = 256
    aws_request_id = "c6af9ac6-7b61-11e6-9a41-93e812345678"
    log_group_name = "/aws/lambda/shipway-loader"
    log_stream_name = "2024/01/01/[$LATEST]abc"

    def get_remaining_time_in_millis(self) -> int:
        return 300_000


@pytest.fixture
def lambda_context() -> LambdaContextStub:
    return LambdaContextStub()


@dataclass
class Pipeline:
    """Bucket -> SQS queue (dead-letter queue after 3 receives) -> the handler -> table."""

    world: LoaderWorld
    queue_url: str
    queue_arn: str
    dlq_url: str

    def receive(self, queue_url: str | None = None, *, count: int = 1) -> list[dict[str, Any]]:
        """Long-poll until ``count`` messages arrived (or the poll ends empty)."""
        messages: list[dict[str, Any]] = []
        while len(messages) < count:
            batch = self.world.clients.sqs.receive_message(
                QueueUrl=queue_url or self.queue_url, MaxNumberOfMessages=10,
                WaitTimeSeconds=1, AttributeNames=["All"]).get("Messages", [])
            if not batch:
                break
            messages += batch
        return messages

    def event(self, messages: list[dict[str, Any]]) -> dict[str, Any]:
        """The event Lambda's SQS event source mapping hands the function."""
        return {"Records": [{
            "messageId": message["MessageId"], "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"], "attributes": message.get("Attributes", {}),
            "messageAttributes": {}, "md5OfBody": message["MD5OfBody"],
            "eventSource": "aws:sqs", "eventSourceARN": self.queue_arn,
            "awsRegion": "us-east-1"} for message in messages]}

    def invoke(self, messages: list[dict[str, Any]]) -> list[str]:
        """Run the handler on the messages, then settle them as Lambda does; return failures."""
        from shipway.loader import handler

        response = handler(self.event(messages), LambdaContextStub())  # type: ignore[arg-type]
        failed = [failure["itemIdentifier"] for failure in response["batchItemFailures"]]
        sqs = self.world.clients.sqs
        for message in messages:
            if message["MessageId"] in failed:
                # Lambda leaves a failed message alone until its visibility timeout ends;
                # ending it now stands in for that wait.
                sqs.change_message_visibility(QueueUrl=self.queue_url, VisibilityTimeout=0,
                                              ReceiptHandle=message["ReceiptHandle"])
            else:
                sqs.delete_message(QueueUrl=self.queue_url,
                                   ReceiptHandle=message["ReceiptHandle"])
        return failed


@pytest.fixture
def pipeline(make_world: Callable[..., LoaderWorld], aws_env: MotoServer,
             monkeypatch: pytest.MonkeyPatch) -> Pipeline:
    world = make_world()
    sqs = world.clients.sqs
    dlq_url = sqs.create_queue(QueueName=unique("loader-dlq"))["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    queue_url = sqs.create_queue(QueueName=unique("loader-queue"), Attributes={
        "VisibilityTimeout": "60",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "3"}),
    })["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    world.clients.s3.put_bucket_notification_configuration(
        Bucket=world.bucket, NotificationConfiguration={"QueueConfigurations": [
            {"QueueArn": queue_arn, "Events": ["s3:ObjectCreated:*"]}]})
    monkeypatch.setenv("TABLE_NAME", world.config.table_name)
    monkeypatch.setenv("KEY_SCHEMA", world.config.key_schema.to_json())
    return Pipeline(world, queue_url, queue_arn, dlq_url)


@pytest.fixture
def loader_logs() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """The loader's structured log lines, parsed."""
    from shipway.loader import runtime

    stream = io.StringIO()
    capture = logging.StreamHandler(stream)
    capture.setFormatter(runtime.logger.registered_formatter)
    runtime.logger.addHandler(capture)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    runtime.logger.removeHandler(capture)
