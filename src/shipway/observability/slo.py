"""SLO burn-rate alarms: the SRE workbook's multiwindow, multi-burn-rate alerts as CloudWatch
metric-math alarms joined by composite alarms (docs/operations.md says why not Application
Signals).

Each window alarm computes the share of bad requests over its window (one period as long as the
window, on CloudWatch's default sliding evaluation window) and compares it with the burn rate
times the error budget. A composite alarm pages when a long window and its short window both
burn: the long one says enough budget is gone, the short one that it is still burning, so the
page clears within the short window once the service recovers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import Construct

from shipway.observability.kinds import Severity

if TYPE_CHECKING:
    from shipway.manifest.slo import Slo
    from shipway.observability.topic import AlarmTopic

Indicator = Literal["availability", "latency"]


@dataclass(frozen=True)
class BurnWindow:
    """Alert when the budget burns `burn` times too fast over both windows (minutes)."""

    long: int
    short: int
    burn: float
    severity: Severity

    @property
    def label(self) -> str:
        return f"{self.burn:g}x"


# The SRE workbook's table (chapter 5, "Alerting on SLOs") for a 30-day objective:
# 2% of the budget in 1 hour, 5% in 6 hours page; 10% in 3 days opens a ticket.
BURN_WINDOWS = (
    BurnWindow(long=60, short=5, burn=14.4, severity="page"),
    BurnWindow(long=360, short=30, burn=6, severity="page"),
    BurnWindow(long=4320, short=360, burn=1, severity="ticket"),
)


@dataclass(frozen=True)
class Indicators:
    """What an SLI reads: a metric by name (`requests`, `errors`, `total`, `fast`; `p50`,
    `p99` for dashboards) and period."""

    metric: Callable[[str, cdk.Duration], cloudwatch.IMetric]
    threshold_seconds: float = 0.0


def window_label(minutes: int) -> str:
    """5m, 30m, 1h, 6h, 3d."""
    if minutes % 1440 == 0:
        return f"{minutes // 1440}d"
    if minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"


def bad_share(
    indicator: Indicator, indicators: Indicators, minutes: int
) -> cloudwatch.MathExpression:
    """The share of bad requests over a window of minutes, as one metric-math datapoint."""
    period = cdk.Duration.minutes(minutes)
    if indicator == "availability":
        # The load balancer publishes 5xx counts only when there are some: no datapoint is 0.
        return cloudwatch.MathExpression(
            expression="FILL(errors, 0) / requests",
            using_metrics={
                "errors": indicators.metric("errors", period),
                "requests": indicators.metric("requests", period),
            },
            period=period,
            label=f"share of 5xx over {window_label(minutes)}",
        )
    return cloudwatch.MathExpression(
        expression="(total - FILL(fast, 0)) / total",
        using_metrics={
            "total": indicators.metric("total", period),
            "fast": indicators.metric("fast", period),
        },
        period=period,
        label=f"share of requests over {indicators.threshold_seconds:g} s, "
        f"over {window_label(minutes)}",
    )


class SloAlarms(Construct):
    """The burn-rate alarms of one service's SLO: a page and a ticket composite per indicator."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        slo: Slo,
        indicators: Indicators,
        topic: AlarmTopic,
    ) -> None:
        super().__init__(scope, construct_id)
        self.prefix, self.indicators, self.topic = prefix, indicators, topic
        self.composites: dict[str, cloudwatch.CompositeAlarm] = {}
        budgets: dict[Indicator, float | None] = {
            "availability": slo.availability_budget,
            "latency": slo.latency.budget if slo.latency else None,
        }
        for indicator, budget in budgets.items():
            if budget is not None:
                self._indicator(indicator, budget)

    def _indicator(self, indicator: Indicator, budget: float) -> None:
        for severity in ("page", "ticket"):
            rules = [
                cloudwatch.AlarmRule.all_of(
                    *(
                        cloudwatch.AlarmRule.from_alarm(
                            self._window_alarm(indicator, budget, window, minutes),
                            cloudwatch.AlarmState.ALARM,
                        )
                        for minutes in (window.long, window.short)
                    )
                )
                for window in BURN_WINDOWS
                if window.severity == severity
            ]
            self._composite(indicator, severity, rules)

    def _window_alarm(
        self, indicator: Indicator, budget: float, window: BurnWindow, minutes: int
    ) -> cloudwatch.Alarm:
        name = f"slo-{indicator}-{window.label}-{window_label(minutes)}"
        threshold = round(window.burn * budget, 10)
        return cloudwatch.Alarm(
            self,
            name.replace(".", "_"),
            alarm_name=f"{self.prefix}-{name}",
            metric=bad_share(indicator, self.indicators, minutes),
            threshold=threshold,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluation_periods=1,
            datapoints_to_alarm=1,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=(
                f"Part of {self.prefix}-slo-{indicator}-{window.severity}: the {indicator} "
                f"error budget burns {window.label} too fast over {window_label(minutes)} "
                f"(bad share >= {threshold:g}). No action of its own. Runbook: "
                f"{self.topic.runbook(f'slo-{indicator}-{window.severity}')}"
            ),
        )

    def _composite(
        self, indicator: Indicator, severity: Severity, rules: list[cloudwatch.IAlarmRule]
    ) -> None:
        kind = f"slo-{indicator}-{severity}"
        windows = " or ".join(
            f"{window.label} over {window_label(window.long)} and {window_label(window.short)}"
            for window in BURN_WINDOWS
            if window.severity == severity
        )
        composite = cloudwatch.CompositeAlarm(
            self,
            f"{indicator.capitalize()}{severity.capitalize()}",
            composite_alarm_name=f"{self.prefix}-{kind}",
            alarm_rule=cloudwatch.AlarmRule.any_of(*rules),
            alarm_description=self.topic.describe(
                kind,
                f"The {indicator} SLO's error budget burns {windows}.",
                "Check what changed (a deploy?) and the service's errors and latency.",
            ),
        )
        self.topic.notify(composite, severity, kind=kind)
        self.composites[kind] = composite


def target_group_indicators(
    *, load_balancer: str, target_group: str, under_seconds: float
) -> Indicators:
    """The SLIs of a web service as its load balancer sees them (one target group).

    Requests and 5xx the service answered (RequestCount, HTTPCode_Target_5XX_Count); requests
    under the latency threshold with the trimmed count TC(:threshold) of TargetResponseTime,
    out of its SampleCount. 5xx the load balancer answers itself (no healthy target) cannot be
    told apart per service; the environment's elb-5xx alarm pages on them.
    """
    dimensions = {"LoadBalancer": load_balancer, "TargetGroup": target_group}
    sources = {
        "requests": ("RequestCount", "Sum"),
        "errors": ("HTTPCode_Target_5XX_Count", "Sum"),
        "total": ("TargetResponseTime", "SampleCount"),
        "fast": ("TargetResponseTime", f"TC(:{under_seconds:g})"),
        "p50": ("TargetResponseTime", "p50"),
        "p99": ("TargetResponseTime", "p99"),
    }

    def metric(name: str, period: cdk.Duration) -> cloudwatch.IMetric:
        metric_name, statistic = sources[name]
        return cloudwatch.Metric(
            namespace="AWS/ApplicationELB",
            metric_name=metric_name,
            dimensions_map=dimensions,
            statistic=statistic,
            period=period,
        )

    return Indicators(metric=metric, threshold_seconds=under_seconds)


def web_service_slo(
    scope: Construct,
    *,
    prefix: str,
    slo: Slo | None,
    load_balancer: str,
    target_group: str,
    topic: AlarmTopic,
) -> Indicators:
    """A web service's indicators (its load balancer and target group: the dashboard reads
    them) and, when it declares an SLO, that SLO's burn-rate alarms (`<construct>/Slo`)."""
    indicators = target_group_indicators(
        load_balancer=load_balancer,
        target_group=target_group,
        under_seconds=slo.latency.under_seconds if slo and slo.latency else 0,
    )
    if slo is not None:
        SloAlarms(scope, "Slo", prefix=prefix, slo=slo, indicators=indicators, topic=topic)
    return indicators
