"""Composing capabilities into one CloudFormation stack per environment."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_logs as logs
from cdk_nag import AwsSolutionsChecks
from constructs import Construct

from shipway.cluster.infrastructure import Cluster
from shipway.context import Capability, EnvironmentContext
from shipway.encryption.infrastructure import EnvironmentKey
from shipway.ingress.infrastructure import PublicLoadBalancer
from shipway.manifest.service import BucketUse, TableUse
from shipway.network.infrastructure import Network
from shipway.observability.alarms import create_alarms, load_balancer_alarm_specs
from shipway.observability.topic import AlarmTopic
from shipway.service.express import ExpressService
from shipway.service.foundation import ServicePlacement
from shipway.service.infrastructure import ContainerService

if TYPE_CHECKING:
    from pathlib import Path

    from shipway.manifest import Manifest, ServiceSpec

CapabilityBuilder = Callable[[Construct, EnvironmentContext], dict[str, Capability]]
# Data capabilities register here as (manifest section, module, builder): each builds its section
# for one environment. A module is imported only when its section is used, because importing
# the CDK modules behind it costs seconds (the Lambda bundling, ElastiCache, ...).
# Tables come before buckets: a bucket's loader writes to its table.
CAPABILITY_BUILDERS: list[tuple[str, str, str]] = [
    ("tables", "shipway.table.infrastructure", "build_tables"),
    ("caches", "shipway.cache.infrastructure", "build_caches"),
    ("secrets", "shipway.secret.infrastructure", "build_secrets"),
    ("buckets", "shipway.bucket.infrastructure", "build_buckets"),
]


def capability_builders(manifest: Manifest) -> list[CapabilityBuilder]:
    """The builders for the sections this manifest uses, in build order."""
    builders: list[CapabilityBuilder] = []
    for section, module, function in CAPABILITY_BUILDERS:
        if getattr(manifest.application, section):
            builders.append(getattr(importlib.import_module(module), function))
    return builders


def build_app(
    manifest: Manifest, environments: Iterable[str], *, outdir: Path, image_tag: str = "latest"
) -> cdk.App:
    """One CDK app (one jsii process) with a stack per environment, checked by cdk-nag."""
    names = list(environments)
    for name in names:
        manifest.environment(name)
    app = cdk.App(outdir=str(outdir), analytics_reporting=False, context=_zones(manifest, names))
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    for name in names:
        EnvironmentStack(app, manifest=manifest, environment_name=name, image_tag=image_tag)
    return app


def _zones(manifest: Manifest, names: list[str]) -> dict[str, object]:
    # Without the CDK CLI there is no AZ lookup; give the stacks the manifest's zones.
    context: dict[str, object] = {}
    for name in names:
        environment = manifest.environment(name)
        key = f"availability-zones:account={environment.account}:region={environment.region}"
        zones = context.setdefault(key, [])
        assert isinstance(zones, list)
        zones.extend(zone for zone in environment.zone_names() if zone not in zones)
    return context


def stack_name(manifest: Manifest, environment: str) -> str:
    return f"{manifest.name}-{environment}"


class EnvironmentStack(cdk.Stack):
    """Everything one environment runs, from the VPC to the alarms."""

    def __init__(
        self, scope: Construct, *, manifest: Manifest, environment_name: str, image_tag: str
    ) -> None:
        environment = manifest.environment(environment_name)
        retain = manifest.deletion_protection(environment_name)
        super().__init__(
            scope,
            stack_name(manifest, environment_name),
            env=cdk.Environment(account=environment.account, region=environment.region),
            termination_protection=retain,
            description=f"shipway: {manifest.name} in {environment_name}",
        )
        self.manifest, self.environment_name = manifest, environment_name
        self._tag(manifest, environment_name)
        key = EnvironmentKey(self, "Encryption", retain=retain).key
        retention = logs.RetentionDays.ONE_YEAR if retain else logs.RetentionDays.ONE_MONTH
        network = Network(
            self, "Network", environment=environment, key=key, log_retention=retention
        )
        self.context = EnvironmentContext(
            manifest=manifest,
            name=environment_name,
            environment=environment,
            network=network,
            key=key,
            topic=AlarmTopic(self, "Alarms", environment=environment, key=key),
            retain=retain,
            log_retention=retention,
        )
        self.cluster = Cluster(
            self,
            "Cluster",
            network=network,
            namespace=f"{manifest.name}.{environment_name}.internal",
        )
        self.load_balancer = self._load_balancer()
        self.capabilities: dict[str, Capability] = {}
        for build in capability_builders(manifest):
            self.capabilities.update(build(self, self.context))
        self.services = self._services(image_tag)
        self._connect()
        self._outputs()

    def _tag(self, manifest: Manifest, environment_name: str) -> None:
        tags = cdk.Tags.of(self)
        for key, value in manifest.application.tags.items():
            tags.add(key, value)
        tags.add("application", manifest.name)
        tags.add("environment", environment_name)

    def _services_spec(self) -> dict[str, ServiceSpec]:
        return self.manifest.services_in(self.environment_name)

    def _load_balancer(self) -> PublicLoadBalancer | None:
        routed = [spec for spec in self._services_spec().values() if spec.is_load_balanced]
        if not routed:
            return None
        balancer = PublicLoadBalancer(
            self,
            "Ingress",
            network=self.context.network,
            domain=self.context.environment.domain,
            deletion_protection=self.context.retain,
            log_retention_days=90,
            key=self.context.key,
        )
        threshold = min(spec.alarms.elb_5xx for spec in routed)
        create_alarms(
            balancer,
            prefix=stack_name(self.manifest, self.environment_name),
            specs=load_balancer_alarm_specs(balancer.load_balancer, threshold),
            topic=self.context.topic,
        )
        return balancer

    def _services(self, image_tag: str) -> dict[str, ContainerService | ExpressService]:
        specs = self._services_spec()
        # More specific paths first: the load balancer evaluates rules by priority.
        order = sorted(specs, key=lambda name: (-len(specs[name].effective_routing.path), name))
        services: dict[str, ContainerService | ExpressService] = {}
        for index, name in enumerate(order):
            spec = specs[name]
            placement = ServicePlacement(
                physical_name=self.context.physical_name(name),
                cluster=self.cluster,
                load_balancer=self.load_balancer,
                route_priority=10 * (index + 1),
                topic=self.context.topic,
                key=self.context.key,
                log_retention=self.context.log_retention,
                image_tag=image_tag,
                retain=self.context.retain,
                application=self.manifest.name,
                environment=self.environment_name,
            )
            kind = ExpressService if spec.compute == "express" else ContainerService
            service = kind(
                self,
                f"Service{name.title().replace('-', '')}",
                name=name,
                spec=spec,
                placement=placement,
            )
            cdk.Tags.of(service).add("service", name)
            services[name] = service
        return services

    def _connect(self) -> None:
        for name, service in self.services.items():
            for use in self._services_spec()[name].uses:
                if isinstance(use, TableUse):
                    self.capabilities[use.table].connect(service, use.access)
                elif isinstance(use, BucketUse):
                    self.capabilities[use.bucket].connect(service, use.access)
                elif use in self.services:
                    self.services[use].connect(service, "call")
                else:
                    self.capabilities[use].connect(service, "read_write")

    def _outputs(self) -> None:
        if self.load_balancer is not None:
            cdk.CfnOutput(
                self,
                "LoadBalancerDns",
                value=self.load_balancer.load_balancer.load_balancer_dns_name,
                description="DNS name of the public load balancer",
            )
        for name, service in self.services.items():
            stem = name.title().replace("-", "")
            if service.url:
                cdk.CfnOutput(
                    self, f"{stem}Url", value=service.url, description=f"URL of service {name}"
                )
            if service.image.repository is not None:
                cdk.CfnOutput(
                    self,
                    f"{stem}Repository",
                    value=service.image.repository.repository_uri,
                    description=f"ECR repository to push {name}'s image to",
                )
