"""Deployment strategies: rolling with circuit breaker and alarms, blue/green, canary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_elasticloadbalancingv2 as elbv2

from shipway.compliance import acknowledge
from shipway.compliance.acknowledge import ignore_cfn_lint
from shipway.service.routing import web_target_group
from shipway.service.task import CONTAINER_NAME

if TYPE_CHECKING:
    from constructs import Construct

    from shipway.manifest import ServiceSpec

# Alarms whose firing during a deployment means the new version is bad.
ROLLBACK_ALARMS = ("target-5xx", "unhealthy-hosts", "tasks-missing")
BACKEND_ROLLBACK_ALARMS = ("tasks-missing",)


def deployment_options(scope: Construct, *, spec: ServiceSpec, alarm_prefix: str) -> dict[str, Any]:
    """Service properties for the manifest's deployment strategy."""
    names = ROLLBACK_ALARMS if spec.type == "web" else BACKEND_ROLLBACK_ALARMS
    options: dict[str, Any] = {
        "circuit_breaker": ecs.DeploymentCircuitBreaker(enable=True, rollback=True),
    }
    if spec.alarms.enabled:
        options["deployment_alarms"] = ecs.DeploymentAlarmConfig(
            alarm_names=[f"{alarm_prefix}-{name}" for name in names],
            behavior=ecs.AlarmBehavior.ROLLBACK_ON_ALARM,
        )
    strategy = spec.deployment.strategy
    if strategy == "blue_green":
        options["deployment_strategy"] = ecs.DeploymentStrategy.BLUE_GREEN
    elif strategy == "canary":
        options["deployment_strategy"] = ecs.DeploymentStrategy.CANARY
        options["canary_configuration"] = ecs.TrafficShiftConfig(
            step_percent=10, step_bake_time=cdk.Duration.minutes(10)
        )
    if strategy != "rolling":
        options["bake_time"] = cdk.Duration.minutes(spec.deployment.bake_minutes)
    return options


def blue_green_target(
    scope: Construct,
    *,
    service: ecs.BaseService,
    spec: ServiceSpec,
    rule: elbv2.ApplicationListenerRule,
    vpc: ec2.IVpc,
) -> ecs.IEcsLoadBalancerTarget:
    """The production target plus the alternate (green) target group ECS shifts traffic to."""
    green = web_target_group(scope, spec=spec, vpc=vpc, construct_id="GreenTargetGroup")
    target = service.load_balancer_target(
        container_name=CONTAINER_NAME,
        container_port=spec.port,
        alternate_target=ecs.AlternateTarget(
            "Green",
            alternate_target_group=green,
            production_listener=ecs.ListenerRuleConfiguration.application_listener_rule(rule),
        ),
    )
    ignore_cfn_lint(
        service,
        "W3005",
        "The CDK makes a blue/green service depend on its production listener rule explicitly "
        "(ECS needs the rule before the service); the rule's Ref repeats that dependency.",
    )
    acknowledge(
        service,
        "IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/"
        "AmazonECSInfrastructureRolePolicyForLoadBalancers]",
        "ECS shifts traffic between blue and green target groups "
        "with AWS's AmazonECSInfrastructureRolePolicyForLoadBalancers, kept current by AWS.",
    )
    return target
