"""An existing VPC, imported from the manifest's ids: nothing of it is created or changed.

`Vpc.from_lookup` needs an account at synth time; the manifest gives each subnet's zone instead,
so synthesis stays offline and the template names exactly the subnets the user listed. The VPC's
owner keeps what shipway would otherwise create: flow logs, NAT or VPC endpoints for the private
subnets' egress, routes, and network ACLs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import aws_ec2 as ec2

if TYPE_CHECKING:
    from constructs import Construct

    from shipway.manifest.network import ExistingNetwork

# The subnet group names the new VPC uses, so subnet selections read the same for both.
PUBLIC_GROUP, PRIVATE_GROUP = "public", "private"


def existing_vpc(scope: Construct, construct_id: str, network: ExistingNetwork) -> ec2.IVpc:
    """The VPC with one public and one private subnet per zone, paired by zone."""
    return ec2.Vpc.from_vpc_attributes(
        scope,
        construct_id,
        vpc_id=network.vpc_id,
        availability_zones=network.zones(),
        public_subnet_ids=network.subnet_ids("public_subnets"),
        public_subnet_names=[PUBLIC_GROUP],
        private_subnet_ids=network.subnet_ids("private_subnets"),
        private_subnet_names=[PRIVATE_GROUP],
    )
