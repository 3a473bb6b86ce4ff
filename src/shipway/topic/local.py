"""A topic's local side for `shipway dev`: a moto SNS topic fanning out to moto SQS queues."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mypy_boto3_sns import SNSClient

    from shipway.manifest.plan import TopicPlan
    from shipway.queue.local import LocalQueue


def create_topic(sns: SNSClient, topic: TopicPlan, queues: Mapping[str, LocalQueue]) -> str:
    """The topic and its subscriptions (raw delivery, filter policies); its ARN."""
    fifo = topic.spec.fifo
    arn = sns.create_topic(
        Name=f"{topic.physical_name}.fifo" if fifo else topic.physical_name,
        Attributes={"FifoTopic": "true"} if fifo else {},
    )["TopicArn"]
    for subscription in topic.spec.subscriptions:
        attributes = {"RawMessageDelivery": "true"}
        if subscription.filter:
            attributes["FilterPolicy"] = json.dumps(subscription.filter)
        sns.subscribe(
            TopicArn=arn,
            Protocol="sqs",
            Endpoint=queues[subscription.queue].arn,
            Attributes=attributes,
        )
    return arn
