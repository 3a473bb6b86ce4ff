"""Compliance gates (cdk-nag, cfn-lint, checkov) and in-code acknowledgements beside constructs."""

from shipway.compliance.acknowledge import acknowledge, ignore_cfn_lint, skip_checkov

__all__ = ["acknowledge", "ignore_cfn_lint", "skip_checkov"]
