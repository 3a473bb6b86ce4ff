"""The CDK app every shipway stack is synthesized in: checked by cdk-nag as it synthesizes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks

if TYPE_CHECKING:
    from pathlib import Path


def checked_app(outdir: Path, context: dict[str, Any] | None = None) -> cdk.App:
    """A CDK app writing to outdir, with cdk-nag's AWS Solutions rules as a validation plugin.

    The CDK's built-in CloudFormation validation is off: it runs cfn-lint's rules compiled to
    WebAssembly on every synth, which cost 7 s of a 5-service synth's 24 s of Node CPU (4.8 s of
    it starting its engine) and duplicates the cfn-lint that `shipway check` runs on every
    template anyway (docs/performance.md).
    """
    app = cdk.App(
        outdir=str(outdir),
        analytics_reporting=False,
        context=context,
        builtin_cloud_formation_validation=False,
    )
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return app
