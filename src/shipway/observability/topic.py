"""The environment's alarm topics, one per severity: encrypted, TLS-only, with email if asked.

Alarms that page go to the `page` topic (someone is woken up: users are hurt now or soon);
alarms that open a ticket go to the `ticket` topic (worth a look in working hours).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from shipway.observability.kinds import Severity, severity_of

if TYPE_CHECKING:
    from shipway.manifest import Environment


class AlarmTopic(Construct):
    """Where the alarms of an environment notify: its page and ticket topics."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        environment: Environment,
        key: kms.IKey,
        runbook_url: str = "docs/runbooks/",
    ) -> None:
        super().__init__(scope, construct_id)
        self.runbook_url = runbook_url
        # The page topic keeps the id the single topic had, so existing stacks keep it.
        self.topic = self._topic("Topic", "shipway alarms (page)", environment.alarm_topic_arn, key)
        self.ticket_topic = self._topic(
            "TicketTopic", "shipway alarms (ticket)", environment.ticket_topic_arn, key
        )
        if environment.alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(environment.alarm_email))
        if ticket_email := environment.ticket_email or environment.alarm_email:
            self.ticket_topic.add_subscription(subscriptions.EmailSubscription(ticket_email))
        self._actions = {
            "page": actions.SnsAction(self.topic),
            "ticket": actions.SnsAction(self.ticket_topic),
        }
        self.alarms: list[tuple[cloudwatch.AlarmBase, Severity]] = []
        """Every alarm that notifies, with its severity (the dashboard shows them all)."""

    def _topic(self, construct_id: str, label: str, arn: str | None, key: kms.IKey) -> sns.ITopic:
        if arn:
            return sns.Topic.from_topic_arn(self, f"Existing{construct_id}", arn)
        return sns.Topic(self, construct_id, master_key=key, enforce_ssl=True, display_name=label)

    def runbook(self, kind: str) -> str:
        """The link to the runbook page of one alarm kind."""
        return f"{self.runbook_url}{kind}.md"

    def describe(self, kind: str, why: str, first_step: str) -> str:
        """An alarm description: why it exists, what to do first, where the runbook is."""
        return f"Why: {why} First: {first_step} Runbook: {self.runbook(kind)}"

    def notify(
        self, alarm: cloudwatch.AlarmBase, severity: Severity | None = None, *, kind: str = ""
    ) -> cloudwatch.AlarmBase:
        """Send alarm and its recovery to the topic of its severity (default: its kind's)."""
        chosen: Severity = severity or severity_of(kind)
        action = self._actions[chosen]
        alarm.add_alarm_action(action)
        alarm.add_ok_action(action)
        self.alarms.append((alarm, chosen))
        return alarm
