"""A bucket's local side for `shipway dev`: the bucket, and its loader's queue and DLQ."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sqs import SQSClient

    from shipway.manifest import BucketSpec

# The cloud retries a failed load three times before the dead-letter queue; locally too.
MAX_RECEIVE_COUNT = 3
# Short, so a failed load is retried while the developer is still looking.
VISIBILITY_TIMEOUT_SECONDS = 5


@dataclass(frozen=True)
class LoaderQueue:
    """The queue S3 notifies about new objects, and its dead-letter queue."""

    url: str
    arn: str
    dead_letter_url: str


def create_bucket(client: S3Client, name: str, bucket: BucketSpec) -> None:
    """Create the bucket, versioned if the manifest says so."""
    client.create_bucket(Bucket=name)
    if bucket.versioned:
        client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})


def create_loader_queue(sqs: SQSClient, name: str) -> LoaderQueue:
    """A queue with a redrive policy to its dead-letter queue `<name>-dlq`."""
    dead_letter_url = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    dead_letter_arn = _arn(sqs, dead_letter_url)
    redrive = {"deadLetterTargetArn": dead_letter_arn, "maxReceiveCount": str(MAX_RECEIVE_COUNT)}
    url = sqs.create_queue(
        QueueName=name,
        Attributes={
            "RedrivePolicy": json.dumps(redrive),
            "VisibilityTimeout": str(VISIBILITY_TIMEOUT_SECONDS),
        },
    )["QueueUrl"]
    return LoaderQueue(url=url, arn=_arn(sqs, url), dead_letter_url=dead_letter_url)


def notify_loader(client: S3Client, bucket_name: str, queue: LoaderQueue) -> None:
    """Send every created object's notification to the loader's queue."""
    client.put_bucket_notification_configuration(
        Bucket=bucket_name,
        NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": queue.arn, "Events": ["s3:ObjectCreated:*"]}]
        },
    )


def _arn(sqs: SQSClient, url: str) -> str:
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return attributes["Attributes"]["QueueArn"]
