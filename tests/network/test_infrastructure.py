"""The VPC: three subnet tiers over the zones, NAT per the manifest, flow logs, endpoints."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from aws_cdk.assertions import Match

if TYPE_CHECKING:
    from aws_cdk.assertions import Template


def _subnet_blocks(template: Template) -> list[str]:
    subnets = template.find_resources("AWS::EC2::Subnet").values()
    return sorted(subnet["Properties"]["CidrBlock"] for subnet in subnets)


def test_three_tiers_over_two_zones_in_test_and_three_in_prod(
    core_test: Template, core_prod: Template
) -> None:
    core_test.has_resource_properties(
        "AWS::EC2::VPC",
        {"CidrBlock": "10.0.0.0/16", "EnableDnsHostnames": True, "EnableDnsSupport": True},
    )
    # public, private and isolated /19s, one per zone each
    assert _subnet_blocks(core_test) == sorted(f"10.0.{third}.0/19" for third in range(0, 192, 32))
    assert len(_subnet_blocks(core_prod)) == 9
    core_test.has_resource_properties("AWS::EC2::Subnet", {"MapPublicIpOnLaunch": False})
    assert not core_test.find_resources(
        "AWS::EC2::Subnet", {"Properties": {"MapPublicIpOnLaunch": True}}
    )


def test_nat_gateways_as_the_manifest_says(core_test: Template, core_prod: Template) -> None:
    core_test.resource_count_is("AWS::EC2::NatGateway", 1)
    core_prod.resource_count_is("AWS::EC2::NatGateway", 3)


def test_flow_logs_record_all_traffic_to_cloudwatch(core_test: Template) -> None:
    core_test.has_resource_properties(
        "AWS::EC2::FlowLog",
        {"TrafficType": "ALL", "ResourceType": "VPC", "LogDestinationType": "cloud-watch-logs"},
    )


def test_gateway_endpoints_for_s3_and_dynamodb(core_test: Template) -> None:
    endpoints = core_test.find_resources("AWS::EC2::VPCEndpoint").values()
    gateways = sorted(
        json.dumps(endpoint["Properties"]["ServiceName"]).rsplit(".", 1)[-1].strip('"]}')
        for endpoint in endpoints
        if endpoint["Properties"].get("VpcEndpointType") == "Gateway"
    )
    assert gateways == ["dynamodb", "s3"]


def test_no_nat_means_isolated_tasks_with_interface_endpoints(compute_test: Template) -> None:
    compute_test.resource_count_is("AWS::EC2::NatGateway", 0)
    names = json.dumps(
        [
            endpoint["Properties"]["ServiceName"]
            for endpoint in compute_test.find_resources("AWS::EC2::VPCEndpoint").values()
        ]
    )
    for service in ("ecr.api", "ecr.dkr", "logs", "secretsmanager"):
        assert f".{service}" in names
    compute_test.has_resource_properties(
        "AWS::EC2::VPCEndpoint",
        {"VpcEndpointType": "Interface", "PrivateDnsEnabled": True, "SubnetIds": Match.any_value()},
    )
