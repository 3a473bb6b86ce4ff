"""A manifest topic as SNS: encrypted, TLS only, fanning out to its queues with filters."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from shipway.contract import topic_arn_variable
from shipway.encryption.infrastructure import grant_key_through

if TYPE_CHECKING:
    from collections.abc import Mapping

    from shipway.context import ServiceRuntime, Shared
    from shipway.manifest import EnvironmentPlan
    from shipway.manifest.messaging import Subscription
    from shipway.manifest.plan import TopicPlan
    from shipway.queue.infrastructure import WorkQueue

# SNS encrypts a published message with the environment key on the publisher's behalf.
KEY_PUBLISH_ACTIONS = ("kms:Decrypt", "kms:GenerateDataKey")


def build_topics(
    scope: Construct, plan: EnvironmentPlan, shared: Shared, queues: Mapping[str, WorkQueue]
) -> dict[str, MessageTopic]:
    """Every topic of the environment's plan, subscribed by its queues."""
    _let_sns_encrypt_for_queues(shared)
    return {
        name: MessageTopic(scope, topic.construct_id, topic=topic, shared=shared, queues=queues)
        for name, topic in plan.topics.items()
    }


class MessageTopic(Construct):
    """One manifest topic; services publish to it as `TOPIC_<NAME>_ARN`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        topic: TopicPlan,
        shared: Shared,
        queues: Mapping[str, WorkQueue],
    ) -> None:
        super().__init__(scope, construct_id)
        self.name, self.spec, self.shared = topic.name, topic.spec, shared
        fifo = topic.spec.fifo
        self.topic = sns.Topic(
            self,
            "Topic",
            topic_name=f"{topic.physical_name}.fifo" if fifo else topic.physical_name,
            fifo=True if fifo else None,
            master_key=shared.key,
            enforce_ssl=True,
            display_name=f"{shared.label}: {topic.name}",
        )
        for subscription in topic.spec.subscriptions:
            self._subscribe(queues[subscription.queue], subscription)

    def _subscribe(self, queue: WorkQueue, subscription: Subscription) -> None:
        # Raw delivery: the consumer reads the body as it was published, not SNS's envelope.
        # The queue policy the subscription adds names this topic only (aws:SourceArn).
        self.topic.add_subscription(
            subscriptions.SqsSubscription(
                queue.queue,
                raw_message_delivery=True,
                filter_policy=_filter_policy(subscription.filter),
            )
        )

    def grant(self, principal: iam.IGrantable) -> None:
        """Publish to the topic (and the key use SNS makes for it)."""
        principal.grant_principal.add_to_principal_policy(
            iam.PolicyStatement(actions=["sns:Publish"], resources=[self.topic.topic_arn])
        )
        grant_key_through(principal, self.shared.key, "sns", KEY_PUBLISH_ACTIONS)

    def connect(self, service: ServiceRuntime) -> None:
        """`TOPIC_<NAME>_ARN` and permission to publish."""
        service.add_environment(topic_arn_variable(self.name), self.topic.topic_arn)
        self.grant(service.task_role)


def _let_sns_encrypt_for_queues(shared: Shared) -> None:
    # SNS delivers to the KMS-encrypted queues with the environment key, for this account's
    # topics only.
    stack = cdk.Stack.of(shared.key)
    shared.key.add_to_resource_policy(
        iam.PolicyStatement(
            sid="SnsDeliveryToQueues",
            principals=[iam.ServicePrincipal("sns.amazonaws.com")],
            actions=list(KEY_PUBLISH_ACTIONS),
            resources=["*"],
            conditions={"StringEquals": {"aws:SourceAccount": stack.account}},
        )
    )


def _filter_policy(
    written: Mapping[str, list[str | int | float | bool]] | None,
) -> dict[str, sns.SubscriptionFilter] | None:
    if not written:
        return None
    return {
        attribute: sns.SubscriptionFilter(conditions=list(values))
        for attribute, values in written.items()
    }
