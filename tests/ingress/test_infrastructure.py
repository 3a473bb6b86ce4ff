"""The shared load balancer: HTTP or HTTPS per domain, access logs, the WAF, routing and target
group health checks."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from aws_cdk.assertions import Match

if TYPE_CHECKING:
    from aws_cdk.assertions import Template


def test_http_only_without_domain_https_with_redirect_on_prod(
    core_test: Template, core_prod: Template
) -> None:
    core_test.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::Listener", {"Port": 80, "Protocol": "HTTP"}
    )
    core_test.resource_count_is("AWS::ElasticLoadBalancingV2::Listener", 1)
    core_prod.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::Listener",
        {"Port": 443, "Protocol": "HTTPS", "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"},
    )
    core_prod.has_resource_properties(
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
    core_prod.has_resource_properties(
        "AWS::CertificateManager::Certificate", {"DomainName": "shop.example.com"}
    )
    core_prod.has_resource_properties(
        "AWS::Route53::RecordSet", {"Name": "shop.example.com.", "Type": "A"}
    )


def test_load_balancer_logs_encrypted_and_is_firewalled(core_prod: Template) -> None:
    for attribute in (
        "access_logs.s3.enabled",
        "deletion_protection.enabled",
        "routing.http.drop_invalid_header_fields.enabled",
    ):
        core_prod.has_resource_properties(
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            {
                "Scheme": "internet-facing",
                "LoadBalancerAttributes": Match.array_with([{"Key": attribute, "Value": "true"}]),
            },
        )
    core_prod.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                ]
            }
        },
    )
    core_prod.has_resource_properties(
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
    core_prod.resource_count_is("AWS::WAFv2::WebACLAssociation", 1)


def test_target_group_uses_the_manifest_health_check(core_test: Template) -> None:
    core_test.has_resource_properties(
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
    core_test.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        {"Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/admin/*"]}}]},
    )


def test_express_load_balancer_is_behind_the_environments_waf(compute_test: Template) -> None:
    associations = compute_test.find_resources("AWS::WAFv2::WebACLAssociation")
    arns = json.dumps([a["Properties"]["ResourceArn"] for a in associations.values()])
    assert "Ingress.LoadBalancerArn" in arns or "IngressLoadBalancer" in arns  # the shared ALB
    assert "ECSManagedResourceArns.IngressPath.LoadBalancerArn" in arns  # Express's own
    assert len(associations) == 2
