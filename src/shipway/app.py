"""Composing capabilities into one CloudFormation stack per environment, from its plan."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_logs as logs
from jsii.errors import JSIIError

from shipway.access.infrastructure import ReviewerAccess
from shipway.cluster.infrastructure import Cluster
from shipway.compliance.acknowledge import ignore_cfn_lint_in_template
from shipway.compliance.checked_app import checked_app
from shipway.context import Shared
from shipway.deploy.images import ImageReference, image_references
from shipway.ecs_exec.infrastructure import ExecSessions
from shipway.encryption.infrastructure import EnvironmentKey
from shipway.errors import UserError
from shipway.image.built import built_from_source
from shipway.image.infrastructure import RegistryStack
from shipway.ingress.firewall import WebFirewall
from shipway.ingress.infrastructure import PublicLoadBalancer
from shipway.manifest import resolve
from shipway.manifest.names import pascal
from shipway.network.infrastructure import Network
from shipway.observability.alarms import create_alarms, load_balancer_alarm_specs
from shipway.observability.topic import AlarmTopic
from shipway.service.express import ExpressService
from shipway.service.foundation import ServicePlacement
from shipway.service.infrastructure import ContainerService

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping
    from pathlib import Path

    from constructs import Construct

    from shipway.job.infrastructure import ScheduledJob
    from shipway.manifest import EnvironmentPlan, Manifest, ServicePlan
    from shipway.manifest.plan import JobPlan

    AnyRuntime = ContainerService | ExpressService | ScheduledJob
    from shipway.manifest.yaml_source import Location

AnyService = ContainerService | ExpressService


def build_app(
    manifest: Manifest,
    environments: Iterable[str],
    *,
    outdir: Path,
    images: Mapping[str, Mapping[str, ImageReference]] | None = None,
) -> cdk.App:
    """One CDK app (one jsii process) with an environment's registry and stack per environment,
    checked by cdk-nag. images: what each service runs, by environment (default: the content
    tags of the services built from source)."""
    plans = [resolve(manifest, name) for name in environments]
    context = {
        **_zones(plans),
        # Each resource's construct path in its Metadata (the CDK CLI adds it; synthesizing
        # without the CLI does not): a deploy's failures and checks name the manifest service.
        "aws:cdk:enable-path-metadata": True,
        # The registry's repositories are referenced by the environment's stack, which is never
        # deployed without them: CloudFormation may protect the export (the default, said out
        # loud so the CDK stops warning about it).
        "@aws-cdk/core:defaultCrossStackReferences": "strong",
    }
    app = checked_app(outdir, context)
    for plan in plans:
        chosen = (images or {}).get(plan.name) or image_references(manifest, plan)
        with located(manifest, ("environments", plan.name)):
            registry = RegistryStack(app, plan=plan) if built_from_source(plan) else None
            EnvironmentStack(app, plan=plan, images=chosen, registry=registry, manifest=manifest)
    return app


@contextlib.contextmanager
def located(manifest: Manifest, where: Location) -> Iterator[None]:
    """A CDK (jsii) error while building the entry at where becomes one located UserError."""
    try:
        yield
    except (RuntimeError, JSIIError) as error:
        first = next((line for line in str(error).splitlines() if line.strip()), str(error))
        raise UserError(
            str(manifest.issue(where, f"the CDK refused it: {first.strip()}"))
        ) from None


def _zones(plans: list[EnvironmentPlan]) -> dict[str, object]:
    # Without the CDK CLI there is no AZ lookup; give the stacks the manifest's zones.
    context: dict[str, list[str]] = {}
    for plan in plans:
        settings = plan.settings
        key = f"availability-zones:account={settings.account}:region={settings.region}"
        zones = context.setdefault(key, [])
        zones.extend(zone for zone in settings.zone_names() if zone not in zones)
    return dict(context)


class EnvironmentStack(cdk.Stack):
    """Everything one environment runs, from the VPC to the alarms."""

    def __init__(
        self,
        scope: Construct,
        *,
        plan: EnvironmentPlan,
        images: Mapping[str, ImageReference],
        registry: RegistryStack | None,
        manifest: Manifest,
    ) -> None:
        settings = plan.settings
        super().__init__(
            scope,
            plan.stack_name,
            env=cdk.Environment(account=settings.account, region=settings.region),
            termination_protection=plan.protect,
            description=f"shipway: {plan.app} in {plan.name}",
        )
        self.plan, self.manifest, self.registry = plan, manifest, registry
        self._tag()
        key = EnvironmentKey(self, "Encryption", retain=plan.retain).key
        retention = logs.RetentionDays.ONE_YEAR if plan.retain else logs.RetentionDays.ONE_MONTH
        network = Network(
            self,
            "Network",
            environment=settings,
            key=key,
            log_retention=retention,
            exec_sessions=bool(plan.exec_services),
        )
        self.shared = Shared(
            app=plan.app,
            environment=plan.name,
            network=network,
            key=key,
            topic=AlarmTopic(
                self, "Alarms", environment=settings, key=key, runbook_url=plan.runbook_url
            ),
            retain=plan.retain,
            protect=plan.protect,
            log_retention=retention,
        )
        self.exec_sessions = (
            ExecSessions(self, "Exec", key=key, log_retention=retention)
            if plan.exec_services
            else None
        )
        self.cluster = Cluster(
            self,
            "Cluster",
            network=network,
            namespace=f"{plan.app}.{plan.name}.internal",
            execute_command=self.exec_sessions.configuration if self.exec_sessions else None,
        )
        self.firewall = self._firewall()
        self.load_balancer = self._load_balancer()
        self._data()
        self.services = self._services(images)
        self.jobs = self._jobs(images)
        self._connect()
        self._dashboard()
        self._outputs()
        if settings.access:
            ReviewerAccess(self, "ReviewerAccess", plan=plan)

    def _tag(self) -> None:
        tags = cdk.Tags.of(self)
        for key, value in self.plan.tags.items():
            tags.add(key, value)
        tags.add("application", self.plan.app)
        tags.add("environment", self.plan.name)

    def _firewall(self) -> WebFirewall | None:
        """One web ACL for the environment's public load balancers (shared and Express)."""
        public = [service for service in self.plan.services.values() if service.spec.type == "web"]
        return WebFirewall(self, "Firewall", key=self.shared.key) if public else None

    def _load_balancer(self) -> PublicLoadBalancer | None:
        routed = self.plan.load_balanced
        if not routed:
            return None
        assert self.firewall is not None
        balancer = PublicLoadBalancer(
            self,
            "Ingress",
            network=self.shared.network,
            domain=self.plan.settings.domain,
            deletion_protection=self.plan.protect,
            retain_logs=self.plan.retain,
            log_retention_days=90,
            firewall=self.firewall,
        )
        threshold = min(service.spec.alarms.elb_5xx for service in routed)
        create_alarms(
            balancer,
            prefix=self.plan.stack_name,
            specs=load_balancer_alarm_specs(balancer.load_balancer, threshold),
            topic=self.shared.topic,
            capability="load-balancer",
        )
        return balancer

    def _data(self) -> None:
        # A section's CDK modules are imported only when it is used: importing them costs
        # seconds (the Lambda bundling, ElastiCache, ...). Tables come first: a bucket's loader
        # is handed its table.
        plan, shared = self.plan, self.shared
        self.tables, self.caches, self.secrets, self.buckets = {}, {}, {}, {}
        with self._building("tables"):
            if plan.tables:
                from shipway.table.infrastructure import build_tables

                self.tables = build_tables(self, plan, shared)
        with self._building("caches"):
            if plan.caches:
                from shipway.cache.infrastructure import build_caches

                self.caches = build_caches(self, plan, shared)
        with self._building("secrets"):
            if plan.secrets:
                from shipway.secret.infrastructure import build_secrets

                self.secrets = build_secrets(self, plan, shared)
        with self._building("buckets"):
            if plan.buckets:
                from shipway.bucket.infrastructure import build_buckets

                self.buckets = build_buckets(self, plan, shared, self.tables)
        self._messaging()

    def _messaging(self) -> None:
        # Queues before topics: a topic's subscriptions are handed their queues.
        plan, shared = self.plan, self.shared
        self.queues, self.topics = {}, {}
        with self._building("queues"):
            if plan.queues:
                from shipway.queue.infrastructure import build_queues

                self.queues = build_queues(self, plan, shared)
        with self._building("topics"):
            if plan.topics:
                from shipway.topic.infrastructure import build_topics

                self.topics = build_topics(self, plan, shared, self.queues)

    def _building(self, *where: str | int) -> contextlib.AbstractContextManager[None]:
        return located(self.manifest, where)

    def _services(self, images: Mapping[str, ImageReference]) -> dict[str, AnyService]:
        plans = self.plan.services
        # More specific paths first: the load balancer evaluates rules by priority.
        order = sorted(
            plans, key=lambda name: (-len(plans[name].spec.effective_routing.path), name)
        )
        services: dict[str, AnyService] = {}
        for index, name in enumerate(order):
            service = plans[name]
            placement = ServicePlacement(
                cluster=self.cluster,
                load_balancer=self.load_balancer,
                firewall=self.firewall,
                route_priority=10 * (index + 1),
                topic=self.shared.topic,
                key=self.shared.key,
                log_retention=self.shared.log_retention,
                image=images[name],
                repository=self.registry.repositories.get(name) if self.registry else None,
                retain=self.plan.retain,
                application=self.plan.app,
                environment=self.plan.name,
                exec_sessions=self.exec_sessions,
            )
            kind = ExpressService if service.spec.compute == "express" else ContainerService
            with self._building("services", name):
                built = kind(self, service.construct_id, service=service, placement=placement)
            cdk.Tags.of(built).add("service", name)
            services[name] = built
        return services

    def _jobs(self, images: Mapping[str, ImageReference]) -> dict[str, ScheduledJob]:
        """Each job, running its service's image (the same tag), its own image built from source
        (in its own repository), or its URI."""
        if not self.plan.jobs:
            return {}
        from shipway.job.infrastructure import ScheduledJob
        from shipway.service.image import ServiceImage

        jobs = {}
        for name, job in self.plan.jobs.items():
            with self._building("jobs", name):
                source = job.spec.image.service
                if source is not None:
                    image = self.services[source].image.image
                elif job.spec.image.build is not None:
                    image = ServiceImage(
                        self,
                        f"{job.construct_id}Image",
                        reference=images[name],
                        repository=self.registry.repositories.get(name) if self.registry else None,
                    ).image
                else:
                    assert job.spec.image.uri is not None
                    reference = ImageReference(uri=job.spec.image.uri)
                    image = ServiceImage(
                        self, f"{job.construct_id}Image", reference=reference, repository=None
                    ).image
                jobs[name] = ScheduledJob(
                    self,
                    job.construct_id,
                    job=job,
                    image=image,
                    cluster=self.cluster,
                    shared=self.shared,
                )
            cdk.Tags.of(jobs[name]).add("job", name)
        return jobs

    def _connect(self) -> None:
        """Each `uses` edge, wired explicitly: the access it grants and what it injects."""
        for name, service in self.services.items():
            plan = self.plan.services[name]
            with self._building("services", name, "uses"):
                self._connect_service(service, plan)
        for name, job in self.jobs.items():
            with self._building("jobs", name, "uses"):
                self._connect_service(job, self.plan.jobs[name])

    def _connect_service(self, service: AnyRuntime, plan: ServicePlan | JobPlan) -> None:
        for use in plan.uses:
            if use.kind == "table":
                self.tables[use.name].connect(service, use.access)
            elif use.kind == "bucket":
                self.buckets[use.name].connect(service, use.access)
            elif use.kind == "cache":
                self.caches[use.name].connect(service, redis_url=use.name == plan.redis_url_cache)
            elif use.kind == "secret":
                self.secrets[use.name].connect(service)
            elif use.kind == "queue":
                self._connect_queue(service, plan, use.name, use.access)
            elif use.kind == "topic":
                self.topics[use.name].connect(service)
            else:
                self.services[use.name].connect(service)

    def _connect_queue(
        self, service: AnyRuntime, plan: ServicePlan | JobPlan, name: str, access: str
    ) -> None:
        queue = self.queues[name]
        queue.connect(service, access)
        if access == "consume" and isinstance(service, ContainerService):
            service.scale_on_backlog(queue.name, queue.backlog())

    def _dashboard(self) -> None:
        from shipway.observability.dashboard import EnvironmentDashboard

        EnvironmentDashboard(
            self,
            "Dashboard",
            name=self.plan.stack_name,
            cluster_name=self.cluster.cluster.cluster_name,
            services=self.services.values(),
            data={
                "tables": self.tables.values(),
                "caches": self.caches.values(),
                "buckets": self.buckets.values(),
                "queues": self.queues.values(),
                "topics": self.topics.values(),
                "jobs": self.jobs.values(),
            },
            topic=self.shared.topic,
        )

    def _outputs(self) -> None:
        if self.load_balancer is not None:
            cdk.CfnOutput(
                self,
                "LoadBalancerDns",
                value=self.load_balancer.load_balancer.load_balancer_dns_name,
                description="DNS name of the public load balancer",
            )
        for name, service in self.services.items():
            stem = pascal(name)
            if service.url:
                cdk.CfnOutput(
                    self, f"{stem}Url", value=service.url, description=f"URL of service {name}"
                )
            cdk.CfnOutput(
                self, f"{stem}Image", value=service.image.uri, description=f"{name}'s image"
            )
        if built_from_source(self.plan):
            ignore_cfn_lint_in_template(
                self,
                "W6001",
                "Each <Service>Image output is the image the environment runs: its repository's "
                "URI, imported from the registry stack, with this release's content tag. The "
                "registry stack has no such output to read instead; deploy and status read this.",
            )


def stack_name(manifest: Manifest, environment: str) -> str:
    """The CloudFormation stack of one environment."""
    return resolve(manifest, environment).stack_name
