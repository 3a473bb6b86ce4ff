"""Locating the CDK CLI and running it against an assembly shipway synthesized."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from shipway.errors import MissingToolError, UserError

PROJECT_ROOT = Path(__file__).resolve().parents[3]
PINNED_CLI = PROJECT_ROOT / "tools" / "cdk-cli" / "node_modules" / ".bin" / "cdk"


def cdk_executable() -> str:
    """The pinned CDK CLI, else one on PATH; a clear error if Node or the CLI is missing."""
    if shutil.which("node") is None:
        raise MissingToolError(
            "Node.js is not installed; the CDK CLI needs it "
            "(install Node 20 or newer, e.g. 'apt-get install nodejs')"
        )
    if PINNED_CLI.exists():
        return str(PINNED_CLI)
    found = shutil.which("cdk")
    if found is None:
        raise MissingToolError(
            "the AWS CDK CLI is not installed: run 'make setup' or 'npm install -g aws-cdk'"
        )
    return found


def require_credentials() -> None:
    """Fail clearly, before the CLI does, when no AWS credentials are configured."""
    import boto3

    if boto3.Session().get_credentials() is None:
        raise UserError(
            "no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY, or run 'aws sso login'"
        )


def run_cdk(action: str, *, assembly: Path, stack: str, extra: list[str]) -> int:
    """Run `cdk <action>` on stack from the synthesized assembly; return its exit status."""
    argv = [cdk_executable(), action, "--app", str(assembly), stack, *extra]
    environment = {
        **os.environ,
        "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
        "CDK_DISABLE_CLI_TELEMETRY": "true",
    }
    return subprocess.run(argv, env=environment, check=False).returncode  # noqa: S603
