"""Locating the CDK CLI and running it against an assembly shipway synthesized."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from shipway.errors import MissingToolError, UserError
from shipway.image.commands import run_streaming
from shipway.node_runtime import node_environment, pinned_node

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

PROJECT_ROOT = Path(__file__).resolve().parents[3]
PINNED_CLI = PROJECT_ROOT / "tools" / "cdk-cli" / "node_modules" / ".bin" / "cdk"


def cdk_command() -> list[str]:
    """argv that starts the pinned CDK CLI on the pinned Node; a clear error if either is missing.

    The CLI is started through Node explicitly, not through its `#!/usr/bin/env node` line, so
    the Node on PATH (often an end-of-life one) never runs it."""
    node = pinned_node()
    if PINNED_CLI.exists():
        return [str(node), str(PINNED_CLI)]
    found = shutil.which("cdk")
    if found is None:
        raise MissingToolError(
            "the AWS CDK CLI is not installed: run 'make setup' or 'npm install -g aws-cdk'"
        )
    return [str(node), str(Path(found).resolve())]


def cdk_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The CLI's environment: the pinned Node first on PATH, its compile cache, no telemetry,
    no version check, no colours (shipway prints the CLI's lines as they come)."""
    environ = os.environ if environ is None else environ
    return {
        **environ,
        **node_environment(environ),
        "CDK_DISABLE_CLI_TELEMETRY": "true",
        "CDK_DISABLE_VERSION_CHECK": "true",
        "NO_COLOR": "1",
    }


def require_credentials() -> None:
    """Fail clearly, before the CLI does, when no AWS credentials are configured."""
    import boto3

    if boto3.Session().get_credentials() is None:
        raise UserError(
            "no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY, or run 'aws sso login'"
        )


def run_cdk(
    action: str,
    *arguments: str,
    assembly: Path | None = None,
    on_line: Callable[[str], None] = print,
) -> tuple[int, list[str]]:
    """Run `cdk <action> [--app assembly] <arguments>`, each output line to on_line; return the
    exit status and the whole output (to read what the CLI decided, e.g. "(no changes)")."""
    argv = [*cdk_command(), action]
    if assembly is not None:
        argv += ["--app", str(assembly)]
    environment = cdk_environment()
    lines: list[str] = []

    def keep(line: str) -> None:
        lines.append(line)
        on_line(line)

    status, _ = run_streaming([*argv, *arguments], on_line=keep, env=environment)
    return status, lines
