"""The environment's alarm topic: encrypted, TLS-only, with an email subscription if asked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

if TYPE_CHECKING:
    from shipway.manifest import Environment


class AlarmTopic(Construct):
    """Where every alarm of an environment notifies."""

    def __init__(
        self, scope: Construct, construct_id: str, *, environment: Environment, key: kms.IKey
    ) -> None:
        super().__init__(scope, construct_id)
        if environment.alarm_topic_arn:
            self.topic: sns.ITopic = sns.Topic.from_topic_arn(
                self, "Existing", environment.alarm_topic_arn
            )
        else:
            self.topic = sns.Topic(
                self, "Topic", master_key=key, enforce_ssl=True, display_name="shipway alarms"
            )
        if environment.alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(environment.alarm_email))
        self._action = actions.SnsAction(self.topic)

    def notify(self, alarm: cloudwatch.Alarm) -> cloudwatch.Alarm:
        """Send alarm and its recovery to the topic."""
        alarm.add_alarm_action(self._action)
        alarm.add_ok_action(self._action)
        return alarm
