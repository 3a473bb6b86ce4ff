"""The shipway command line: thin commands that parse flags, call the units, print with Rich."""

from __future__ import annotations

import sys
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console

from shipway.errors import GateFailedError, UserError
from shipway.manifest import Manifest, ManifestError, UnknownEnvironmentError, load_manifest

if TYPE_CHECKING:
    from collections.abc import Callable

    from shipway.synthesis import SynthResult

app = typer.Typer(
    name="shipway",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Describe an application in shipway.yml; validate, synthesize, check, deploy it to AWS, "
    "or run it on this machine.",
)
console = Console(soft_wrap=True)
errors = Console(stderr=True)

ManifestPath = Annotated[
    Path, typer.Option("--file", "-f", help="The manifest.", show_default=True)
]
EnvName = Annotated[str, typer.Option("--env", "-e", help="Environment name from the manifest.")]

P = ParamSpec("P")
R = TypeVar("R")


def user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn errors a user can fix into one clear line and exit status 2 (gates: 1)."""

    @wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except ManifestError as error:
            for issue in error.issues:
                errors.print(str(issue), markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except (UserError, UnknownEnvironmentError) as error:
            errors.print(f"error: {error}", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except GateFailedError as error:
            errors.print(str(error), markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None

    return run


def read_manifest(path: Path) -> Manifest:
    """Load the manifest the user named."""
    return load_manifest(path)


@app.command()
@user_errors
def validate(file: ManifestPath = Path("shipway.yml")) -> None:
    """Check a manifest; print every problem as file:line:column and exit 2, or exit 0."""
    manifest = read_manifest(file)
    application = manifest.application
    console.print(
        f"[green]✓[/] {file}: application '{application.name}', "
        f"{len(application.environments)} environment(s), "
        f"{len(application.services)} service(s)"
    )


@app.command()
@user_errors
def schema(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of standard output."),
    ] = None,
) -> None:
    """Print the JSON Schema of shipway.yml, for editors."""
    from shipway.manifest.schema import schema_json

    text = schema_json()
    if output is None:
        sys.stdout.write(text + "\n")
    else:
        output.write_text(text + "\n", encoding="utf-8")
        console.print(f"wrote {output}")


@app.command()
@user_errors
def init(
    file: ManifestPath = Path("shipway.yml"),
    name: Annotated[str, typer.Option(help="Application name.")] = "my-app",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter shipway.yml."""
    from shipway.manifest.starter import starter_manifest

    if file.exists() and not force:
        raise UserError(f"{file} exists; pass --force to overwrite it")
    file.write_text(starter_manifest(name), encoding="utf-8")
    console.print(f"wrote {file}: edit it, then run 'shipway validate -f {file}'")


OutDir = Annotated[Path, typer.Option("--out", "-o", help="Where to write the cloud assembly.")]
ImageTag = Annotated[
    str,
    typer.Option(
        "--image-tag", help="Tag of images built from source (pushed to each service's ECR)."
    ),
]


def _environments(manifest: Manifest, env: str | None, all_envs: bool) -> list[str]:
    if all_envs:
        return list(manifest.application.environments)
    if env is None:
        raise UserError(
            "name an environment with --env (or pass --all-envs); defined: "
            + ", ".join(manifest.application.environments)
        )
    manifest.environment(env)
    return [env]


def _synthesize(
    file: Path, env: str | None, all_envs: bool, out: Path, image_tag: str
) -> SynthResult:
    from shipway.synthesis import synthesize

    manifest = read_manifest(file)
    names = _environments(manifest, env, all_envs)
    with console.status(f"synthesizing {', '.join(names)} ..."):
        return synthesize(manifest, names, outdir=out, image_tag=image_tag)


def _print_synth(result: SynthResult) -> None:
    from rich.table import Table

    for stack in result.stacks:
        table = Table(
            title=f"{stack.name} ({stack.resource_count} resources) -> {stack.template}",
            show_edge=False,
        )
        table.add_column("resource type")
        table.add_column("count", justify="right")
        for kind, count in sorted(stack.resources.items()):
            table.add_row(kind, str(count))
        console.print(table)
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False)


@app.command()
@user_errors
def synth(
    file: ManifestPath = Path("shipway.yml"),
    env: Annotated[
        str | None, typer.Option("--env", "-e", help="Environment to synthesize.")
    ] = None,
    all_envs: Annotated[bool, typer.Option("--all-envs", help="Every environment.")] = False,
    out: OutDir = Path("cdk.out"),
    image_tag: ImageTag = "latest",
) -> None:
    """Synthesize CloudFormation for one environment (or all); print stacks and resources."""
    result = _synthesize(file, env, all_envs, out, image_tag)
    _print_synth(result)
    if result.nag:
        console.print(f"[yellow]{len(result.nag)} cdk-nag finding(s); run 'shipway check'[/]")


@app.command()
@user_errors
def check(
    file: ManifestPath = Path("shipway.yml"),
    env: Annotated[str | None, typer.Option("--env", "-e", help="Environment to check.")] = None,
    all_envs: Annotated[bool, typer.Option("--all-envs", help="Every environment.")] = False,
    out: OutDir = Path("cdk.out"),
) -> None:
    """Synthesize, then gate with cdk-nag, cfn-lint and checkov; exit 1 on any finding."""
    from shipway.compliance.gates import cfn_lint_findings, checkov_findings

    result = _synthesize(file, env, all_envs, out, "latest")
    with console.status("cfn-lint ..."):
        lint_errors, lint_warnings = cfn_lint_findings(result.templates)
    with console.status("checkov ..."):
        checkov_failed, checkov_skipped = checkov_findings(result.outdir)
    findings = [*result.nag, *lint_errors, *checkov_failed]
    for finding in findings:
        console.print(str(finding), markup=False, highlight=False, soft_wrap=True)
    console.print(
        f"cdk-nag: {len(result.nag)} unacknowledged | cfn-lint: {len(lint_errors)} "
        f"errors, {len(lint_warnings)} warnings | checkov: {len(checkov_failed)} "
        f"failed, {checkov_skipped} skipped with a reason",
        highlight=False,
    )
    if findings:
        raise GateFailedError(f"check failed: {len(findings)} finding(s)")
    console.print("[green]✓ no findings[/]")


def _cdk(action: str, file: Path, env: str, extra: list[str]) -> None:
    from shipway.app import stack_name
    from shipway.deploy.cdk_cli import cdk_executable, require_credentials, run_cdk

    manifest = read_manifest(file)
    manifest.environment(env)
    cdk_executable()
    require_credentials()
    out = Path("cdk.out")
    result = _synthesize(file, env, False, out, "latest")
    if result.nag:
        raise GateFailedError(f"{len(result.nag)} cdk-nag finding(s): run 'shipway check'")
    status = run_cdk(action, assembly=out, stack=stack_name(manifest, env), extra=extra)
    if status:
        raise typer.Exit(status)


@app.command()
@user_errors
def diff(file: ManifestPath = Path("shipway.yml"), env: EnvName = "test") -> None:
    """Show what a deploy would change (cdk diff)."""
    _cdk("diff", file, env, [])


@app.command()
@user_errors
def deploy(
    file: ManifestPath = Path("shipway.yml"),
    env: EnvName = "test",
    approve: Annotated[
        bool,
        typer.Option(
            "--approve", help="Confirm a deploy to an environment that requires approval."
        ),
    ] = False,
) -> None:
    """Deploy one environment (cdk deploy); environments with requires_approval need --approve."""
    manifest = read_manifest(file)
    if manifest.requires_approval(env) and not approve:
        raise UserError(
            f"environment '{env}' requires approval: review 'shipway diff --env "
            f"{env}', then run again with --approve"
        )
    _cdk("deploy", file, env, ["--require-approval", "never" if approve else "broadening"])


@app.command()
@user_errors
def destroy(
    file: ManifestPath = Path("shipway.yml"),
    env: EnvName = "test",
    force: Annotated[bool, typer.Option("--force", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete one environment's stack (cdk destroy); retained data stays."""
    _cdk("destroy", file, env, ["--force"] if force else [])


@app.command()
@user_errors
def dev(file: ManifestPath = Path("shipway.yml")) -> None:
    """Run the application on this machine, without Docker or an AWS account.

    Starts the moto server (DynamoDB, S3, SQS, Secrets Manager, SSM) and Redis, creates the
    manifest's tables, buckets, loader queues and secrets, loads the seed data, then starts each
    service as a process in dependency order, health-gated. Prints the URLs, streams prefixed
    logs and writes .shipway/dev.json beside the manifest. Ctrl-C or SIGTERM stops everything
    (exit 0); a service that crashes or never becomes healthy: its last lines, exit 1.
    """
    from shipway.dev import run_dev

    raise typer.Exit(run_dev(read_manifest(file), console, errors))


@app.command()
@user_errors
def load(
    data: Annotated[Path, typer.Argument(metavar="FILE", help="The file to upload.")],
    bucket: Annotated[str, typer.Option("--bucket", "-b", help="Bucket name from the manifest.")],
    file: ManifestPath = Path("shipway.yml"),
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the loader.")] = 60.0,
) -> None:
    """Upload FILE to a bucket of the running 'shipway dev' and wait for its loader.

    Prints how many records loaded and were rejected, and the rejection report's key. Exit 0
    when the loader processed the file (even with rejected records), 1 if the file is malformed
    or the loader did not report in time, 2 if no 'shipway dev' runs or the request is wrong.
    """
    from shipway.dev import LoadFailedError, load_file

    try:
        record = load_file(read_manifest(file), bucket, data, console=console, timeout=timeout)
    except LoadFailedError as error:
        errors.print(f"error: {error}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    console.print(
        record.describe(),
        style="red" if record.malformed else None,
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    if record.malformed:
        raise typer.Exit(1)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
