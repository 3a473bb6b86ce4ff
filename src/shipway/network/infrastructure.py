"""VPC with public, private and isolated subnets over the environment's AZs, or an existing VPC
the manifest names (`network:`), imported as it is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from shipway.compliance import acknowledge
from shipway.encryption.infrastructure import encrypted_log_group
from shipway.network.existing import existing_vpc

if TYPE_CHECKING:
    from shipway.manifest import Environment

# Without NAT, tasks in isolated subnets still need these AWS APIs (image pulls, logs, secrets).
INTERFACE_ENDPOINTS = {
    "EcrApi": ec2.InterfaceVpcEndpointAwsService.ECR,
    "EcrDocker": ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
    "Logs": ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
    "SecretsManager": ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
    "Ssm": ec2.InterfaceVpcEndpointAwsService.SSM,
}
# ECS Exec's session channels, when a service of the environment has exec on.
EXEC_ENDPOINTS = {"SsmMessages": ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES}


class Network(Construct):
    """The VPC every other capability of an environment lives in."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        environment: Environment,
        key: kms.IKey,
        log_retention: logs.RetentionDays,
        exec_sessions: bool = False,
    ) -> None:
        super().__init__(scope, construct_id)
        self.has_isolated = environment.network is None
        self.vpc: ec2.IVpc
        if environment.network is not None:
            # Its owner provides egress (NAT or endpoints) and keeps its flow logs.
            self.has_nat = True
            self.vpc = existing_vpc(self, "Vpc", environment.network)
            return
        flow_log_group = encrypted_log_group(
            self,
            "FlowLogs",
            key=key,
            retention=log_retention,
        )
        self.has_nat = environment.nat_gateways > 0
        self.vpc = ec2.Vpc(
            self,
            "Vpc",
            ip_addresses=ec2.IpAddresses.cidr(environment.vpc_cidr),
            availability_zones=environment.zone_names(),
            nat_gateways=environment.nat_gateways,
            subnet_configuration=self._subnets(),
            flow_logs={
                "All": ec2.FlowLogOptions(
                    destination=ec2.FlowLogDestination.to_cloud_watch_logs(flow_log_group),
                    traffic_type=ec2.FlowLogTrafficType.ALL,
                )
            },
            gateway_endpoints={
                "S3": ec2.GatewayVpcEndpointOptions(service=ec2.GatewayVpcEndpointAwsService.S3),
                "DynamoDb": ec2.GatewayVpcEndpointOptions(
                    service=ec2.GatewayVpcEndpointAwsService.DYNAMODB
                ),
            },
            restrict_default_security_group=False,
        )
        if not self.has_nat:
            self._add_interface_endpoints(
                {**INTERFACE_ENDPOINTS, **(EXEC_ENDPOINTS if exec_sessions else {})}
            )

    def _subnets(self) -> list[ec2.SubnetConfiguration]:
        private = (
            ec2.SubnetType.PRIVATE_WITH_EGRESS if self.has_nat else ec2.SubnetType.PRIVATE_ISOLATED
        )
        return [
            ec2.SubnetConfiguration(
                name="public", subnet_type=ec2.SubnetType.PUBLIC, map_public_ip_on_launch=False
            ),
            ec2.SubnetConfiguration(name="private", subnet_type=private),
            ec2.SubnetConfiguration(name="isolated", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
        ]

    def _add_interface_endpoints(
        self, endpoints: dict[str, ec2.InterfaceVpcEndpointAwsService]
    ) -> None:
        for name, service in endpoints.items():
            endpoint = self.vpc.add_interface_endpoint(
                name,
                service=service,
                private_dns_enabled=True,
                subnets=ec2.SubnetSelection(subnet_group_name="private"),
            )
            acknowledge(
                endpoint,
                "EC23",
                "Interface endpoints accept HTTPS only from inside "
                "this VPC (its CIDR); nothing outside the VPC can reach them.",
            )

    @property
    def service_subnets(self) -> ec2.SubnetSelection:
        """Where tasks run: private subnets (egress through NAT when the env has NAT)."""
        return ec2.SubnetSelection(subnet_group_name="private")

    @property
    def data_subnets(self) -> ec2.SubnetSelection:
        """Where caches live: isolated subnets, no route to the internet (an existing network
        has no isolated tier: its private subnets)."""
        return ec2.SubnetSelection(subnet_group_name="isolated" if self.has_isolated else "private")

    @property
    def public_subnets(self) -> ec2.SubnetSelection:
        return ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC)
