"""A manifest cache as an ElastiCache replication group (Valkey or Redis OSS), TLS and AUTH.

The URL services receive (`CACHE_<NAME>_URL`, and `REDIS_URL` for a service's only cache) is a
second Secrets Manager secret whose SecretString CloudFormation builds with Fn::Join from
`rediss://:`, a `{{resolve:secretsmanager:<token secret>:SecretString:token::}}` dynamic
reference, `@`, the primary endpoint's address and port, and `/0`. Dynamic references are
resolved in any resource property, inside a joined string too, and never stored or logged by
CloudFormation, so the template holds only the reference. The URL follows the token when the
stack is next updated; the token is not rotated automatically (see the SMG4 acknowledgement).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_elasticache as elasticache
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from shipway.cache.alarms import cache_alarm_specs
from shipway.compliance import acknowledge
from shipway.contract import (
    REDIS_URL_VARIABLE,
    cache_auth_token_variable,
    cache_host_variable,
    cache_port_variable,
    cache_url_variable,
)
from shipway.observability.alarms import create_alarms

if TYPE_CHECKING:
    from shipway.context import ServiceRuntime, Shared
    from shipway.manifest import CachePlan, EnvironmentPlan
    from shipway.manifest.data import CacheSpec as Cache

PORT = 6379
ENGINE_VERSIONS = {"valkey": "8.0", "redis": "7.1"}
TOKEN_FIELD = "token"  # noqa: S105 - the JSON key holding the token, not a token
TOKEN_LENGTH = 64  # ElastiCache accepts 16 to 128 printable characters


def build_caches(
    scope: Construct, plan: EnvironmentPlan, shared: Shared
) -> dict[str, ReplicatedCache]:
    """Every cache of the environment's plan."""
    return {
        name: ReplicatedCache(scope, cache.construct_id, cache=cache, shared=shared)
        for name, cache in plan.caches.items()
    }


def failover(spec: Cache, zones: int) -> bool:
    """Automatic failover and Multi-AZ: with a replica to promote and a zone to put it in."""
    return spec.replicas >= 1 and zones > 1


def snapshot_window(maintenance_window: str) -> str:
    """The hour that ends an hour before maintenance starts (the two must not overlap)."""
    start = int(maintenance_window.split(":")[1])
    return f"{(start - 2) % 24:02d}:00-{(start - 1) % 24:02d}:00"


class ReplicatedCache(Construct):
    """One manifest cache; services reach its primary as `CACHE_<NAME>_URL` (`rediss://`)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        cache: CachePlan,
        shared: Shared,
    ) -> None:
        super().__init__(scope, construct_id)
        self.name, self.spec, self.shared = cache.name, cache.spec, shared
        self.physical_name = cache.physical_name
        name = cache.name
        vpc = shared.network.vpc
        self.security_group = ec2.SecurityGroup(
            self,
            "SecurityGroup",
            vpc=vpc,
            allow_all_outbound=False,
            description=f"cache {name}: only from the services that use it",
        )
        self.token = secretsmanager.Secret(
            self,
            "AuthToken",
            encryption_key=shared.key,
            description=f"shipway: AUTH token of cache {name} ({shared.label})",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                secret_string_template="{}",  # noqa: S106 - an empty JSON object
                generate_string_key=TOKEN_FIELD,
                password_length=TOKEN_LENGTH,
                exclude_punctuation=True,
            ),
        )
        self.replication_group = self._replication_group()
        self.url = self._url_secret()
        self._acknowledge()
        create_alarms(
            self,
            prefix=self.physical_name,
            topic=shared.topic,
            capability="cache",
            specs=cache_alarm_specs(self.replication_group.ref, self.spec),
        )

    def _replication_group(self) -> elasticache.CfnReplicationGroup:
        spec, shared = self.spec, self.shared
        subnets = shared.network.vpc.select_subnets(
            subnet_group_name=shared.network.data_subnets.subnet_group_name
        )
        subnet_group = elasticache.CfnSubnetGroup(
            self,
            "Subnets",
            description=f"cache {self.name}: isolated subnets",
            subnet_ids=subnets.subnet_ids,
        )
        multi_az = failover(spec, shared.zone_count)
        group = elasticache.CfnReplicationGroup(
            self,
            "ReplicationGroup",
            replication_group_description=f"{self.physical_name} ({spec.engine})",
            engine=spec.engine,
            engine_version=ENGINE_VERSIONS[spec.engine],
            cache_node_type=spec.node_type,
            num_cache_clusters=1 + spec.replicas,
            automatic_failover_enabled=multi_az,
            multi_az_enabled=multi_az,
            cache_subnet_group_name=subnet_group.ref,
            security_group_ids=[self.security_group.security_group_id],
            port=PORT,
            transit_encryption_enabled=True,
            at_rest_encryption_enabled=True,
            kms_key_id=shared.key.key_arn,
            auth_token=self.token.secret_value_from_json(TOKEN_FIELD).unsafe_unwrap(),
            preferred_maintenance_window=spec.maintenance_window,
            snapshot_retention_limit=spec.snapshot_retention_days,
            snapshot_window=(
                snapshot_window(spec.maintenance_window) if spec.snapshot_retention_days else None
            ),
            auto_minor_version_upgrade=True,
        )
        group.apply_removal_policy(
            cdk.RemovalPolicy.SNAPSHOT if shared.retain else cdk.RemovalPolicy.DESTROY
        )
        return group

    def _url_secret(self) -> secretsmanager.Secret:
        # CloudFormation joins the URL and resolves the token's dynamic reference when it
        # creates this secret: the template holds the reference, never the token.
        group = self.replication_group
        url = cdk.Fn.join(
            "",
            [
                "rediss://:",
                self.token.secret_value_from_json(TOKEN_FIELD).unsafe_unwrap(),
                "@",
                group.attr_primary_end_point_address,
                ":",
                group.attr_primary_end_point_port,
                "/0",
            ],
        )
        return secretsmanager.Secret(
            self,
            "Url",
            encryption_key=self.shared.key,
            description=f"shipway: rediss:// URL of cache {self.name}'s primary endpoint",
            secret_string_value=cdk.SecretValue.unsafe_plain_text(url),
        )

    def _acknowledge(self) -> None:
        if self.spec.engine == "redis":  # cdk-nag checks Redis OSS's default port only
            acknowledge(
                self.replication_group,
                "AEC5",
                "Clients find the port in "
                "CACHE_<NAME>_PORT and the URL; the security group admits only the "
                "services that use the cache, so another port would add no protection.",
            )
        if not failover(self.spec, self.shared.zone_count):
            acknowledge(
                self.replication_group,
                "AEC4",
                "The manifest asks for replicas: 0 "
                "(one node, no failover); set caches.<name>.replicas >= 1 for Multi-AZ.",
            )
        reason = (
            "Rotating the AUTH token needs the replication group's token updated in step "
            "(ROTATE then SET); shipway does not rotate it yet. The URL secret is derived "
            "from the token on each deployment."
        )
        acknowledge(self.token, "SMG4", reason)
        acknowledge(self.url, "SMG4", reason)

    def connect(self, service: ServiceRuntime, *, redis_url: bool) -> None:
        """Admit service on the port; inject host, port, the token and the `rediss://` URL
        (also as `REDIS_URL` when this is the service's only cache)."""
        self.security_group.add_ingress_rule(
            service.security_group, ec2.Port.tcp(PORT), f"from service {service.name}"
        )
        group = self.replication_group
        service.add_environment(
            cache_host_variable(self.name), group.attr_primary_end_point_address
        )
        service.add_environment(cache_port_variable(self.name), group.attr_primary_end_point_port)
        service.add_secret(
            cache_auth_token_variable(self.name),
            ecs.Secret.from_secrets_manager(self.token, TOKEN_FIELD),
        )
        url = ecs.Secret.from_secrets_manager(self.url)
        service.add_secret(cache_url_variable(self.name), url)
        if redis_url:
            service.add_secret(REDIS_URL_VARIABLE, url)
