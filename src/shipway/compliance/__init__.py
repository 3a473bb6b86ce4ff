"""Compliance gates (cdk-nag, cfn-lint, checkov) and in-code acknowledgements beside constructs."""

from shipway.compliance.acknowledge import acknowledge, skip_checkov

__all__ = ["acknowledge", "skip_checkov"]
