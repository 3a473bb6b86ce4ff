"""An ECS service on Fargate, Fargate Spot or EC2: routing, scaling, deployment, alarms."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_elasticloadbalancingv2 as elbv2

from shipway.contract import service_url_variable
from shipway.manifest.names import pascal
from shipway.observability.alarms import (
    create_alarms,
    service_alarm_specs,
    target_alarm_specs,
)
from shipway.observability.slo import Indicators, web_service_slo
from shipway.service.deployment import deployment_options
from shipway.service.foundation import ServiceFoundation, ServicePlacement
from shipway.service.queue_scaling import backlog_per_task
from shipway.service.routing import web_target_group

if TYPE_CHECKING:
    from constructs import Construct

    from shipway.context import ServiceRuntime
    from shipway.manifest import ServicePlan


class ContainerService(ServiceFoundation):
    """One manifest service as an ECS service."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        service: ServicePlan,
        placement: ServicePlacement,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            service=service,
            placement=placement,
            description=f"service {service.name}: inbound only from the load balancer and callers",
        )
        spec = service.spec
        self.target_group: elbv2.ApplicationTargetGroup | None = None
        self.capacity: ecs.ScalableTaskCount | None = None
        self.indicators: Indicators | None = None
        if spec.type == "web" and placement.load_balancer is not None:
            self.target_group = web_target_group(self, spec=spec, vpc=placement.cluster.network.vpc)
        self.service = self._service()
        if service.execute_command:
            assert placement.exec_sessions is not None  # the app makes them for such a plan
            placement.exec_sessions.enable(
                self.service, self.task, readonly_root=spec.readonly_root_filesystem
            )
        self._route_and_scale()
        self.inject_own_configuration()
        self._alarms()
        self._slo_alarms()

    @property
    def url(self) -> str | None:
        balancer = self.placement.load_balancer
        if self.target_group is None or balancer is None:
            return None
        return f"{balancer.base_url}{self.spec.effective_routing.path}"

    def _service(self) -> ecs.BaseService:
        spec, placement = self.spec, self.placement
        common = deployment_options(self, spec=spec, alarm_prefix=self.physical_name)
        cluster = placement.cluster.cluster
        options = dict(
            cluster=cluster,
            task_definition=self.task.definition,
            desired_count=spec.desired_count(),
            service_name=self.physical_name,
            security_groups=[self.security_group],
            vpc_subnets=placement.cluster.network.service_subnets,
            health_check_grace_period=(
                cdk.Duration.seconds(spec.health_check.grace_period) if self.target_group else None
            ),
            propagate_tags=ecs.PropagatedTagSource.SERVICE,
            enable_ecs_managed_tags=True,
            min_healthy_percent=100,
            max_healthy_percent=200,
            service_connect_configuration=self._service_connect(),
            **common,
        )
        if spec.compute == "ec2":
            assert spec.ec2 is not None
            provider = placement.cluster.add_ec2_capacity(pascal(self.name), spec.ec2)
            return ecs.Ec2Service(
                self,
                "Service",
                **options,
                capacity_provider_strategies=[
                    ecs.CapacityProviderStrategy(
                        capacity_provider=provider.capacity_provider_name, weight=1
                    )
                ],
                placement_strategies=_placement(spec.ec2.placement),
            )
        strategies = None
        if spec.compute == "fargate_spot":
            # Keep one on-demand task as a floor so a Spot reclaim never empties the service.
            strategies = [
                ecs.CapacityProviderStrategy(capacity_provider="FARGATE", base=1, weight=1),
                ecs.CapacityProviderStrategy(capacity_provider="FARGATE_SPOT", weight=3),
            ]
        return ecs.FargateService(
            self,
            "Service",
            **options,
            assign_public_ip=False,
            capacity_provider_strategies=strategies,
        )

    def _service_connect(self) -> ecs.ServiceConnectProps:
        if self.spec.type == "backend":
            return ecs.ServiceConnectProps(
                services=[
                    ecs.ServiceConnectService(
                        port_mapping_name="http",
                        dns_name=self.name,
                        port=self.spec.port,
                        discovery_name=self.name,
                    )
                ]
            )
        return ecs.ServiceConnectProps()  # a client of the namespace only

    def _route_and_scale(self) -> None:
        if self.target_group is not None and self.placement.load_balancer is not None:
            balancer = self.placement.load_balancer
            routing = self.spec.effective_routing
            rule = balancer.route(
                name=pascal(self.name),
                target_group=self.target_group,
                priority=self.placement.route_priority,
                path_pattern=routing.path_pattern,
                host=routing.host,
            )
            self._attach(rule)
            self.security_group.add_ingress_rule(
                balancer.security_group,
                ec2.Port.tcp(self.spec.port),
                f"from the load balancer to {self.name}",
            )
            balancer.security_group.add_egress_rule(
                self.security_group, ec2.Port.tcp(self.spec.port), f"to {self.name}"
            )
        self._autoscaling()

    def _attach(self, rule: elbv2.ApplicationListenerRule) -> None:
        assert self.target_group is not None
        if self.spec.deployment.strategy in ("blue_green", "canary"):
            from shipway.service.deployment import blue_green_target

            target = blue_green_target(
                self,
                service=self.service,
                spec=self.spec,
                rule=rule,
                vpc=self.placement.cluster.network.vpc,
            )
            target.attach_to_application_target_group(self.target_group)
            return
        self.service.attach_to_application_target_group(self.target_group)

    def _autoscaling(self) -> None:
        scaling = self.spec.autoscaling
        if scaling is None:
            return
        self.capacity = capacity = self.service.auto_scale_task_count(
            min_capacity=scaling.min, max_capacity=scaling.max
        )
        if scaling.cpu:
            capacity.scale_on_cpu_utilization("Cpu", target_utilization_percent=scaling.cpu)
        if scaling.memory:
            capacity.scale_on_memory_utilization(
                "Memory", target_utilization_percent=scaling.memory
            )
        if scaling.requests_per_target and self.target_group is not None:
            capacity.scale_on_request_count(
                "Requests",
                requests_per_target=scaling.requests_per_target,
                target_group=self.target_group,
            )

    def scale_on_backlog(self, queue: str, backlog: cloudwatch.IMetric) -> None:
        """A worker's tasks follow the messages visible per running task (`queue_delay`)."""
        scaling = self.spec.autoscaling
        if scaling is None or scaling.queue_delay is None or self.capacity is None:
            return
        backlog_per_task(
            self.capacity,
            f"Backlog{pascal(queue)}",
            backlog=backlog,
            cluster_name=self.placement.cluster.cluster.cluster_name,
            service_name=self.physical_name,
            target=scaling.queue_delay.backlog_per_task,
        )

    def _alarms(self) -> None:
        if not self.spec.alarms.enabled:
            return
        specs = service_alarm_specs(
            self.spec.alarms,
            cluster_name=self.placement.cluster.cluster.cluster_name,
            service_name=self.physical_name,
        )
        if self.target_group is not None:
            specs += target_alarm_specs(self.target_group, self.spec.alarms)
        self.alarms = create_alarms(
            self,
            prefix=self.physical_name,
            specs=specs,
            topic=self.placement.topic,
            capability="service",
        )
        for alarm in self.alarms:  # deployment rollback names them: they must exist first
            self.service.node.add_dependency(alarm)

    def _slo_alarms(self) -> None:
        """Requests as the load balancer sees them (dashboard), and the SLO's alarms."""
        slo, balancer = self.spec.slo, self.placement.load_balancer
        if self.target_group is None or balancer is None:
            return
        self.indicators = web_service_slo(
            self,
            prefix=self.physical_name,
            slo=slo,
            load_balancer=balancer.load_balancer.load_balancer_full_name,
            target_group=self.target_group.target_group_full_name,
            topic=self.placement.topic,
        )

    def add_environment(self, name: str, value: str) -> None:
        """A plain (non-secret) environment variable for the container."""
        self.task.container.add_environment(name, value)

    def add_secret(self, name: str, secret: ecs.Secret) -> None:
        """An environment variable the execution role reads from Secrets Manager or SSM."""
        self.task.container.add_secret(name, secret)

    def connect(self, caller: ServiceRuntime) -> None:
        """Let another service call this one through Service Connect."""
        self.security_group.add_ingress_rule(
            caller.security_group, ec2.Port.tcp(self.spec.port), f"from service {caller.name}"
        )
        caller.add_environment(
            service_url_variable(self.name), f"http://{self.name}:{self.spec.port}"
        )


def _placement(kind: str) -> list[ecs.PlacementStrategy]:
    if kind == "spread":
        return [
            ecs.PlacementStrategy.spread_across_instances(),
            ecs.PlacementStrategy.spread_across(ecs.BuiltInAttributes.AVAILABILITY_ZONE),
        ]
    if kind == "binpack":
        return [ecs.PlacementStrategy.packed_by_memory()]
    return [ecs.PlacementStrategy.randomly()]
