"""Commands that act on an AWS account: diff, deploy, destroy (through the pinned CDK CLI)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shipway.cli.app import app, errors
from shipway.cli.common import (
    EnvOption,
    ManifestPath,
    Steps,
    one_environment,
    read_manifest,
    user_errors,
)
from shipway.errors import GateFailedError, UserError
from shipway.manifest import resolve


def _cdk(action: str, file: Path | None, env: str | None, extra: list[str]) -> None:
    from shipway.deploy.cdk_cli import cdk_executable, require_credentials, run_cdk
    from shipway.synthesis import synthesize

    manifest = read_manifest(file)
    name = one_environment(manifest, env)
    plan = resolve(manifest, name)
    cdk_executable()
    require_credentials()
    out = Path("cdk.out")
    steps = Steps(errors)
    result = synthesize(manifest, [name], outdir=out, step=steps.step)
    if result.nag:
        raise GateFailedError(f"{len(result.nag)} cdk-nag finding(s): run 'shipway check'")
    status = run_cdk(action, assembly=out, stack=plan.stack_name, extra=extra)
    if status:
        raise typer.Exit(status)


@app.command()
@user_errors
def diff(file: ManifestPath = None, env: EnvOption = None) -> None:
    """Show what a deploy would change (cdk diff)."""
    _cdk("diff", file, env, [])


@app.command()
@user_errors
def deploy(
    file: ManifestPath = None,
    env: EnvOption = None,
    approve: Annotated[
        bool,
        typer.Option(
            "--approve", help="Confirm a deploy to an environment that requires approval."
        ),
    ] = False,
) -> None:
    """Deploy one environment (cdk deploy); environments with requires_approval need --approve."""
    manifest = read_manifest(file)
    name = one_environment(manifest, env)
    if resolve(manifest, name).requires_approval and not approve:
        raise UserError(
            f"environment '{name}' requires approval: review 'shipway diff --env "
            f"{name}', then run again with --approve"
        )
    _cdk("deploy", file, name, ["--require-approval", "never" if approve else "broadening"])


@app.command()
@user_errors
def destroy(
    file: ManifestPath = None,
    env: EnvOption = None,
    force: Annotated[bool, typer.Option("--force", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete one environment's stack (cdk destroy); retained data stays."""
    _cdk("destroy", file, env, ["--force"] if force else [])
