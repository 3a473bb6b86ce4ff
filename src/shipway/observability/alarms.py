"""The default alarm set of a service (seed 002's nine alarms are the floor)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_elasticloadbalancingv2 as elbv2

from shipway.manifest.names import pascal

if TYPE_CHECKING:
    from constructs import Construct

    from shipway.manifest.service import AlarmThresholds
    from shipway.observability.topic import AlarmTopic

FIVE_MINUTES = cdk.Duration.minutes(5)


@dataclass(frozen=True)
class AlarmSpec:
    """One alarm: what it watches, when it fires, why it exists and what to do first."""

    name: str
    metric: cloudwatch.IMetric
    threshold: float
    comparison: cloudwatch.ComparisonOperator
    why: str
    first_step: str
    periods: int = 1


GT = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD
GTE = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
LT = cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD


def create_alarms(
    scope: Construct,
    *,
    prefix: str,
    specs: list[AlarmSpec],
    topic: AlarmTopic,
    capability: str | None = None,
) -> list[cloudwatch.Alarm]:
    """Alarms with literal names (so deployments can roll back on them without a cycle), each
    to the topic of its kind's severity (`<capability>-<name>`, see observability.kinds)."""
    alarms = []
    for spec in specs:
        kind = f"{capability}-{spec.name}" if capability else spec.name
        alarm = cloudwatch.Alarm(
            scope,
            f"{pascal(spec.name)}Alarm",
            alarm_name=f"{prefix}-{spec.name}",
            metric=spec.metric,
            threshold=spec.threshold,
            comparison_operator=spec.comparison,
            evaluation_periods=spec.periods,
            datapoints_to_alarm=spec.periods,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=topic.describe(kind, spec.why, spec.first_step),
        )
        topic.notify(alarm, kind=kind)
        alarms.append(alarm)
    return alarms


def service_alarm_specs(
    thresholds: AlarmThresholds, *, cluster_name: str, service_name: str
) -> list[AlarmSpec]:
    """CPU, memory (high and low) and running-task alarms any ECS service gets."""
    # Literal dimensions (not the service's attributes) so the service can name these alarms
    # for deployment rollback without a dependency cycle.
    dimensions = {"ClusterName": cluster_name, "ServiceName": service_name}
    cpu, memory = (
        cloudwatch.Metric(
            namespace="AWS/ECS",
            metric_name=name,
            dimensions_map=dimensions,
            statistic="Average",
            period=FIVE_MINUTES,
        )
        for name in ("CPUUtilization", "MemoryUtilization")
    )
    missing_tasks = cloudwatch.MathExpression(
        expression="desired - running",
        period=cdk.Duration.minutes(1),
        using_metrics={
            name: cloudwatch.Metric(
                namespace="ECS/ContainerInsights",
                metric_name=metric,
                dimensions_map=dimensions,
                statistic="Average",
                period=cdk.Duration.minutes(1),
            )
            for name, metric in (("desired", "DesiredTaskCount"), ("running", "RunningTaskCount"))
        },
        label="tasks missing",
    )
    return [
        AlarmSpec(
            "cpu-high",
            cpu,
            thresholds.cpu_high,
            GT,
            "Tasks near their CPU limit answer slowly and autoscaling may be at its max.",
            "Check the service's scaling activity; raise autoscaling.max or cpu.",
        ),
        AlarmSpec(
            "cpu-low",
            cpu,
            20,
            LT,
            "CPU under 20% for long means paying for idle capacity (informational).",
            "Lower cpu or autoscaling.min in shipway.yml.",
            periods=12,
        ),
        AlarmSpec(
            "memory-high",
            memory,
            thresholds.memory_high,
            GT,
            "Tasks near their memory limit are killed with OutOfMemory (exit 137).",
            "Look for OOM stops in the service events; raise memory or fix the leak.",
        ),
        AlarmSpec(
            "memory-low",
            memory,
            20,
            LT,
            "Memory under 20% for long means the task size is too large (informational).",
            "Lower memory in shipway.yml.",
            periods=12,
        ),
        AlarmSpec(
            "tasks-missing",
            missing_tasks,
            0,
            GT,
            "Fewer tasks run than desired: tasks crash, fail health checks or cannot be placed.",
            "Read the service's events and the stopped tasks' reasons.",
            periods=5,
        ),
    ]


def target_alarm_specs(
    target_group: elbv2.ApplicationTargetGroup, thresholds: AlarmThresholds
) -> list[AlarmSpec]:
    """Alarms on what the load balancer sees of one web service."""
    metrics = target_group.metrics

    def count(code: elbv2.HttpCodeTarget) -> cloudwatch.Metric:
        return metrics.http_code_target(code, period=FIVE_MINUTES, statistic="Sum")

    return [
        AlarmSpec(
            "target-5xx",
            count(elbv2.HttpCodeTarget.TARGET_5XX_COUNT),
            thresholds.target_5xx,
            GT,
            "The service itself is answering with errors.",
            "Read the service's logs for exceptions around the alarm time.",
        ),
        AlarmSpec(
            "target-4xx",
            count(elbv2.HttpCodeTarget.TARGET_4XX_COUNT),
            thresholds.target_4xx,
            GT,
            "Many client errors: a broken client release, a scan or an API change.",
            "Look at the access logs for the paths and callers behind the 4xx.",
        ),
        AlarmSpec(
            "target-3xx",
            count(elbv2.HttpCodeTarget.TARGET_3XX_COUNT),
            25,
            GT,
            "Unexpected redirects often mean a misconfigured base URL or auth loop.",
            "Check recent config changes to URLs and the redirect targets in logs.",
        ),
        AlarmSpec(
            "response-time-p99",
            metrics.target_response_time(period=FIVE_MINUTES, statistic="p99"),
            thresholds.response_time_p99,
            GT,
            "The slowest 1% of requests breach the latency budget users feel.",
            "Check CPU and dependencies' latency (tables, caches) for the same window.",
        ),
        AlarmSpec(
            "unhealthy-hosts",
            metrics.unhealthy_host_count(period=cdk.Duration.minutes(1), statistic="Maximum"),
            thresholds.unhealthy_hosts,
            GTE,
            "Targets fail the health check and receive no traffic.",
            "Call the health check path on a task; read its logs.",
            periods=3,
        ),
    ]


def load_balancer_alarm_specs(
    load_balancer: elbv2.ApplicationLoadBalancer, threshold: int
) -> list[AlarmSpec]:
    """Errors produced by the load balancer itself (no healthy target, timeouts)."""
    metric = load_balancer.metrics.http_code_elb(
        elbv2.HttpCodeElb.ELB_5XX_COUNT, period=FIVE_MINUTES, statistic="Sum"
    )
    return [
        AlarmSpec(
            "elb-5xx",
            metric,
            threshold,
            GT,
            "The load balancer answers 5xx itself: no healthy targets, or targets "
            "time out or reset connections.",
            "Check unhealthy-hosts and tasks-missing alarms, then target logs.",
        )
    ]
