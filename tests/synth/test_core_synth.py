"""The core acceptance manifest: two web services, one backend, test and prod."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from aws_cdk.assertions import Match, Template

from shipway.deploy.images import image_references
from shipway.manifest import load_manifest, resolve
from tests.synth.conftest import DATA, template_json

if TYPE_CHECKING:
    from shipway.synthesis import SynthResult


@pytest.fixture(scope="module")
def test_env(core_synth: SynthResult) -> Template:
    return Template.from_json(template_json(core_synth, "test"))


@pytest.fixture(scope="module")
def prod_env(core_synth: SynthResult) -> Template:
    return Template.from_json(template_json(core_synth, "prod"))


def test_one_stack_per_environment_and_no_nag_findings(core_synth: SynthResult) -> None:
    assert [stack.name for stack in core_synth.stacks] == ["storefront-test", "storefront-prod"]
    assert core_synth.nag == []
    assert any("test: no domain configured" in warning for warning in core_synth.warnings)
    assert not any(warning.startswith("prod:") for warning in core_synth.warnings)


def test_network_spans_the_zones_with_three_tiers_nat_flow_logs_endpoints(
    test_env: Template, prod_env: Template
) -> None:
    test_env.resource_count_is("AWS::EC2::Subnet", 6)
    prod_env.resource_count_is("AWS::EC2::Subnet", 9)
    test_env.resource_count_is("AWS::EC2::NatGateway", 1)
    prod_env.resource_count_is("AWS::EC2::NatGateway", 3)
    test_env.has_resource_properties("AWS::EC2::FlowLog", {"TrafficType": "ALL"})
    endpoints = test_env.find_resources("AWS::EC2::VPCEndpoint")
    names = json.dumps([resource["Properties"]["ServiceName"] for resource in endpoints.values()])
    assert ".s3" in names and ".dynamodb" in names
    test_env.has_resource_properties("AWS::EC2::Subnet", {"MapPublicIpOnLaunch": False})


def test_cluster_has_enhanced_container_insights(test_env: Template) -> None:
    test_env.has_resource_properties(
        "AWS::ECS::Cluster",
        {"ClusterSettings": [{"Name": "containerInsights", "Value": "enhanced"}]},
    )


def test_http_only_without_domain_https_with_redirect_on_prod(
    test_env: Template, prod_env: Template
) -> None:
    test_env.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::Listener", {"Port": 80, "Protocol": "HTTP"}
    )
    test_env.resource_count_is("AWS::ElasticLoadBalancingV2::Listener", 1)
    prod_env.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::Listener",
        {"Port": 443, "Protocol": "HTTPS", "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"},
    )
    prod_env.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::Listener",
        {
            "Port": 80,
            "DefaultActions": [
                Match.object_like(
                    {
                        "Type": "redirect",
                        "RedirectConfig": Match.object_like({"Port": "443", "Protocol": "HTTPS"}),
                    }
                )
            ],
        },
    )
    prod_env.has_resource_properties(
        "AWS::CertificateManager::Certificate", {"DomainName": "shop.example.com"}
    )
    prod_env.has_resource_properties(
        "AWS::Route53::RecordSet", {"Name": "shop.example.com.", "Type": "A"}
    )


def test_load_balancer_logs_encrypted_and_is_firewalled(prod_env: Template) -> None:
    for attribute in (
        "access_logs.s3.enabled",
        "deletion_protection.enabled",
        "routing.http.drop_invalid_header_fields.enabled",
    ):
        prod_env.has_resource_properties(
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            {
                "Scheme": "internet-facing",
                "LoadBalancerAttributes": Match.array_with([{"Key": attribute, "Value": "true"}]),
            },
        )
    prod_env.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                ]
            }
        },
    )
    prod_env.has_resource_properties(
        "AWS::WAFv2::WebACL",
        {
            "Scope": "REGIONAL",
            "Rules": Match.array_with(
                [
                    Match.object_like(
                        {
                            "Statement": {
                                "ManagedRuleGroupStatement": {
                                    "VendorName": "AWS",
                                    "Name": "AWSManagedRulesCommonRuleSet",
                                }
                            }
                        }
                    )
                ]
            ),
        },
    )
    prod_env.resource_count_is("AWS::WAFv2::WebACLAssociation", 1)


def test_services_accept_only_the_load_balancer_on_their_port(test_env: Template) -> None:
    ingress = test_env.find_resources("AWS::EC2::SecurityGroupIngress")
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


def registry_json(result: SynthResult, environment: str) -> dict[str, Any]:
    registry = result.registry_of(environment)
    assert registry is not None
    loaded: dict[str, Any] = json.loads(registry.template.read_text(encoding="utf-8"))
    return loaded


def test_ecr_repositories_only_for_built_images_in_the_registry_stack(
    core_synth: SynthResult, test_env: Template
) -> None:
    # The repositories live in <app>-<env>-registry, deployed (and pushed to) before the
    # environment's stack, so a first deploy never waits on an image that cannot exist.
    test_env.resource_count_is("AWS::ECR::Repository", 0)
    registry = Template.from_json(registry_json(core_synth, "test"))
    registry.resource_count_is("AWS::ECR::Repository", 2)  # web and api; admin uses a URI
    registry.has_resource_properties(
        "AWS::ECR::Repository",
        {
            "RepositoryName": "storefront-test-web",
            "ImageScanningConfiguration": {"ScanOnPush": True},
            "ImageTagMutability": "IMMUTABLE",
            "LifecyclePolicy": Match.any_value(),
            "EncryptionConfiguration": Match.object_like({"EncryptionType": "KMS"}),
            "EmptyOnDelete": True,  # a test environment's destroy leaves nothing behind
        },
    )
    registry.has_output("WebRepositoryName", Match.any_value())


def test_prod_repositories_are_kept_under_names_a_retry_never_collides_with(
    core_synth: SynthResult,
) -> None:
    template = registry_json(core_synth, "prod")
    for repository in template["Resources"].values():
        assert repository["DeletionPolicy"] == "Retain"
        name = repository["Properties"]["RepositoryName"]["Fn::Join"][1]
        assert name[0].startswith("storefront-prod-")
        assert "AWS::StackId" in json.dumps(name[1])
        assert repository["Properties"].get("EmptyOnDelete", False) is False


def test_services_run_the_content_tag_of_their_sources(
    core_synth: SynthResult, test_env: Template
) -> None:
    manifest = load_manifest(DATA / "core" / "shipway.yml")
    tags = image_references(manifest, resolve(manifest, "test"))
    assert tags["web"].tag is not None and tags["web"].tag.startswith("src-")
    assert tags["admin"].uri is not None
    image = json.dumps(_container(test_env, "LOG_LEVEL")["Image"])
    assert f":{tags['web'].tag}" in image
    assert "ImportValue" in image  # the registry stack's repository, by reference


def test_every_service_has_a_container_health_check(test_env: Template) -> None:
    definitions = test_env.find_resources("AWS::ECS::TaskDefinition").values()
    checks = [d["Properties"]["ContainerDefinitions"][0]["HealthCheck"] for d in definitions]
    assert len(checks) == 3  # web, admin and the backend api
    for check in checks:
        assert check["Command"][0] == "CMD-SHELL"
        assert "curl" in check["Command"][1] and "python3" in check["Command"][1]
    api = next(c for c in checks if "127.0.0.1:8000/health" in c["Command"][1])
    assert (api["Interval"], api["Timeout"], api["Retries"]) == (15, 5, 3)


def _container(template: Template, fragment: str) -> dict[str, Any]:
    for definition in template.find_resources("AWS::ECS::TaskDefinition").values():
        container = definition["Properties"]["ContainerDefinitions"][0]
        if fragment in json.dumps(container):
            return dict(container)
    raise AssertionError(f"no container mentions {fragment}")


def test_task_runs_non_root_read_only_with_logs_and_secrets(test_env: Template) -> None:
    container = _container(test_env, "LOG_LEVEL")
    assert container["User"] == "10001"
    assert container["ReadonlyRootFilesystem"] is True
    assert container["LogConfiguration"]["LogDriver"] == "awslogs"
    assert {"Name": "LOG_LEVEL", "Value": "info"} in container["Environment"]
    assert {"Name": "FEATURE_X", "Value": "true"} in container["Environment"]
    secret_names = {secret["Name"] for secret in container.get("Secrets", [])}
    assert {"STRIPE_KEY", "SIGNING_KEY"} <= secret_names
    assert all(
        entry["Name"] not in {"STRIPE_KEY", "SIGNING_KEY"} for entry in container["Environment"]
    )
    assert {"Name": "SERVICE_API_URL", "Value": "http://api:8000"} in container["Environment"]
    for variable, value in (
        ("PORT", "8080"),
        ("SHIPWAY_APP", "storefront"),
        ("SHIPWAY_ENV", "test"),
        ("SHIPWAY_SERVICE", "web"),
    ):
        assert {"Name": variable, "Value": value} in container["Environment"]
    test_env.has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": 30})


def test_target_group_uses_the_manifest_health_check(test_env: Template) -> None:
    test_env.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        {
            "HealthCheckPath": "/health",
            "Matcher": {"HttpCode": "200-299"},
            "HealthCheckIntervalSeconds": 10,
            "HealthCheckTimeoutSeconds": 4,
            "TargetType": "ip",
            "Port": 8080,
        },
    )
    test_env.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        {"Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/admin/*"]}}]},
    )


def test_rolling_services_roll_back_on_circuit_breaker_and_alarms(test_env: Template) -> None:
    test_env.has_resource_properties(
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


def test_blue_green_service_has_an_alternate_target_group(test_env: Template) -> None:
    test_env.has_resource_properties(
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


def test_backend_is_private_and_registered_in_service_connect(test_env: Template) -> None:
    test_env.has_resource_properties(
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
    test_env: Template, prod_env: Template
) -> None:
    test_env.has_resource_properties(
        "AWS::ApplicationAutoScaling::ScalableTarget", {"MinCapacity": 2, "MaxCapacity": 6}
    )
    prod_env.has_resource_properties(
        "AWS::ApplicationAutoScaling::ScalableTarget", {"MinCapacity": 3, "MaxCapacity": 12}
    )
    metrics = json.dumps(test_env.find_resources("AWS::ApplicationAutoScaling::ScalingPolicy"))
    for metric in (
        "ECSServiceAverageCPUUtilization",
        "ECSServiceAverageMemoryUtilization",
        "ALBRequestCountPerTarget",
    ):
        assert metric in metrics


def test_prod_overrides_size_and_count_of_the_backend(prod_env: Template) -> None:
    prod_env.has_resource_properties(
        "AWS::ECS::Service", {"ServiceName": "storefront-prod-api", "DesiredCount": 3}
    )
    prod_env.has_resource_properties("AWS::ECS::TaskDefinition", {"Cpu": "512", "Memory": "1024"})


ALARM_SUFFIXES = (
    "target-5xx",
    "target-4xx",
    "target-3xx",
    "response-time-p99",
    "cpu-high",
    "cpu-low",
    "memory-high",
    "memory-low",
    "unhealthy-hosts",
    "tasks-missing",
)


def test_every_web_service_has_the_alarm_set_with_reasons(prod_env: Template) -> None:
    alarms = prod_env.find_resources("AWS::CloudWatch::Alarm")
    by_name = {alarm["Properties"]["AlarmName"]: alarm["Properties"] for alarm in alarms.values()}
    for service in ("web", "admin"):
        for suffix in ALARM_SUFFIXES:
            alarm = by_name[f"storefront-prod-{service}-{suffix}"]
            assert alarm["AlarmDescription"].startswith("Why: ")
            assert "First: " in alarm["AlarmDescription"]
            assert alarm["AlarmActions"] and alarm["OKActions"]
    assert "storefront-prod-elb-5xx" in by_name
    assert by_name["storefront-prod-web-response-time-p99"]["Threshold"] == 0.8
    assert by_name["storefront-prod-web-response-time-p99"]["ExtendedStatistic"] == "p99"


def test_alarm_topic_is_encrypted_with_email(prod_env: Template, test_env: Template) -> None:
    prod_env.has_resource_properties("AWS::SNS::Topic", {"KmsMasterKeyId": Match.any_value()})
    prod_env.has_resource_properties(
        "AWS::SNS::Subscription", {"Protocol": "email", "Endpoint": "oncall@example.com"}
    )
    test_env.resource_count_is("AWS::SNS::Subscription", 0)


def test_tags_and_outputs(prod_env: Template) -> None:
    prod_env.has_resource_properties(
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
    prod_env.has_resource_properties(
        "AWS::ECS::Service",
        {
            "ServiceName": "storefront-prod-web",
            "Tags": Match.array_with([{"Key": "service", "Value": "web"}]),
        },
    )
    outputs = prod_env.find_outputs("*")
    assert {"LoadBalancerDns", "WebUrl", "AdminUrl", "WebImage", "ApiImage"} <= set(
        outputs
    )
    assert outputs["WebUrl"]["Value"] == "https://shop.example.com/"


def test_prod_keeps_data_test_does_not(prod_env: Template, test_env: Template) -> None:
    prod_env.has_resource("AWS::KMS::Key", {"DeletionPolicy": "Retain"})
    test_env.has_resource("AWS::KMS::Key", {"DeletionPolicy": "Delete"})
