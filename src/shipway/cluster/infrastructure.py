"""ECS cluster with Container Insights (enhanced) and the capacity its services ask for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from constructs import Construct

from shipway.compliance import acknowledge, skip_checkov

if TYPE_CHECKING:
    from shipway.manifest.service import Ec2Capacity
    from shipway.network.infrastructure import Network


class Cluster(Construct):
    """One cluster per environment; Fargate always, EC2 capacity per service that asks; ECS
    Exec's session settings when a service has it on."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        network: Network,
        namespace: str,
        execute_command: ecs.ExecuteCommandConfiguration | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.network = network
        self.cluster = ecs.Cluster(
            self,
            "Cluster",
            vpc=network.vpc,
            container_insights_v2=ecs.ContainerInsights.ENHANCED,
            enable_fargate_capacity_providers=True,
            execute_command_configuration=execute_command,
        )
        # Service Connect needs a namespace; backends register in it, every service can call.
        self.cluster.add_default_cloud_map_namespace(name=namespace, use_for_service_connect=True)

    def add_ec2_capacity(self, name: str, capacity: Ec2Capacity) -> ecs.AsgCapacityProvider:
        """An Auto Scaling group capacity provider spread over the AZs, for one service."""
        role = iam.Role(
            self,
            f"{name}InstanceRole",
            assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"),
            description=f"container instances of service {name}",
        )
        # A launch template: launch configurations are in maintenance mode and unavailable to
        # new accounts (cfn-lint W3697).
        template = ec2.LaunchTemplate(
            self,
            f"{name}LaunchTemplate",
            instance_type=ec2.InstanceType(capacity.instance_type),
            machine_image=ecs.EcsOptimizedImage.amazon_linux2023(),
            user_data=ec2.UserData.for_linux(),  # the cluster adds the ECS agent's settings
            role=role,
            require_imdsv2=True,
            security_group=ec2.SecurityGroup(
                self,
                f"{name}InstanceSecurityGroup",
                vpc=self.network.vpc,
                description=f"container instances of service {name}: tasks have their own",
            ),
            block_devices=[
                ec2.BlockDevice(
                    device_name="/dev/xvda",
                    volume=ec2.BlockDeviceVolume.ebs(
                        30, encrypted=True, volume_type=ec2.EbsDeviceVolumeType.GP3
                    ),
                )
            ],
        )
        group = autoscaling.AutoScalingGroup(
            self,
            f"{name}Instances",
            vpc=self.network.vpc,
            vpc_subnets=self.network.service_subnets,
            launch_template=template,
            min_capacity=capacity.min_instances,
            max_capacity=capacity.max_instances,
            new_instances_protected_from_scale_in=False,
        )
        provider = ecs.AsgCapacityProvider(
            self,
            f"{name}Capacity",
            auto_scaling_group=group,
            enable_managed_termination_protection=False,
            enable_managed_scaling=True,
            # ECS drains instances itself; without this CDK adds a Lambda hook to do it.
            enable_managed_draining=True,
        )
        self.cluster.add_asg_capacity_provider(provider)
        self._acknowledge_instance_role(group, role)
        return provider

    @staticmethod
    def _acknowledge_instance_role(group: autoscaling.AutoScalingGroup, role: iam.Role) -> None:
        acknowledge(
            group,
            "AS3",
            "Scaling events are visible in the ECS service events and "
            "Container Insights; the environment's alarms page on their effects.",
        )
        agent = (
            "The ECS agent's own policy, as ECS documents it: DiscoverPollEndpoint, "
            "GetAuthorizationToken and log writes accept only Resource '*'; Submit* is "
            "scoped to this cluster's ARN."
        )
        acknowledge(role, "IAM5[Resource::*]", agent)
        acknowledge(role, "IAM5[Action::ecs:Submit*]", agent)
        policy = role.node.try_find_child("DefaultPolicy")
        if policy is not None:
            skip_checkov(policy, "CKV_AWS_111", agent)
