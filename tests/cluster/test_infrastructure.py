"""The ECS cluster: Container Insights, Fargate capacity, EC2 capacity on launch templates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk.assertions import Match

if TYPE_CHECKING:
    from aws_cdk.assertions import Template


def test_cluster_has_enhanced_container_insights_and_service_connect(core_test: Template) -> None:
    core_test.has_resource_properties(
        "AWS::ECS::Cluster",
        {
            "ClusterSettings": [{"Name": "containerInsights", "Value": "enhanced"}],
            "ServiceConnectDefaults": {"Namespace": Match.any_value()},
        },
    )
    core_test.has_resource_properties(
        "AWS::ECS::ClusterCapacityProviderAssociations",
        {"CapacityProviders": ["FARGATE", "FARGATE_SPOT"]},
    )


def test_cluster_is_tagged_with_application_environment_and_manifest_tags(
    core_prod: Template,
) -> None:
    core_prod.has_resource_properties(
        "AWS::ECS::Cluster",
        {
            "Tags": [
                {"Key": "application", "Value": "storefront"},
                {"Key": "cost-center", "Value": "42"},
                {"Key": "environment", "Value": "prod"},
                {"Key": "team", "Value": "sre"},
            ]
        },
    )


def test_ec2_capacity_runs_on_a_launch_template_with_imdsv2_and_encrypted_gp3(
    compute_test: Template,
) -> None:
    compute_test.has_resource_properties(
        "AWS::ECS::CapacityProvider",
        {"AutoScalingGroupProvider": Match.object_like({"ManagedDraining": "ENABLED"})},
    )
    compute_test.has_resource_properties(
        "AWS::AutoScaling::AutoScalingGroup", {"MinSize": "2", "MaxSize": "4"}
    )
    # A launch template, not a launch configuration (maintenance mode, cfn-lint W3697).
    compute_test.resource_count_is("AWS::AutoScaling::LaunchConfiguration", 0)
    compute_test.has_resource_properties(
        "AWS::EC2::LaunchTemplate",
        {
            "LaunchTemplateData": Match.object_like(
                {
                    "InstanceType": "t3.small",
                    "MetadataOptions": {"HttpTokens": "required"},
                    "BlockDeviceMappings": [
                        Match.object_like(
                            {"Ebs": Match.object_like({"Encrypted": True, "VolumeType": "gp3"})}
                        )
                    ],
                }
            )
        },
    )
    compute_test.resource_count_is("AWS::Lambda::Function", 0)  # no drain hook Lambda
