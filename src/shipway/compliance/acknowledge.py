"""Acknowledging a finding beside the construct it is about, with a reason a reviewer accepts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import aws_cdk as cdk

if TYPE_CHECKING:
    from constructs import IConstruct


def acknowledge(construct: IConstruct, rule: str, reason: str) -> None:
    """Acknowledge cdk-nag AwsSolutions rule (e.g. 'IAM5') on construct and its children."""
    cdk.Validations.of(construct).acknowledge(
        cdk.Acknowledgment(id=f"AwsSolutions-{rule}", reason=reason)
    )


def skip_checkov(construct: IConstruct, check: str, reason: str) -> None:
    """Record a checkov skip (e.g. 'CKV_AWS_18') in the CloudFormation resource's Metadata."""
    resource = _cfn_resource(construct)
    existing: Any = resource.get_metadata("checkov") or {"skip": []}
    existing["skip"] = [*existing["skip"], {"id": check, "comment": reason}]
    resource.add_metadata("checkov", existing)


def ignore_cfn_lint(construct: IConstruct, rule: str, reason: str) -> None:
    """Acknowledge a cfn-lint rule (e.g. 'W3005') on construct's resource, with the reason.

    cfn-lint reads `Metadata.cfn-lint.config.ignore_checks`; the reason stays beside it in the
    template for a reviewer (cfn-lint ignores keys it does not know).
    """
    resource = _cfn_resource(construct)
    existing: Any = resource.get_metadata("cfn-lint") or {"config": {"ignore_checks": []}}
    existing["config"]["ignore_checks"] = [*existing["config"]["ignore_checks"], rule]
    existing.setdefault("reasons", {})[rule] = reason
    resource.add_metadata("cfn-lint", existing)


def ignore_cfn_lint_in_template(stack: cdk.Stack, rule: str, reason: str) -> None:
    """Acknowledge a cfn-lint rule for the whole template, with the reason: for rules about
    parts of a template that carry no metadata of their own (outputs)."""
    metadata: Any = stack.template_options.metadata or {}
    entry = metadata.setdefault("cfn-lint", {"config": {"ignore_checks": []}})
    entry["config"]["ignore_checks"] = [*entry["config"]["ignore_checks"], rule]
    entry.setdefault("reasons", {})[rule] = reason
    stack.template_options.metadata = metadata


def _cfn_resource(construct: IConstruct) -> cdk.CfnResource:
    if isinstance(construct, cdk.CfnResource):
        return construct
    child = construct.node.default_child
    if isinstance(child, cdk.CfnResource):
        return child
    raise TypeError(f"{construct.node.path} has no CloudFormation resource to annotate")
