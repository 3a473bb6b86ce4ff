"""A manifest queue as SQS: a dead-letter queue, KMS, TLS only, alarms, least-privilege access."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from shipway.contract import queue_url_variable
from shipway.encryption.infrastructure import grant_key_through
from shipway.observability.alarms import GT, AlarmSpec, create_alarms

if TYPE_CHECKING:
    from aws_cdk import aws_kms as kms

    from shipway.context import ServiceRuntime, Shared
    from shipway.manifest import EnvironmentPlan
    from shipway.manifest.plan import QueuePlan

SEND_ACTIONS = ("sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage")
CONSUME_ACTIONS = (
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
    "sqs:ReceiveMessage",
)
# SQS encrypts with the environment key on the caller's behalf (only through SQS: ViaService).
KEY_SEND_ACTIONS = ("kms:Encrypt", "kms:GenerateDataKey")
KEY_CONSUME_ACTIONS = ("kms:Decrypt",)
DEAD_LETTER_RETENTION = cdk.Duration.days(14)
# SQS reuses a data key for this long: fewer KMS calls (and their cost) per message.
DATA_KEY_REUSE = cdk.Duration.minutes(5)


def build_queues(scope: Construct, plan: EnvironmentPlan, shared: Shared) -> dict[str, WorkQueue]:
    """Every queue of the environment's plan."""
    return {
        name: WorkQueue(scope, queue.construct_id, queue=queue, shared=shared)
        for name, queue in plan.queues.items()
    }


def encrypted_queue(
    scope: Construct,
    construct_id: str,
    *,
    key: kms.IKey,
    retention: cdk.Duration,
    visibility_timeout: cdk.Duration | None = None,
    dead_letter_queue: sqs.DeadLetterQueue | None = None,
    queue_name: str | None = None,
    fifo: bool | None = None,
    data_key_reuse: cdk.Duration | None = None,
    removal_policy: cdk.RemovalPolicy | None = None,
) -> sqs.Queue:
    """An SQS queue encrypted with the environment's key that refuses non-TLS access: every
    queue shipway makes (a manifest queue, its dead letters, a loader's)."""
    return sqs.Queue(
        scope,
        construct_id,
        queue_name=queue_name,
        fifo=fifo,
        encryption=sqs.QueueEncryption.KMS,
        encryption_master_key=key,
        data_key_reuse=data_key_reuse,
        enforce_ssl=True,
        retention_period=retention,
        visibility_timeout=visibility_timeout,
        dead_letter_queue=dead_letter_queue,
        removal_policy=removal_policy,
    )


class WorkQueue(Construct):
    """One manifest queue and its dead-letter queue; services reach it as `QUEUE_<NAME>_URL`."""

    def __init__(
        self, scope: Construct, construct_id: str, *, queue: QueuePlan, shared: Shared
    ) -> None:
        super().__init__(scope, construct_id)
        self.name, self.spec, self.shared = queue.name, queue.spec, shared
        self.physical_name = queue.physical_name
        self.dead_letters = self._queue(
            "DeadLetters", queue.dead_letter_name, retention=DEAD_LETTER_RETENTION
        )
        self.queue = self._queue(
            "Queue",
            queue.queue_name,
            retention=cdk.Duration.days(self.spec.retention_days),
            visibility_timeout=cdk.Duration.seconds(self.spec.visibility_timeout),
            dead_letter_queue=sqs.DeadLetterQueue(
                max_receive_count=self.spec.max_receives, queue=self.dead_letters
            ),
        )
        self.alarms = create_alarms(
            self,
            prefix=self.physical_name,
            specs=self._alarm_specs(),
            topic=shared.topic,
            capability="queue",
        )

    def _queue(
        self,
        construct_id: str,
        queue_name: str,
        *,
        retention: cdk.Duration,
        visibility_timeout: cdk.Duration | None = None,
        dead_letter_queue: sqs.DeadLetterQueue | None = None,
    ) -> sqs.Queue:
        return encrypted_queue(
            self,
            construct_id,
            key=self.shared.key,
            queue_name=queue_name,
            fifo=True if self.spec.fifo else None,
            data_key_reuse=DATA_KEY_REUSE,
            retention=retention,
            visibility_timeout=visibility_timeout,
            dead_letter_queue=dead_letter_queue,
            removal_policy=cdk.RemovalPolicy.RETAIN if self.shared.retain else None,
        )

    def _alarm_specs(self) -> list[AlarmSpec]:
        minute = cdk.Duration.minutes(1)
        alarms = self.spec.alarms
        dead_letters: cloudwatch.IMetric = (
            self.dead_letters.metric_approximate_number_of_messages_visible(
                period=minute, statistic="Maximum"
            )
        )
        oldest = self.queue.metric_approximate_age_of_oldest_message(
            period=minute, statistic="Maximum"
        )
        return [
            AlarmSpec(
                "dead-letters",
                dead_letters,
                alarms.dead_letters,
                GT,
                f"Messages of queue {self.name} failed {self.spec.max_receives} times and wait "
                "in its dead-letter queue.",
                "Read the consumer's logs around the alarm time; fix the consumer or the "
                "message, then redrive the dead-letter queue.",
            ),
            AlarmSpec(
                "oldest-message",
                oldest,
                alarms.oldest_message,
                GT,
                f"A message of queue {self.name} waits more than {alarms.oldest_message} s: "
                "its consumers are stopped, failing or too few.",
                "Check the consumer's running tasks, errors and scaling.",
                periods=5,
            ),
        ]

    def grant(self, principal: iam.IGrantable, access: str) -> None:
        """Send (`send`), or receive, delete and extend visibility (`consume`)."""
        consume = access == "consume"
        principal.grant_principal.add_to_principal_policy(
            iam.PolicyStatement(
                actions=list(CONSUME_ACTIONS if consume else SEND_ACTIONS),
                resources=[self.queue.queue_arn],
            )
        )
        key_actions = KEY_CONSUME_ACTIONS if consume else KEY_SEND_ACTIONS
        grant_key_through(principal, self.shared.key, "sqs", key_actions)

    def connect(self, service: ServiceRuntime, access: str) -> None:
        """`QUEUE_<NAME>_URL` and access to send to or consume from the queue."""
        service.add_environment(queue_url_variable(self.name), self.queue.queue_url)
        self.grant(service.task_role, access)

    def backlog(self) -> cloudwatch.Metric:
        """Messages waiting to be received: what a worker's scaling divides by its tasks."""
        return self.queue.metric_approximate_number_of_messages_visible(
            period=cdk.Duration.minutes(1), statistic="Average"
        )
