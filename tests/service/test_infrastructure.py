"""ECS services: tasks, health checks, security groups, deployments, scaling, Service Connect,
every compute kind."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk.assertions import Match

from tests.data.acceptance import container

if TYPE_CHECKING:
    from aws_cdk.assertions import Template


def test_services_accept_only_the_load_balancer_on_their_port(core_test: Template) -> None:
    ingress = core_test.find_resources("AWS::EC2::SecurityGroupIngress")
    ports = sorted(
        {
            (rule["Properties"]["FromPort"], rule["Properties"]["ToPort"])
            for rule in ingress.values()
        }
    )
    assert ports == [(8000, 8000), (8080, 8080)]
    for rule in ingress.values():
        assert "SourceSecurityGroupId" in rule["Properties"]
        assert "CidrIp" not in rule["Properties"]


def test_every_service_has_a_container_health_check(core_test: Template) -> None:
    definitions = core_test.find_resources("AWS::ECS::TaskDefinition").values()
    checks = [d["Properties"]["ContainerDefinitions"][0]["HealthCheck"] for d in definitions]
    assert len(checks) == 3  # web, admin and the backend api
    for check in checks:
        assert check["Command"][0] == "CMD-SHELL"
        assert "curl" in check["Command"][1] and "python3" in check["Command"][1]
    api = next(c for c in checks if "127.0.0.1:8000/health" in c["Command"][1])
    assert (api["Interval"], api["Timeout"], api["Retries"]) == (15, 5, 3)


def test_task_runs_non_root_read_only_with_logs_and_secrets(core_test: Template) -> None:
    web = container(core_test, "LOG_LEVEL")
    assert web["User"] == "10001"
    assert web["ReadonlyRootFilesystem"] is True
    assert web["LogConfiguration"]["LogDriver"] == "awslogs"
    assert {"Name": "LOG_LEVEL", "Value": "info"} in web["Environment"]
    assert {"Name": "FEATURE_X", "Value": "true"} in web["Environment"]
    secret_names = {secret["Name"] for secret in web.get("Secrets", [])}
    assert {"STRIPE_KEY", "SIGNING_KEY"} <= secret_names
    assert all(entry["Name"] not in {"STRIPE_KEY", "SIGNING_KEY"} for entry in web["Environment"])
    assert {"Name": "SERVICE_API_URL", "Value": "http://api:8000"} in web["Environment"]
    for variable, value in (
        ("PORT", "8080"),
        ("SHIPWAY_APP", "storefront"),
        ("SHIPWAY_ENV", "test"),
        ("SHIPWAY_SERVICE", "web"),
    ):
        assert {"Name": variable, "Value": value} in web["Environment"]
    core_test.has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": 30})


def test_rolling_services_roll_back_on_circuit_breaker_and_alarms(core_test: Template) -> None:
    core_test.has_resource_properties(
        "AWS::ECS::Service",
        {
            "ServiceName": "storefront-test-web",
            "DeploymentConfiguration": Match.object_like(
                {
                    "DeploymentCircuitBreaker": {"Enable": True, "Rollback": True},
                    "Alarms": Match.object_like(
                        {
                            "Enable": True,
                            "Rollback": True,
                            "AlarmNames": [
                                "storefront-test-web-target-5xx",
                                "storefront-test-web-unhealthy-hosts",
                                "storefront-test-web-tasks-missing",
                            ],
                        }
                    ),
                }
            ),
        },
    )


def test_blue_green_service_has_an_alternate_target_group(core_test: Template) -> None:
    core_test.has_resource_properties(
        "AWS::ECS::Service",
        {
            "ServiceName": "storefront-test-admin",
            "DeploymentConfiguration": Match.object_like({"Strategy": "BLUE_GREEN"}),
            "LoadBalancers": [
                Match.object_like(
                    {
                        "AdvancedConfiguration": Match.object_like(
                            {"AlternateTargetGroupArn": Match.any_value()}
                        )
                    }
                )
            ],
        },
    )


def test_blue_green_bakes_for_the_manifest_s_time_in_each_environment(
    core_test: Template, core_prod: Template
) -> None:
    # GIVEN admin bakes 5m, and prod overrides only bake_time (1h), WHEN synthesized THEN
    # both are blue/green, each with its own bake time in minutes
    for template, minutes in ((core_test, 5), (core_prod, 60)):
        template.has_resource_properties(
            "AWS::ECS::Service",
            {
                "ServiceName": Match.string_like_regexp("^storefront-(test|prod)-admin$"),
                "DeploymentConfiguration": Match.object_like(
                    {"Strategy": "BLUE_GREEN", "BakeTimeInMinutes": minutes}
                ),
            },
        )


def test_backend_is_private_and_registered_in_service_connect(core_test: Template) -> None:
    core_test.has_resource_properties(
        "AWS::ECS::Service",
        {
            "ServiceName": "storefront-test-api",
            "LoadBalancers": Match.absent(),
            "ServiceConnectConfiguration": Match.object_like(
                {
                    "Enabled": True,
                    "Services": [
                        Match.object_like(
                            {
                                "DiscoveryName": "api",
                                "ClientAliases": [{"DnsName": "api", "Port": 8000}],
                            }
                        )
                    ],
                }
            ),
            "NetworkConfiguration": {
                "AwsvpcConfiguration": Match.object_like({"AssignPublicIp": "DISABLED"})
            },
        },
    )


def test_autoscaling_tracks_cpu_memory_and_requests_with_prod_override(
    core_test: Template, core_prod: Template
) -> None:
    core_test.has_resource_properties(
        "AWS::ApplicationAutoScaling::ScalableTarget", {"MinCapacity": 2, "MaxCapacity": 6}
    )
    core_prod.has_resource_properties(
        "AWS::ApplicationAutoScaling::ScalableTarget", {"MinCapacity": 3, "MaxCapacity": 12}
    )
    # exact targets: cpu 60 %, memory 70 %, 500 requests per target (the manifest's)
    policies = core_test.find_resources("AWS::ApplicationAutoScaling::ScalingPolicy").values()
    targets = {
        policy["Properties"]["TargetTrackingScalingPolicyConfiguration"][
            "PredefinedMetricSpecification"
        ]["PredefinedMetricType"]: policy["Properties"]["TargetTrackingScalingPolicyConfiguration"][
            "TargetValue"
        ]
        for policy in policies
    }
    assert targets == {
        "ECSServiceAverageCPUUtilization": 60,
        "ECSServiceAverageMemoryUtilization": 70,
        "ALBRequestCountPerTarget": 500,
    }


def test_prod_overrides_size_and_count_of_the_backend(core_prod: Template) -> None:
    core_prod.has_resource_properties(
        "AWS::ECS::Service", {"ServiceName": "storefront-prod-api", "DesiredCount": 3}
    )
    core_prod.has_resource_properties("AWS::ECS::TaskDefinition", {"Cpu": "512", "Memory": "1024"})


def test_tags_and_outputs(core_prod: Template) -> None:
    core_prod.has_resource_properties(
        "AWS::ECS::Cluster",
        {
            "Tags": Match.array_with(
                [
                    {"Key": "application", "Value": "storefront"},
                    {"Key": "environment", "Value": "prod"},
                    {"Key": "team", "Value": "sre"},
                ]
            )
        },
    )
    core_prod.has_resource_properties(
        "AWS::ECS::Service",
        {
            "ServiceName": "storefront-prod-web",
            "Tags": Match.array_with([{"Key": "service", "Value": "web"}]),
        },
    )
    outputs = core_prod.find_outputs("*")
    assert {"LoadBalancerDns", "WebUrl", "AdminUrl", "WebImage", "ApiImage"} <= set(outputs)
    assert outputs["WebUrl"]["Value"] == "https://shop.example.com/"


def test_spot_keeps_an_on_demand_floor_and_deploys_canary(compute_test: Template) -> None:
    compute_test.has_resource_properties(
        "AWS::ECS::Service",
        {
            "ServiceName": "computes-test-spot",
            "CapacityProviderStrategy": [
                {"CapacityProvider": "FARGATE", "Base": 1, "Weight": 1},
                {"CapacityProvider": "FARGATE_SPOT", "Weight": 3},
            ],
            "DeploymentConfiguration": Match.object_like({"Strategy": "CANARY"}),
        },
    )


def test_ec2_service_spreads_over_zones_on_its_capacity_provider(compute_test: Template) -> None:
    compute_test.has_resource_properties(
        "AWS::ECS::Service",
        {
            "ServiceName": "computes-test-fleet",
            "PlacementStrategies": [
                {"Type": "spread", "Field": "instanceId"},
                {"Type": "spread", "Field": "attribute:ecs.availability-zone"},
            ],
            "DeploymentConfiguration": Match.object_like({"Strategy": "BLUE_GREEN"}),
        },
    )
    compute_test.has_resource_properties(
        "AWS::ECS::CapacityProvider",
        {"AutoScalingGroupProvider": Match.object_like({"ManagedDraining": "ENABLED"})},
    )
    compute_test.has_resource_properties(
        "AWS::AutoScaling::AutoScalingGroup", {"MinSize": "2", "MaxSize": "4"}
    )
    compute_test.resource_count_is("AWS::Lambda::Function", 0)
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


def test_express_mode_service(compute_test: Template) -> None:
    # Regression: `cpu: null, memory: 50` used to synthesize CPU scaling at 60.
    compute_test.has_resource_properties(
        "AWS::ECS::ExpressGatewayService",
        {
            "ServiceName": "computes-test-express",
            "HealthCheckPath": "/_health",
            "Cpu": "256",
            "Memory": "512",
            "PrimaryContainer": Match.object_like({"ContainerPort": 8000}),
            "ScalingTarget": {
                "MinTaskCount": 1,
                "MaxTaskCount": 3,
                "AutoScalingMetric": "AVERAGE_MEMORY",
                "AutoScalingTargetValue": 50,
            },
        },
    )
