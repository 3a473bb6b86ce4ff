"""An existing network (environments.test.network in tests/data/exec_network): nothing of the
VPC is created, and every placed resource names exactly the manifest's subnets."""

from __future__ import annotations

from shipway.manifest import resolve
from tests.data.acceptance import manifest_of
from tests.data.exec_network.synthesized import properties, resources

VPC = "vpc-0a1b2c3d4e5f60718"
# in zone order (a, b), whatever order the manifest lists them in
PUBLIC = ["subnet-0aaaaaaaaaaaaaa01", "subnet-0aaaaaaaaaaaaaa02"]
PRIVATE = ["subnet-0bbbbbbbbbbbbbb01", "subnet-0bbbbbbbbbbbbbb02"]
CREATED_BY_A_NEW_VPC = (
    "AWS::EC2::VPC",
    "AWS::EC2::Subnet",
    "AWS::EC2::NatGateway",
    "AWS::EC2::InternetGateway",
    "AWS::EC2::RouteTable",
    "AWS::EC2::FlowLog",
    "AWS::EC2::VPCEndpoint",
    "AWS::EC2::EIP",
)


def test_no_vpc_subnet_nat_flow_log_or_endpoint_is_created() -> None:
    for kind in CREATED_BY_A_NEW_VPC:
        assert resources("test", kind) == {}, kind
    # prod, without network:, still gets its own
    assert len(resources("prod", "AWS::EC2::VPC")) == 1
    assert len(resources("prod", "AWS::EC2::NatGateway")) == 2


def test_the_load_balancer_is_in_the_public_subnets() -> None:
    balancer = properties("test", "AWS::ElasticLoadBalancingV2::LoadBalancer", "Ingress")
    assert balancer["Subnets"] == PUBLIC
    assert balancer["Scheme"] == "internet-facing"


def test_services_run_in_the_private_subnets_without_public_addresses() -> None:
    for service in resources("test", "AWS::ECS::Service").values():
        configuration = service["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"]
        assert configuration["Subnets"] == PRIVATE
        assert configuration["AssignPublicIp"] == "DISABLED"


def test_the_cache_lives_in_the_private_subnets() -> None:
    # an existing network has no isolated tier: the private subnets are the closest
    assert properties("test", "AWS::ElastiCache::SubnetGroup", "CacheSessions")["SubnetIds"] == (
        PRIVATE
    )


def test_express_takes_the_public_subnets_as_it_does_in_a_new_vpc() -> None:
    express = properties("test", "AWS::ECS::ExpressGatewayService", "ServiceKiosk")
    assert express["NetworkConfiguration"]["Subnets"] == PUBLIC


def test_security_groups_and_the_namespace_are_in_the_existing_vpc() -> None:
    groups = resources("test", "AWS::EC2::SecurityGroup").values()
    assert {group["Properties"]["VpcId"] for group in groups} == {VPC}
    namespace = properties("test", "AWS::ServiceDiscovery::PrivateDnsNamespace", "Cluster")
    assert namespace["Vpc"] == VPC


def test_synth_warns_what_the_vpc_owner_keeps() -> None:
    (warning,) = [w for w in resolve(manifest_of("exec_network"), "test").warnings if VPC in w]
    assert "owner keeps its flow logs" in warning
    assert "NAT or VPC endpoints" in warning
    assert not [w for w in resolve(manifest_of("exec_network"), "prod").warnings if "VPC" in w]
