"""A worker's scaling on its queue's backlog per task, as Copilot's worker services scale.

The target is how many messages one task may hold and still meet the acceptable latency:
`acceptable_latency / processing_time`. The metric is the queue's visible messages divided by
the service's running tasks (Container Insights), computed by CloudWatch metric math inside the
target tracking policy itself (no Lambda publishing a custom metric, as Copilot needed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import aws_applicationautoscaling as autoscaling
from aws_cdk import aws_cloudwatch as cloudwatch

if TYPE_CHECKING:
    from aws_cdk import aws_ecs as ecs

Query = autoscaling.CfnScalingPolicy.TargetTrackingMetricDataQueryProperty
Stat = autoscaling.CfnScalingPolicy.TargetTrackingMetricStatProperty
Metric = autoscaling.CfnScalingPolicy.TargetTrackingMetricProperty
Dimension = autoscaling.CfnScalingPolicy.TargetTrackingMetricDimensionProperty
SCALE_IN_COOLDOWN_SECONDS = 120
SCALE_OUT_COOLDOWN_SECONDS = 60


def backlog_per_task(
    capacity: ecs.ScalableTaskCount,
    construct_id: str,
    *,
    backlog: cloudwatch.IMetric,
    cluster_name: str,
    service_name: str,
    target: int,
) -> autoscaling.CfnScalingPolicy:
    """A target tracking policy on `visible messages / running tasks`, aiming at target."""
    scalable = capacity.node.find_child("Target")
    assert isinstance(scalable, autoscaling.ScalableTarget)
    visible = backlog.to_metric_config().metric_stat
    assert visible is not None
    tasks = Query(
        id="tasks",
        return_data=False,
        metric_stat=_stat(
            "ECS/ContainerInsights",
            "RunningTaskCount",
            {"ClusterName": cluster_name, "ServiceName": service_name},
        ),
    )
    messages = Query(
        id="messages",
        return_data=False,
        metric_stat=_stat(visible.namespace, visible.metric_name, _dimensions(visible)),
    )
    per_task = Query(
        id="backlog_per_task",
        # Zero running tasks (min 0 or all stopped): treat the whole backlog as one task's.
        expression="messages / IF(tasks > 0, tasks, 1)",
        label="visible messages per running task",
        return_data=True,
    )
    return autoscaling.CfnScalingPolicy(
        capacity,
        construct_id,
        policy_name=f"{service_name}-{construct_id.lower()}",
        policy_type="TargetTrackingScaling",
        scaling_target_id=scalable.scalable_target_id,
        target_tracking_scaling_policy_configuration=(
            autoscaling.CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty(
                target_value=target,
                scale_in_cooldown=SCALE_IN_COOLDOWN_SECONDS,
                scale_out_cooldown=SCALE_OUT_COOLDOWN_SECONDS,
                customized_metric_specification=(
                    autoscaling.CfnScalingPolicy.CustomizedMetricSpecificationProperty(
                        metrics=[messages, tasks, per_task]
                    )
                ),
            )
        ),
    )


def _stat(namespace: str, name: str, dimensions: dict[str, str]) -> Stat:
    return Stat(
        metric=Metric(
            namespace=namespace,
            metric_name=name,
            dimensions=[Dimension(name=key, value=value) for key, value in dimensions.items()],
        ),
        stat="Average",
    )


def _dimensions(stat: cloudwatch.MetricStatConfig) -> dict[str, str]:
    return {dimension.name: str(dimension.value) for dimension in stat.dimensions or []}
