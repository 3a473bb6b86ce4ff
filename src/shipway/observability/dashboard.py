"""One CloudWatch dashboard per environment: per service the golden signals and its SLO,
the data capabilities, the queues, topics and jobs, and the state of every alarm."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import Construct

from shipway.observability.slo import BURN_WINDOWS, bad_share

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from shipway.manifest import ServiceSpec
    from shipway.observability.slo import Indicators
    from shipway.observability.topic import AlarmTopic

MINUTE, FIVE = cdk.Duration.minutes(1), cdk.Duration.minutes(5)
FULL, HALF, THIRD = 24, 12, 8


class DashboardService(Protocol):
    """What the dashboard reads of a service."""

    @property
    def name(self) -> str: ...

    @property
    def physical_name(self) -> str: ...

    @property
    def spec(self) -> ServiceSpec: ...

    @property
    def indicators(self) -> Indicators | None: ...


class EnvironmentDashboard(Construct):
    """`<app>-<env>` in the CloudWatch console."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        cluster_name: str,
        services: Iterable[DashboardService],
        data: Mapping[str, Iterable[Any]],
        topic: AlarmTopic,
    ) -> None:
        super().__init__(scope, construct_id)
        self.dashboard = cloudwatch.Dashboard(
            self, "Dashboard", dashboard_name=name, default_interval=cdk.Duration.hours(3)
        )
        self.dashboard.add_widgets(*_alarm_status(topic))
        for service in services:
            self.dashboard.add_widgets(
                cloudwatch.TextWidget(markdown=f"## service {service.name}", width=FULL, height=1)
            )
            self.dashboard.add_widgets(*_service_rows(service, cluster_name))
            if service.spec.slo is not None and service.indicators is not None:
                self.dashboard.add_widgets(*_slo_row(service, service.indicators))
        for table in data.get("tables", ()):
            self.dashboard.add_widgets(*_table_row(table))
        for cache in data.get("caches", ()):
            self.dashboard.add_widgets(*_cache_row(cache))
        for bucket in data.get("buckets", ()):
            if bucket.loader is not None:
                self.dashboard.add_widgets(*_loader_row(bucket.name, bucket.loader))
        for queue in data.get("queues", ()):
            self.dashboard.add_widgets(*_queue_row(queue))
        for topic in data.get("topics", ()):
            self.dashboard.add_widgets(*_topic_row(topic))
        for job in data.get("jobs", ()):
            self.dashboard.add_widgets(*_job_row(job))


def _alarm_status(topic: AlarmTopic) -> list[cloudwatch.IWidget]:
    pages = [alarm for alarm, severity in topic.alarms if severity == "page"]
    tickets = [alarm for alarm, severity in topic.alarms if severity == "ticket"]
    return [
        cloudwatch.AlarmStatusWidget(title="Alarms that page", alarms=pages, width=HALF, height=6),
        cloudwatch.AlarmStatusWidget(
            title="Alarms that open a ticket", alarms=tickets, width=HALF, height=6
        ),
    ]


def _ecs(
    metric_name: str, namespace: str, dimensions: dict[str, str], stat: str
) -> cloudwatch.Metric:
    return cloudwatch.Metric(
        namespace=namespace,
        metric_name=metric_name,
        dimensions_map=dimensions,
        statistic=stat,
        period=MINUTE,
    )


def _service_rows(service: DashboardService, cluster_name: str) -> list[cloudwatch.IWidget]:
    dimensions = {"ClusterName": cluster_name, "ServiceName": service.physical_name}
    widgets: list[cloudwatch.IWidget] = []
    if service.indicators is not None:
        metric = service.indicators.metric
        widgets += [
            cloudwatch.GraphWidget(
                title=f"{service.name}: requests and 5xx",
                left=[metric("requests", MINUTE)],
                right=[metric("errors", MINUTE)],
                width=THIRD,
            ),
            cloudwatch.GraphWidget(
                title=f"{service.name}: latency p50, p99 (s)",
                left=[metric("p50", MINUTE), metric("p99", MINUTE)],
                width=THIRD,
            ),
        ]
    widgets += [
        cloudwatch.GraphWidget(
            title=f"{service.name}: CPU and memory (%)",
            left=[
                _ecs("CPUUtilization", "AWS/ECS", dimensions, "Average"),
                _ecs("MemoryUtilization", "AWS/ECS", dimensions, "Average"),
            ],
            width=THIRD,
        ),
        cloudwatch.GraphWidget(
            title=f"{service.name}: running vs desired tasks",
            left=[
                _ecs("RunningTaskCount", "ECS/ContainerInsights", dimensions, "Average"),
                _ecs("DesiredTaskCount", "ECS/ContainerInsights", dimensions, "Average"),
            ],
            width=THIRD,
        ),
    ]
    return widgets


def _slo_row(service: DashboardService, indicators: Indicators) -> list[cloudwatch.IWidget]:
    slo = service.spec.slo
    assert slo is not None
    window = slo.window_days * 1440
    objectives = [
        (indicator, budget)
        for indicator, budget in (
            ("availability", slo.availability_budget),
            ("latency", slo.latency.budget if slo.latency else None),
        )
        if budget is not None
    ]
    widgets: list[cloudwatch.IWidget] = []
    for indicator, budget in objectives:
        share = bad_share(indicator, indicators, window)  # type: ignore[arg-type]
        widgets.append(
            cloudwatch.SingleValueWidget(
                title=f"{service.name}: {indicator} SLO over {slo.window_days} days",
                metrics=[
                    _math("100 * (1 - share)", share, f"{indicator} (%)", window),
                    _math(f"100 * (1 - share / {budget:g})", share, "budget left (%)", window),
                ],
                width=THIRD,
            )
        )
        hour = bad_share(indicator, indicators, 60)  # type: ignore[arg-type]
        widgets.append(
            cloudwatch.GraphWidget(
                title=f"{service.name}: {indicator} budget burn rate (1 h)",
                left=[_math(f"share / {budget:g}", hour, "burn rate", 60)],
                left_annotations=[
                    cloudwatch.HorizontalAnnotation(
                        value=burn.burn, label=f"{burn.label}: {burn.severity}"
                    )
                    for burn in BURN_WINDOWS
                ],
                width=THIRD,
            )
        )
    return widgets


def _math(
    expression: str, share: cloudwatch.MathExpression, label: str, minutes: int
) -> cloudwatch.MathExpression:
    return cloudwatch.MathExpression(
        expression=expression,
        using_metrics={"share": share},
        label=label,
        period=cdk.Duration.minutes(minutes),
    )


def _table_row(table: Any) -> list[cloudwatch.IWidget]:
    dynamo = table.table
    latency = [
        dynamo.metric_successful_request_latency(
            dimensions_map={"TableName": dynamo.table_name, "Operation": operation},
            statistic="p99",
            period=FIVE,
        )
        for operation in ("GetItem", "PutItem", "Query")
    ]
    return [
        cloudwatch.GraphWidget(
            title=f"table {table.name}: throttled reads and writes",
            left=[
                dynamo.metric("ReadThrottleEvents", statistic="Sum", period=FIVE),
                dynamo.metric("WriteThrottleEvents", statistic="Sum", period=FIVE),
            ],
            width=HALF,
        ),
        cloudwatch.GraphWidget(
            title=f"table {table.name}: p99 latency (ms)", left=latency, width=HALF
        ),
    ]


def _cache_row(cache: Any) -> list[cloudwatch.IWidget]:
    from shipway.cache.alarms import node_ids

    nodes = node_ids(cache.replication_group.ref, 1 + cache.spec.replicas)

    def per_node(metric_name: str, stat: str) -> list[cloudwatch.IMetric]:
        return [
            cloudwatch.Metric(
                namespace="AWS/ElastiCache",
                metric_name=metric_name,
                dimensions_map={"CacheClusterId": node},
                statistic=stat,
                period=FIVE,
                label=f"{metric_name} node {index}",
            )
            for index, node in enumerate(nodes, start=1)
        ]

    return [
        cloudwatch.GraphWidget(
            title=f"cache {cache.name}: engine CPU (%)",
            left=per_node("EngineCPUUtilization", "Average"),
            width=THIRD,
        ),
        cloudwatch.GraphWidget(
            title=f"cache {cache.name}: memory used (%)",
            left=per_node("DatabaseMemoryUsagePercentage", "Maximum"),
            width=THIRD,
        ),
        cloudwatch.GraphWidget(
            title=f"cache {cache.name}: evictions",
            left=per_node("Evictions", "Sum"),
            width=THIRD,
        ),
    ]


def _loader_row(name: str, loader: Any) -> list[cloudwatch.IWidget]:
    return [
        _dead_letter_depth(f"loader {name}", loader.dead_letters, HALF),
        _oldest_message_age(f"loader {name}", loader.queue, HALF),
    ]


def _queue_row(queue: Any) -> list[cloudwatch.IWidget]:
    """Is work piling up, how stale is it, and does any of it fail for good."""
    return [
        cloudwatch.GraphWidget(
            title=f"queue {queue.name}: messages waiting and in flight",
            left=[
                queue.queue.metric_approximate_number_of_messages_visible(
                    period=MINUTE, statistic="Maximum", label="waiting"
                ),
                queue.queue.metric_approximate_number_of_messages_not_visible(
                    period=MINUTE, statistic="Maximum", label="in flight"
                ),
            ],
            width=THIRD,
        ),
        _oldest_message_age(f"queue {queue.name}", queue.queue, THIRD),
        _dead_letter_depth(f"queue {queue.name}", queue.dead_letters, THIRD),
    ]


def _oldest_message_age(subject: str, queue: Any, width: int) -> cloudwatch.GraphWidget:
    return cloudwatch.GraphWidget(
        title=f"{subject}: oldest message age (s)",
        left=[queue.metric_approximate_age_of_oldest_message(period=MINUTE, statistic="Maximum")],
        width=width,
    )


def _dead_letter_depth(subject: str, dead_letters: Any, width: int) -> cloudwatch.GraphWidget:
    return cloudwatch.GraphWidget(
        title=f"{subject}: dead-letter queue depth",
        left=[
            dead_letters.metric_approximate_number_of_messages_visible(
                period=MINUTE, statistic="Maximum"
            )
        ],
        width=width,
    )


def _topic_row(topic: Any) -> list[cloudwatch.IWidget]:
    """What is published, and what SNS could not deliver."""
    sns_topic = topic.topic
    return [
        cloudwatch.GraphWidget(
            title=f"topic {topic.name}: messages published",
            left=[sns_topic.metric_number_of_messages_published(period=FIVE, statistic="Sum")],
            width=HALF,
        ),
        cloudwatch.GraphWidget(
            title=f"topic {topic.name}: deliveries failed",
            left=[sns_topic.metric_number_of_notifications_failed(period=FIVE, statistic="Sum")],
            width=HALF,
        ),
    ]


def _job_row(job: Any) -> list[cloudwatch.IWidget]:
    """Each run of a scheduled job: how it ended, and how long it took."""
    machine = job.state_machine
    return [
        cloudwatch.GraphWidget(
            title=f"job {job.name}: runs",
            left=[
                machine.metric_succeeded(period=FIVE, statistic="Sum", label="succeeded"),
                machine.metric_failed(period=FIVE, statistic="Sum", label="failed"),
                machine.metric_timed_out(period=FIVE, statistic="Sum", label="timed out"),
            ],
            width=HALF,
        ),
        cloudwatch.GraphWidget(
            title=f"job {job.name}: run time (ms)",
            left=[machine.metric_time(period=FIVE, statistic="Maximum")],
            width=HALF,
        ),
    ]
