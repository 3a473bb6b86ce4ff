"""A queue's local side for `shipway dev`: the queue and its dead-letter queue in moto."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient
    from mypy_boto3_sqs.literals import QueueAttributeNameType

    from shipway.manifest.plan import QueuePlan

DAY_SECONDS = 86_400
DEAD_LETTER_RETENTION_SECONDS = 14 * DAY_SECONDS


@dataclass(frozen=True)
class LocalQueue:
    """A queue's URL and ARN, and its dead-letter queue's URL."""

    url: str
    arn: str
    dead_letter_url: str


def create_queue(sqs: SQSClient, queue: QueuePlan) -> LocalQueue:
    """The queue as the cloud has it: names, FIFO, redrive, visibility and retention."""
    spec = queue.spec
    fifo: dict[QueueAttributeNameType, str] = {"FifoQueue": "true"} if spec.fifo else {}
    dead_letter_url = sqs.create_queue(
        QueueName=queue.dead_letter_name,
        Attributes={**fifo, "MessageRetentionPeriod": str(DEAD_LETTER_RETENTION_SECONDS)},
    )["QueueUrl"]
    redrive = {
        "deadLetterTargetArn": queue_arn(sqs, dead_letter_url),
        "maxReceiveCount": str(spec.max_receives),
    }
    url = sqs.create_queue(
        QueueName=queue.queue_name,
        Attributes={
            **fifo,
            "RedrivePolicy": json.dumps(redrive),
            "VisibilityTimeout": str(spec.visibility_timeout),
            "MessageRetentionPeriod": str(spec.retention_days * DAY_SECONDS),
        },
    )["QueueUrl"]
    return LocalQueue(url=url, arn=queue_arn(sqs, url), dead_letter_url=dead_letter_url)


def queue_arn(sqs: SQSClient, url: str) -> str:
    """The ARN of the queue at url."""
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return attributes["Attributes"]["QueueArn"]
