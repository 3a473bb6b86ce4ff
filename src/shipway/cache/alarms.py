"""Alarms of a replication group: engine CPU, memory, evictions and replication lag."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch

from shipway.observability.alarms import FIVE_MINUTES, GT, AlarmSpec

if TYPE_CHECKING:
    from shipway.manifest.data import CacheSpec as Cache

CPU_PERCENT = 80
MEMORY_PERCENT = 80
REPLICATION_LAG_SECONDS = 1


def node_ids(replication_group_id: str, nodes: int) -> list[str]:
    """ElastiCache names a non-clustered group's nodes `<group>-001`, `<group>-002`, ..."""
    return [
        cdk.Fn.join("-", [replication_group_id, f"{index:03d}"]) for index in range(1, nodes + 1)
    ]


def _across(
    metric_name: str, nodes: list[str], function: str, statistic: str
) -> cloudwatch.IMetric:
    """One metric over the given nodes; the primary moves on failover, so watch them all."""
    metrics = {
        f"node{index}": cloudwatch.Metric(
            namespace="AWS/ElastiCache",
            metric_name=metric_name,
            dimensions_map={"CacheClusterId": node},
            statistic=statistic,
            period=FIVE_MINUTES,
        )
        for index, node in enumerate(nodes, start=1)
    }
    return cloudwatch.MathExpression(
        expression=f"{function}([{', '.join(metrics)}])",
        using_metrics=metrics,
        period=FIVE_MINUTES,
        label=f"{metric_name} ({function.lower()} over nodes)",
    )


def cache_alarm_specs(replication_group_id: str, spec: Cache) -> list[AlarmSpec]:
    """The alarms every cache gets; replication lag only when there are replicas."""
    nodes = node_ids(replication_group_id, 1 + spec.replicas)
    specs = [
        AlarmSpec(
            "engine-cpu",
            _across("EngineCPUUtilization", nodes, "MAX", "Average"),
            CPU_PERCENT,
            GT,
            "The engine thread is saturated: every command waits, latency rises.",
            "Look for slow or O(N) commands (SLOWLOG, KEYS, big ranges); "
            "then choose a larger node_type.",
            periods=3,
        ),
        AlarmSpec(
            "memory",
            _across("DatabaseMemoryUsagePercentage", nodes, "MAX", "Maximum"),
            MEMORY_PERCENT,
            GT,
            "The cache is nearly full and will soon evict keys or refuse writes.",
            "Check key TTLs and the biggest keys; then choose a larger node_type.",
        ),
        AlarmSpec(
            "evictions",
            _across("Evictions", nodes, "SUM", "Sum"),
            0,
            GT,
            "Keys were evicted for lack of memory: sessions or cached data vanished.",
            "Set TTLs on keys that lack them; then choose a larger node_type.",
        ),
    ]
    return [*specs, _replication_lag(nodes)] if spec.replicas else specs


def _replication_lag(nodes: list[str]) -> AlarmSpec:
    # Only replicas publish ReplicationLag; after a failover any node may be one.
    return AlarmSpec(
        "replication-lag",
        _across("ReplicationLag", nodes, "MAX", "Maximum"),
        REPLICATION_LAG_SECONDS,
        GT,
        "Replicas trail the primary: a failover now would lose the latest writes.",
        "Check the primary's write rate and network metrics; a larger node_type helps.",
        periods=3,
    )
