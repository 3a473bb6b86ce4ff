"""AWS WAF in front of the load balancer: AWS managed rule groups, logged."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from shipway.encryption.infrastructure import encrypted_log_group

MANAGED_RULE_GROUPS = (
    "AWSManagedRulesCommonRuleSet",  # OWASP-style common exploits
    "AWSManagedRulesKnownBadInputsRuleSet",  # Log4Shell and other known-bad payloads
)


class WebFirewall(Construct):
    """The environment's regional web ACL, logged; every public load balancer is associated."""

    def __init__(self, scope: Construct, construct_id: str, *, key: kms.IKey) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        self.web_acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            scope="REGIONAL",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=self._visibility(f"{stack.stack_name}-waf"),
            rules=[
                self._managed_rule(name, priority)
                for priority, name in enumerate(MANAGED_RULE_GROUPS)
            ],
        )
        # WAF requires the log group's name to start with aws-waf-logs-.
        log_group = encrypted_log_group(
            self,
            "Logs",
            log_group_name=f"aws-waf-logs-{stack.stack_name}",
            key=key,
            retention=logs.RetentionDays.THREE_MONTHS,
        )
        wafv2.CfnLoggingConfiguration(
            self,
            "Logging",
            resource_arn=self.web_acl.attr_arn,
            log_destination_configs=[log_group.log_group_arn],
        )

    def protect(self, scope: Construct, load_balancer_arn: str) -> None:
        """Put the load balancer (the shared one, or an Express service's) behind the ACL."""
        wafv2.CfnWebACLAssociation(
            scope,
            "WebAclAssociation",
            resource_arn=load_balancer_arn,
            web_acl_arn=self.web_acl.attr_arn,
        )

    @staticmethod
    def _visibility(name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
        return wafv2.CfnWebACL.VisibilityConfigProperty(
            cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
        )

    def _managed_rule(self, name: str, priority: int) -> wafv2.CfnWebACL.RuleProperty:
        return wafv2.CfnWebACL.RuleProperty(
            name=name,
            priority=priority,
            override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
            statement=wafv2.CfnWebACL.StatementProperty(
                managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                    vendor_name="AWS", name=name
                )
            ),
            visibility_config=self._visibility(name),
        )
