"""The target group the load balancer checks and routes to for a web service."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2

if TYPE_CHECKING:
    from constructs import Construct

    from shipway.manifest import ServiceSpec


def web_target_group(
    scope: Construct, *, spec: ServiceSpec, vpc: ec2.IVpc, construct_id: str = "TargetGroup"
) -> elbv2.ApplicationTargetGroup:
    """An IP target group with the manifest's health check."""
    check = spec.health_check
    return elbv2.ApplicationTargetGroup(
        scope,
        construct_id,
        vpc=vpc,
        port=spec.port,
        protocol=elbv2.ApplicationProtocol.HTTP,
        target_type=elbv2.TargetType.IP,
        deregistration_delay=cdk.Duration.seconds(30),
        health_check=elbv2.HealthCheck(
            path=check.path,
            healthy_http_codes=check.healthy_codes,
            interval=cdk.Duration.seconds(check.interval),
            timeout=cdk.Duration.seconds(check.timeout),
            healthy_threshold_count=check.healthy_threshold,
            unhealthy_threshold_count=check.unhealthy_threshold,
        ),
    )
