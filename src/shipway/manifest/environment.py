"""An environment: one account and region, its network, its domain and where alarms go."""

from __future__ import annotations

import ipaddress
from datetime import date
from typing import Annotated, Self

from pydantic import Field, StringConstraints, field_validator, model_validator

from shipway.manifest.base import ManifestModel
from shipway.manifest.network import ExistingNetwork

AccountId = Annotated[str, StringConstraints(pattern=r"^\d{12}$")]
Region = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-gov)?-[a-z]+-\d$")]


class Domain(ManifestModel):
    """A hosted zone and the certificate for HTTPS: an existing ARN, or one ACM issues."""

    zone: str = Field(description="Route 53 hosted zone name, e.g. example.com")
    zone_id: str = Field(
        pattern=r"^Z[A-Z0-9]{1,32}$",
        description="Route 53 hosted zone id, e.g. Z0123456789ABCDEFGHIJ",
    )
    name: str | None = Field(None, description="Record for the load balancer; default: the zone")
    certificate_arn: str | None = Field(
        None,
        pattern=r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+$",
        description="Existing ACM certificate; omit to have ACM issue one by DNS validation",
    )

    @property
    def record_name(self) -> str:
        return self.name or self.zone


class AccessGrant(ManifestModel):
    """Temporary read-only access to the environment's account for a reviewer."""

    principal: Annotated[
        str,
        StringConstraints(
            pattern=r"^(\d{12}|arn:aws[a-z-]*:iam::\d{12}:(role|user)/[\w+=,.@/-]+)$"
        ),
    ] = Field(
        description="who may assume the read-only role: an account id (12 digits, quoted; its "
        "administrators decide who in it), or an IAM role or user ARN"
    )
    expires: date = Field(
        description="last day (UTC) the role can be assumed, e.g. 2026-06-30; after it, "
        "assuming is denied (an expired entry is a warning: remove it)"
    )
    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+=,.@_-]{1,32}$")] | None = Field(
        None,
        description="short name in the role's name <app>-<env>-review-<name>; default: "
        "acct-<account id>, or the ARN's last name",
    )


class Environment(ManifestModel):
    """Where and how one copy of the application runs."""

    account: AccountId = Field(description="AWS account id: 12 digits, quoted")
    region: Region = Field(
        description="AWS region, in the form area-location-number: us-east-1, eu-central-1, "
        "ap-southeast-2"
    )
    availability_zones: int | list[str] = Field(
        2, description="How many AZs (>= 2), or their names"
    )
    vpc_cidr: str = Field("10.0.0.0/16", description="IPv4 CIDR of the VPC, /16 to /24")
    nat_gateways: int = Field(
        1, ge=0, description="0 .. number of AZs; 0 uses VPC interface endpoints instead"
    )
    network: ExistingNetwork | None = Field(
        None,
        description="run in an existing VPC instead of creating one (then availability_zones, "
        "vpc_cidr and nat_gateways do not apply: the subnets say where)",
    )
    domain: Domain | None = Field(
        None, description="a Route 53 zone for HTTPS; without one the load balancer is HTTP only"
    )
    alarm_email: str | None = Field(
        None,
        pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
        description="email subscribed to the alarms that page (and to tickets, unless "
        "ticket_email says otherwise)",
    )
    alarm_topic_arn: str | None = Field(
        None,
        pattern=r"^arn:aws[a-z-]*:sns:",
        description="an existing SNS topic for the alarms that page",
    )
    ticket_email: str | None = Field(
        None,
        pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
        description="email subscribed to the alarms that open a ticket; default: alarm_email",
    )
    ticket_topic_arn: str | None = Field(
        None,
        pattern=r"^arn:aws[a-z-]*:sns:",
        description="an existing SNS topic for the alarms that open a ticket",
    )
    deletion_protection: bool | None = Field(
        None,
        description="Refuse to delete the environment (stack termination protection, table and "
        "load balancer deletion protection); default: true for prod",
    )
    retain_data: bool | None = Field(
        None,
        description="Keep data when the environment is deleted (tables, buckets, image "
        "repositories, secrets, the encryption key, a final cache snapshot); default: true for "
        "prod",
    )
    requires_approval: bool | None = Field(
        None, description="Manual approval before deploying; default: true for prod"
    )
    access: list[AccessGrant] = Field(
        default_factory=list,
        description="temporary read-only IAM roles for reviewers, each assumable until its "
        "expiry date (no IAM users, no keys); `shipway access` prints how to use them",
    )

    @field_validator("availability_zones")
    @classmethod
    def _at_least_two_zones(cls, zones: int | list[str]) -> int | list[str]:
        count = zones if isinstance(zones, int) else len(zones)
        if count < 2:
            raise ValueError(
                f"{count} availability zone(s): at least 2 are needed for high availability"
            )
        if isinstance(zones, list) and len(set(zones)) != len(zones):
            raise ValueError("availability zones are listed twice")
        return zones

    @field_validator("vpc_cidr")
    @classmethod
    def _valid_cidr(cls, cidr: str) -> str:
        try:
            network = ipaddress.IPv4Network(cidr, strict=True)
        except ValueError as error:
            raise ValueError(f"'{cidr}' is not an IPv4 network in CIDR form ({error})") from None
        if not 16 <= network.prefixlen <= 24:
            raise ValueError(f"'{cidr}': a VPC's prefix must be /16 to /24")
        return cidr

    @model_validator(mode="after")
    def _nat_fits_zones(self) -> Self:
        if self.nat_gateways > self.zone_count:
            raise ValueError(
                f"nat_gateways: {self.nat_gateways} is more than the "
                f"{self.zone_count} availability zones"
            )
        return self

    @model_validator(mode="after")
    def _existing_network_alone(self) -> Self:
        if self.network is None:
            return self
        written = {"availability_zones", "vpc_cidr", "nat_gateways"} & self.model_fields_set
        if written:
            raise ValueError(
                f"{sorted(written)[0]}: an existing network brings its own zones, addresses and "
                "egress; remove it, or remove network to have shipway create the VPC"
            )
        zones = self.network.zones()
        foreign = sorted({zone for zone in zones if not zone.startswith(self.region)})
        if foreign:
            raise ValueError(
                f"network: {', '.join(foreign)} is not an availability zone of {self.region}"
            )
        return self

    @model_validator(mode="after")
    def _distinct_access_names(self) -> Self:
        from shipway.access.grants import default_name

        names = [grant.name or default_name(grant.principal) for grant in self.access]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(
                f"access: two entries are both named {', '.join(repeated)}: give each a "
                "distinct 'name'"
            )
        return self

    @property
    def zone_count(self) -> int:
        if self.network is not None:
            return len(self.network.zones())
        zones = self.availability_zones
        return zones if isinstance(zones, int) else len(zones)

    def zone_names(self) -> list[str]:
        """AZ names; a count maps to the region's first zones (a, b, c, ...)."""
        if self.network is not None:
            return self.network.zones()
        if isinstance(self.availability_zones, list):
            return list(self.availability_zones)
        return [f"{self.region}{chr(ord('a') + index)}" for index in range(self.zone_count)]


def is_production(name: str) -> bool:
    """An environment called prod (or production) gets protective defaults."""
    return name in {"prod", "production"}
