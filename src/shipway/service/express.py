"""A web service on ECS Express Mode (AWS::ECS::ExpressGatewayService), App Runner's successor."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam

from shipway.compliance import acknowledge
from shipway.contract import service_url_variable
from shipway.observability.alarms import create_alarms, service_alarm_specs
from shipway.observability.slo import web_service_slo
from shipway.service.foundation import ServiceFoundation

if TYPE_CHECKING:
    from constructs import Construct

    from shipway.context import ServiceRuntime
    from shipway.manifest import ServicePlan
    from shipway.service.foundation import ServicePlacement

INFRASTRUCTURE_POLICY = "service-role/AmazonECSInfrastructureRoleforExpressGatewayServices"


class ExpressService(ServiceFoundation):
    """Express Mode provisions its own load balancer, target group and scaling policies."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        service: ServicePlan,
        placement: ServicePlacement,
    ) -> None:
        # The task definition gives us roles and a log group; Express takes the container
        # settings inline.
        super().__init__(
            scope,
            construct_id,
            service=service,
            placement=placement,
            description=f"express service {service.name}",
        )
        spec = service.spec
        self.target_group = None
        self._environment: dict[str, str] = dict(spec.environment)
        self._secrets: dict[str, str] = {}
        self.service = self._service()
        if placement.firewall is not None:  # the load balancer Express Mode made for it
            placement.firewall.protect(
                self, self.service.attr_ecs_managed_resource_arns_ingress_path_load_balancer_arn
            )
        self.inject_own_configuration()
        if spec.alarms.enabled:
            create_alarms(
                self,
                prefix=self.physical_name,
                topic=placement.topic,
                capability="service",
                specs=service_alarm_specs(
                    spec.alarms,
                    cluster_name=placement.cluster.cluster.cluster_name,
                    service_name=self.physical_name,
                ),
            )

        self._slo_alarms()

    def _slo_alarms(self) -> None:
        """Requests as the load balancer Express Mode made sees them, and the SLO's alarms."""
        slo, managed = self.spec.slo, self.service
        # Metric dimensions are the ARNs' tails: app/<name>/<id> and targetgroup/<name>/<id>.
        balancer = cdk.Fn.select(
            1,
            cdk.Fn.split(
                "loadbalancer/",
                managed.attr_ecs_managed_resource_arns_ingress_path_load_balancer_arn,
            ),
        )
        target_groups = managed.attr_ecs_managed_resource_arns_ingress_path_target_group_arns
        target_group = cdk.Fn.select(5, cdk.Fn.split(":", cdk.Fn.select(0, target_groups)))
        self.indicators = web_service_slo(
            self,
            prefix=self.physical_name,
            slo=slo,
            load_balancer=balancer,
            target_group=target_group,
            topic=self.placement.topic,
        )

    @property
    def url(self) -> str:
        return f"https://{self.service.attr_endpoint}"

    def _infrastructure_role(self) -> iam.Role:
        role = iam.Role(
            self,
            "InfrastructureRole",
            assumed_by=iam.ServicePrincipal("ecs.amazonaws.com"),
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name(INFRASTRUCTURE_POLICY)
            ],
        )
        acknowledge(
            role,
            f"IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/{INFRASTRUCTURE_POLICY}]",
            "Express Mode requires AWS's infrastructure role policy to "
            "create the load balancer, target groups and scaling policies it manages.",
        )
        return role

    def _service(self) -> ecs.CfnExpressGatewayService:
        spec, placement = self.spec, self.placement
        network = placement.cluster.network
        return ecs.CfnExpressGatewayService(
            self,
            "Service",
            service_name=self.physical_name,
            cluster=placement.cluster.cluster.cluster_name,
            cpu=str(spec.cpu),
            memory=str(spec.memory),
            execution_role_arn=self.execution_role.role_arn,
            infrastructure_role_arn=self._infrastructure_role().role_arn,
            task_role_arn=self.task_role.role_arn,
            health_check_path=spec.health_check.path,
            # Public subnets make Express Mode's load balancer internet-facing.
            network_configuration=ecs.CfnExpressGatewayService.ExpressGatewayServiceNetworkConfigurationProperty(
                subnets=network.vpc.select_subnets(subnet_group_name="public").subnet_ids,
                security_groups=[self.security_group.security_group_id],
            ),
            primary_container=self._container(),
            scaling_target=self._scaling_target(),
        )

    def _scaling_target(self) -> ecs.CfnExpressGatewayService.ExpressGatewayScalingTargetProperty:
        spec, scaling = self.spec, self.spec.autoscaling
        if scaling is None:
            return ecs.CfnExpressGatewayService.ExpressGatewayScalingTargetProperty(
                min_task_count=spec.count, max_task_count=spec.count
            )
        # The plan leaves exactly one metric set (shipway.manifest.express).
        metric, target = next(
            (metric, value)
            for metric, value in (
                ("AVERAGE_CPU", scaling.cpu),
                ("AVERAGE_MEMORY", scaling.memory),
                ("REQUEST_COUNT_PER_TARGET", scaling.requests_per_target),
            )
            if value is not None
        )
        return ecs.CfnExpressGatewayService.ExpressGatewayScalingTargetProperty(
            min_task_count=scaling.min,
            max_task_count=scaling.max,
            auto_scaling_metric=metric,
            auto_scaling_target_value=target,
        )

    def _container(self) -> ecs.CfnExpressGatewayService.ExpressGatewayContainerProperty:
        express = ecs.CfnExpressGatewayService
        return express.ExpressGatewayContainerProperty(
            image=self.image.uri,
            command=self.spec.command,
            container_port=self.spec.port,
            aws_logs_configuration=express.ExpressGatewayServiceAwsLogsConfigurationProperty(
                log_group=self.task.log_group.log_group_name, log_stream_prefix=self.name
            ),
            environment=[
                express.KeyValuePairProperty(name=name, value=value)
                for name, value in sorted(self._environment.items())
            ]
            or None,
            secrets=[
                express.SecretProperty(name=name, value_from=arn)
                for name, arn in sorted(self._secrets.items())
            ]
            or None,
        )

    def add_environment(self, name: str, value: str) -> None:
        self._environment[name] = value
        self.service.primary_container = self._container()

    def add_secret(self, name: str, secret: ecs.Secret) -> None:
        secret.grant_read(self.execution_role)
        self._secrets[name] = secret.arn
        self.service.primary_container = self._container()

    def connect(self, caller: ServiceRuntime) -> None:
        caller.add_environment(service_url_variable(self.name), self.url)
