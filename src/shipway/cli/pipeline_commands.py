"""`shipway pipeline github`: the GitHub Actions workflows of a manifest, and (--bootstrap) the
AWS role their jobs assume through OpenID Connect."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from shipway.cli.app import app, console, errors
from shipway.cli.common import (
    EnvOption,
    ManifestPath,
    Steps,
    find_manifest,
    one_environment,
    read_manifest,
    user_errors,
)
from shipway.errors import GateFailedError, UserError

if TYPE_CHECKING:
    from collections.abc import Callable

    import aws_cdk as cdk

    from shipway.manifest import EnvironmentPlan, Manifest

pipeline = typer.Typer(
    name="pipeline",
    no_args_is_help=True,
    help="Delivery pipelines: GitHub Actions workflows and their AWS role, or the manifest's "
    "CodePipeline.",
)
app.add_typer(pipeline)

REPOSITORY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
GITHUB_REMOTE = re.compile(r"github\.com[:/](?P<repository>[^/\s]+/[^/\s]+?)(?:\.git)?/?$")


@pipeline.command()
@user_errors
def github(
    file: ManifestPath = None,
    root: Annotated[
        Path | None,
        typer.Option(
            help="The repository's root, where jobs run (default: the git work tree holding "
            "the manifest, else the manifest's folder).",
            show_default=False,
        ),
    ] = None,
    workflows: Annotated[
        Path | None,
        typer.Option(
            help="Where the workflow files go (default: ROOT/.github/workflows).",
            show_default=False,
        ),
    ] = None,
    branch: Annotated[str, typer.Option(help="The branch whose pushes deploy.")] = "main",
    package: Annotated[
        str | None,
        typer.Option(
            help="What jobs install with `uv tool install` (default: this shipway's version; "
            "e.g. git+https://github.com/OWNER/shipway@<sha>).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace workflow files edited by hand.")
    ] = False,
    bootstrap: Annotated[
        bool,
        typer.Option(
            "--bootstrap",
            help="Instead: synthesize (and with --deploy, deploy) the OIDC provider and the role "
            "the jobs of --env assume.",
        ),
    ] = False,
    env: EnvOption = None,
    repository: Annotated[
        str | None,
        typer.Option(
            help="OWNER/REPO whose jobs may assume the role (default: the git remote 'origin').",
            show_default=False,
        ),
    ] = None,
    existing_provider: Annotated[
        bool,
        typer.Option(
            "--existing-provider",
            help="The account already has GitHub's OIDC provider (one per account): use it.",
        ),
    ] = False,
    deploy: Annotated[
        bool, typer.Option("--deploy", help="With --bootstrap: deploy the stack (cdk deploy).")
    ] = False,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="With --bootstrap: where the assembly goes.")
    ] = Path("cdk.out/github"),
) -> None:
    """Write GitHub Actions workflows for the manifest: checks on pull requests; on pushes to
    BRANCH, build and push each image once and deploy the same digests to each environment in
    turn, each job bound to the GitHub environment of the same name (give prod required
    reviewers: that is the manual gate). AWS access is OpenID Connect only: run once per
    environment `shipway pipeline github --bootstrap --env E --deploy` to create the role."""
    if bootstrap:
        _bootstrap(file, env, repository, existing_provider, deploy, out)
        return
    if deploy:
        raise UserError("--deploy goes with --bootstrap")
    from shipway.pipeline.generated_files import with_header, write_generated
    from shipway.pipeline.github import WorkflowOptions, cdk_cli_files, workflow_files

    manifest = read_manifest(file)
    top = (root or _git_root(manifest.directory) or manifest.directory).resolve()
    try:
        relative = manifest.path.resolve().relative_to(top)
    except ValueError:
        raise UserError(f"the manifest {manifest.path} is not under --root {top}") from None
    folder = (workflows or top / ".github" / "workflows").resolve()
    try:
        github_folder = folder.parent.relative_to(top).as_posix()
    except ValueError:
        raise UserError(f"--workflows {folder} is not under --root {top}") from None
    options = WorkflowOptions(
        relative.as_posix(), branch=branch, package=package or "", github_folder=github_folder
    )
    command = f"shipway pipeline github -f {relative.as_posix()}"
    if workflows is not None:
        command += f" --workflows {github_folder}/workflows"
    written = [
        write_generated(
            folder / name, with_header(body, command=command, source=relative.as_posix()), force
        )
        for name, body in workflow_files(manifest, options).items()
    ]
    written += [
        write_generated(folder.parent / name, text, force, marked=False)
        for name, text in cdk_cli_files().items()
    ]
    for each in written:
        console.print(f"{escape(str(each.path))}: {each.outcome}")


def _git_root(folder: Path) -> Path | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],  # noqa: S607 - git from PATH
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return None
    return Path(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else None


def _origin(folder: Path) -> str | None:
    try:
        done = subprocess.run(
            ["git", "remote", "get-url", "origin"],  # noqa: S607 - git from PATH
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return None
    found = GITHUB_REMOTE.search(done.stdout.strip()) if done.returncode == 0 else None
    return found["repository"] if found else None


def _bootstrap(
    file: Path | None,
    env: str | None,
    repository: str | None,
    existing_provider: bool,
    deploy: bool,
    out: Path,
) -> None:
    from shipway.manifest import resolve
    from shipway.pipeline.github import stages
    from shipway.pipeline.github_role import build_github_app, github_stack_name

    steps = Steps(errors)
    with steps.step("validate the manifest"):
        manifest = read_manifest(file)
        plan = resolve(manifest, one_environment(manifest, env))
    repository = repository or _origin(find_manifest(file).resolve().parent)
    if repository is None:
        raise UserError(
            "name the GitHub repository whose jobs may deploy: --repository OWNER/REPO (no "
            "GitHub remote 'origin' to read it from)"
        )
    if not REPOSITORY.match(repository):
        raise UserError(f"--repository {repository!r}: write OWNER/REPO, e.g. acme/shop")
    first = stages(manifest)[0].name
    stack = github_stack_name(plan)
    _synthesize_and_gate(
        stack,
        lambda: build_github_app(
            plan,
            outdir=out,
            repository=repository,
            diff=plan.name == first,
            existing_provider=existing_provider,
        ),
        out,
        steps,
    )
    if deploy:
        _deploy(stack, out, steps)


def _synthesize_and_gate(stack: str, build: Callable[[], cdk.App], out: Path, steps: Steps) -> None:
    """Synthesize stack into out and run cdk-nag, cfn-lint and checkov on it: zero findings."""
    from shipway.compliance.gates import Gates, nag_findings

    template = out / f"{stack}.template.json"
    with Gates() as gates:  # cfn-lint and checkov start up while the CDK synthesizes
        with steps.step(f"synthesize {stack} and run cdk-nag"):
            try:
                build().synth()
            except RuntimeError as error:
                if "ValidationFailed" not in str(error):
                    raise UserError(f"synthesis failed: {str(error).splitlines()[0]}") from None
        with steps.step("cfn-lint and checkov, side by side"):
            report = gates.run([template])
    findings = [
        *nag_findings(out),
        *report.lint_errors,
        *report.lint_warnings,
        *report.checkov_failed,
    ]
    for finding in findings:
        console.print(str(finding), markup=False)
    if findings:
        raise GateFailedError(f"check failed: {len(findings)} finding(s)")
    console.print(f"{escape(str(template))}: 0 findings (cdk-nag, cfn-lint, checkov)")


def _deploy(stack: str, out: Path, steps: Steps) -> None:
    from shipway.deploy.cdk_cli import cdk_command, require_credentials, run_cdk

    cdk_command()  # the pinned Node and CLI, or a clear error before anything runs
    require_credentials()
    with steps.step(f"deploy {stack}"):
        status, lines = run_cdk(
            "deploy",
            stack,
            "--require-approval",
            "never",
            assembly=out,
            on_line=lambda line: errors.print(f"[dim]  {escape(line)}[/]"),
        )
    if status != 0:
        tail = "; ".join(line for line in lines[-5:] if line.strip())
        raise UserError(f"cdk deploy {stack} failed: {tail}")
    console.print(f"[green]✓[/] {escape(stack)} deployed")


@pipeline.command()
@user_errors
def codepipeline(
    file: ManifestPath = None,
    root: Annotated[
        Path | None,
        typer.Option(
            help="The repository's root, where the builds run (default: the git work tree "
            "holding the manifest, else the manifest's folder).",
            show_default=False,
        ),
    ] = None,
    package: Annotated[
        str | None,
        typer.Option(
            help="What the builds install with `uv tool install` (default: this shipway's "
            "version; e.g. git+https://github.com/OWNER/shipway@<sha>).",
            show_default=False,
        ),
    ] = None,
    deploy: Annotated[
        bool, typer.Option("--deploy", help="Deploy the pipeline stack (cdk deploy).")
    ] = False,
    out: Annotated[Path, typer.Option("--out", "-o", help="Where the assembly goes.")] = Path(
        "cdk.out/pipeline"
    ),
) -> None:
    """Synthesize (and with --deploy, deploy) the manifest's `pipeline: {provider:
    codepipeline}` stack, gated with zero findings: on each push to its branch, CodeBuild checks
    every environment, builds and pushes each image once, then deploys those digests to each
    environment in turn, a manual approval before those that require it (prod)."""
    import shipway
    from shipway.manifest import resolve
    from shipway.pipeline.buildspec import BuildspecOptions
    from shipway.pipeline.codepipeline import build_pipeline_app, pipeline_stack_name
    from shipway.pipeline.github import stages

    steps = Steps(errors)
    with steps.step("validate the manifest"):
        manifest = read_manifest(file)
    wanted = manifest.application.pipeline
    if wanted is None:
        raise UserError(
            f"{manifest.path}: no pipeline: add `pipeline: {{provider: codepipeline, "
            "connection_arn: ..., repository: OWNER/NAME}` (see docs/pipeline.md)"
        )
    plans = [resolve(manifest, stage.name) for stage in stages(manifest)]
    if not plans:
        raise UserError(f"{manifest.path}: the pipeline deploys no environment besides dev")
    _one_account(manifest, plans)
    top = (root or _git_root(manifest.directory) or manifest.directory).resolve()
    try:
        relative = manifest.path.resolve().relative_to(top)
    except ValueError:
        raise UserError(f"the manifest {manifest.path} is not under --root {top}") from None
    options = BuildspecOptions(relative.as_posix(), package or f"shipway=={shipway.__version__}")
    stack = pipeline_stack_name(manifest.name)
    _synthesize_and_gate(
        stack,
        lambda: build_pipeline_app(plans, pipeline=wanted, options=options, outdir=out),
        out,
        steps,
    )
    if deploy:
        _deploy(stack, out, steps)


def _one_account(manifest: Manifest, plans: list[EnvironmentPlan]) -> None:
    """The deploy projects run with the pipeline account's credentials, and `shipway deploy`
    verifies an environment (its stacks, its services) with the credentials it runs with."""
    from shipway.manifest import ManifestError

    account = plans[0].settings.account
    elsewhere = [plan.name for plan in plans if plan.settings.account != account]
    if elsewhere:
        raise ManifestError(
            [
                manifest.issue(
                    ("environments", name, "account"),
                    f"environments.{name}.account: a CodePipeline deploys into its own account "
                    f"({account}, the first environment's) only: give {name} that account, "
                    "or deploy it with `shipway pipeline github` (a role per account)",
                )
                for name in elsewhere
            ]
        )
