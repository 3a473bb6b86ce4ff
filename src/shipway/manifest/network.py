"""An existing VPC an environment runs in, instead of the one shipway would create."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import Field, StringConstraints, model_validator

from shipway.manifest.base import ManifestModel

VpcId = Annotated[str, StringConstraints(pattern=r"^vpc-([0-9a-f]{8}|[0-9a-f]{17})$")]
SubnetId = Annotated[str, StringConstraints(pattern=r"^subnet-([0-9a-f]{8}|[0-9a-f]{17})$")]
ZoneName = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$")]


class ExistingSubnet(ManifestModel):
    """One subnet of the existing VPC, with its availability zone (the CDK cannot look it up
    without an account, and every tier must be spread the same way)."""

    id: SubnetId = Field(description="subnet id, e.g. subnet-0123456789abcdef0")
    az: ZoneName = Field(description="its availability zone name, e.g. us-east-1a")


Tier = Annotated[list[ExistingSubnet], Field(min_length=2)]


class ExistingNetwork(ManifestModel):
    """A VPC someone else owns: shipway places everything in its subnets and creates no VPC,
    NAT gateway, flow log or endpoint (those stay the owner's)."""

    vpc_id: VpcId = Field(description="the VPC, e.g. vpc-0123456789abcdef0")
    public_subnets: Tier = Field(
        description="subnets with a route to an internet gateway, one per availability zone "
        "(at least two): the load balancers live here"
    )
    private_subnets: Tier = Field(
        description="subnets without public addresses, in the same availability zones: tasks, "
        "caches and loaders live here; they must reach AWS APIs (NAT or VPC endpoints)"
    )

    @model_validator(mode="after")
    def _one_subnet_per_zone_alike(self) -> Self:
        for tier in ("public_subnets", "private_subnets"):
            zones = [subnet.az for subnet in getattr(self, tier)]
            repeated = sorted({zone for zone in zones if zones.count(zone) > 1})
            if repeated:
                raise ValueError(
                    f"{tier}: two subnets in {', '.join(repeated)}: list one subnet per "
                    "availability zone (a tier spread over distinct zones survives losing one)"
                )
        if self.zones("public_subnets") != self.zones("private_subnets"):
            raise ValueError(
                f"public_subnets are in {', '.join(self.zones('public_subnets'))} and "
                f"private_subnets in {', '.join(self.zones('private_subnets'))}: both tiers "
                "must cover the same availability zones (a load balancer only reaches tasks in "
                "its own zones)"
            )
        ids = [subnet.id for subnet in (*self.public_subnets, *self.private_subnets)]
        repeated = sorted({subnet for subnet in ids if ids.count(subnet) > 1})
        if repeated:
            raise ValueError(
                f"{', '.join(repeated)} is listed twice: a subnet is either public or private"
            )
        return self

    def zones(self, tier: str = "private_subnets") -> list[str]:
        """The tier's availability zones, sorted."""
        return sorted(subnet.az for subnet in getattr(self, tier))

    def subnet_ids(self, tier: str) -> list[str]:
        """The tier's subnet ids in the order of `zones()` (how the CDK pairs them)."""
        return [subnet.id for subnet in sorted(getattr(self, tier), key=lambda s: s.az)]
