"""Messaging: SQS queues (with a dead-letter queue) and SNS topics that fan out to queues."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from shipway.manifest.base import ManifestModel, Name, override_model

OVERRIDES = "environment name: the values that differ there (merged over these)"
FilterValue = str | int | float | bool
AttributeName = Annotated[str, StringConstraints(min_length=1, max_length=256)]


class QueueAlarms(ManifestModel):
    """When a queue's alarms fire."""

    dead_letters: int = Field(
        0, ge=0, description="alarm when the dead-letter queue holds more messages than this"
    )
    oldest_message: int = Field(
        900, ge=60, le=1_209_600, description="alarm when the oldest message is older (seconds)"
    )


class QueueSpec(ManifestModel):
    """An SQS queue and its dead-letter queue, as it is in one environment."""

    fifo: bool = Field(
        False, description="first-in-first-out, exactly-once; the same in every environment"
    )
    max_receives: int = Field(
        5, ge=1, le=1000, description="receives before a message moves to the dead-letter queue"
    )
    visibility_timeout: int = Field(
        30,
        ge=0,
        le=43_200,
        description="seconds a received message is hidden from other consumers; longer than "
        "processing one takes",
    )
    retention_days: int = Field(
        4, ge=1, le=14, description="days an unprocessed message is kept (the DLQ keeps 14)"
    )
    alarms: QueueAlarms = Field(
        default_factory=QueueAlarms, description="thresholds of the queue's alarms"
    )


QueueOverride = override_model(QueueSpec, "QueueOverride")


class Queue(QueueSpec):
    """A queue with per-environment values."""

    environments: dict[str, QueueOverride] = Field(  # type: ignore[valid-type]  # built by override_model
        default_factory=dict, description=OVERRIDES
    )


class Subscription(ManifestModel):
    """A queue that receives what is published to the topic."""

    queue: Name = Field(description="a queue from 'queues'")
    filter: dict[AttributeName, list[FilterValue]] | None = Field(
        None,
        description="only messages whose attributes match, e.g. {type: [paid]} (an SNS filter "
        "policy on message attributes: each attribute one of the listed values)",
    )


class TopicSpec(ManifestModel):
    """An SNS topic and its subscriptions, as it is in one environment."""

    fifo: bool = Field(
        False, description="a FIFO topic (its queues must be FIFO); the same in every environment"
    )
    subscriptions: list[Subscription] = Field(
        default_factory=list,
        description="queues that receive each message (raw delivery: the body as published)",
    )


TopicOverride = override_model(TopicSpec, "TopicOverride")


class Topic(TopicSpec):
    """A topic with per-environment values."""

    environments: dict[str, TopicOverride] = Field(  # type: ignore[valid-type]  # built by override_model
        default_factory=dict, description=OVERRIDES
    )
