"""Every compute kind and deployment strategy synthesizes as the manifest says."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from aws_cdk.assertions import Match, Template

from tests.synth.conftest import template_json

if TYPE_CHECKING:
    from shipway.synthesis import SynthResult


@pytest.fixture(scope="module")
def template(compute_synth: SynthResult) -> Template:
    return Template.from_json(template_json(compute_synth, "test"))


def test_no_nag_findings(compute_synth: SynthResult) -> None:
    assert compute_synth.nag == []


def test_spot_keeps_an_on_demand_floor_and_deploys_canary(template: Template) -> None:
    template.has_resource_properties(
        "AWS::ECS::Service",
        {
            "ServiceName": "computes-test-spot",
            "CapacityProviderStrategy": [
                {"CapacityProvider": "FARGATE", "Base": 1, "Weight": 1},
                {"CapacityProvider": "FARGATE_SPOT", "Weight": 3},
            ],
            "DeploymentConfiguration": Match.object_like({"Strategy": "CANARY"}),
        },
    )


def test_ec2_service_spreads_over_zones_on_its_capacity_provider(template: Template) -> None:
    template.has_resource_properties(
        "AWS::ECS::Service",
        {
            "ServiceName": "computes-test-fleet",
            "PlacementStrategies": [
                {"Type": "spread", "Field": "instanceId"},
                {"Type": "spread", "Field": "attribute:ecs.availability-zone"},
            ],
            "DeploymentConfiguration": Match.object_like({"Strategy": "BLUE_GREEN"}),
        },
    )
    template.has_resource_properties(
        "AWS::ECS::CapacityProvider",
        {"AutoScalingGroupProvider": Match.object_like({"ManagedDraining": "ENABLED"})},
    )
    template.has_resource_properties(
        "AWS::AutoScaling::AutoScalingGroup", {"MinSize": "2", "MaxSize": "4"}
    )
    template.resource_count_is("AWS::Lambda::Function", 0)
    # A launch template, not a launch configuration (maintenance mode, cfn-lint W3697).
    template.resource_count_is("AWS::AutoScaling::LaunchConfiguration", 0)
    template.has_resource_properties(
        "AWS::EC2::LaunchTemplate",
        {
            "LaunchTemplateData": Match.object_like(
                {
                    "InstanceType": "t3.small",
                    "MetadataOptions": {"HttpTokens": "required"},
                    "BlockDeviceMappings": [
                        Match.object_like(
                            {"Ebs": Match.object_like({"Encrypted": True, "VolumeType": "gp3"})}
                        )
                    ],
                }
            )
        },
    )


def test_express_mode_service(template: Template) -> None:
    # Regression: `cpu: null, memory: 50` used to synthesize CPU scaling at 60.
    template.has_resource_properties(
        "AWS::ECS::ExpressGatewayService",
        {
            "ServiceName": "computes-test-express",
            "HealthCheckPath": "/_health",
            "Cpu": "256",
            "Memory": "512",
            "PrimaryContainer": Match.object_like({"ContainerPort": 8000}),
            "ScalingTarget": {
                "MinTaskCount": 1,
                "MaxTaskCount": 3,
                "AutoScalingMetric": "AVERAGE_MEMORY",
                "AutoScalingTargetValue": 50,
            },
        },
    )


def test_express_load_balancer_is_behind_the_environments_waf(template: Template) -> None:
    associations = template.find_resources("AWS::WAFv2::WebACLAssociation")
    arns = json.dumps([a["Properties"]["ResourceArn"] for a in associations.values()])
    assert "Ingress.LoadBalancerArn" in arns or "IngressLoadBalancer" in arns  # the shared ALB
    assert "ECSManagedResourceArns.IngressPath.LoadBalancerArn" in arns  # Express's own
    assert len(associations) == 2


def test_no_nat_means_isolated_tasks_with_interface_endpoints(template: Template) -> None:
    template.resource_count_is("AWS::EC2::NatGateway", 0)
    names = json.dumps(
        [
            endpoint["Properties"]["ServiceName"]
            for endpoint in template.find_resources("AWS::EC2::VPCEndpoint").values()
        ]
    )
    for service in ("ecr.api", "ecr.dkr", "logs", "secretsmanager"):
        assert service in names
