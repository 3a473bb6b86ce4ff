"""Commands that ship: build and push images, diff, deploy and destroy an environment."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from shipway.cli.app import app, console, errors
from shipway.cli.common import (
    EnvOption,
    JsonOutput,
    ManifestPath,
    Steps,
    one_environment,
    print_json,
    read_manifest,
    user_errors,
)
from shipway.errors import UserError
from shipway.manifest import resolve

if TYPE_CHECKING:
    from collections.abc import Iterator

    from shipway.deploy.release import Release

ImageOption = Annotated[
    list[str] | None,
    typer.Option(
        "--image",
        help="SERVICE=URI: run this image instead of building SERVICE, or a job built from "
        "source (repeatable); e.g. the digest a pipeline pushed for test, promoted to prod.",
    ),
]
OutDir = Annotated[Path, typer.Option("--out", "-o", help="Where to write the cloud assembly.")]
Services = Annotated[
    list[str] | None,
    typer.Argument(help="Services and jobs to build (default: all built from source)."),
]


class CliProgress:
    """A release's progress on the terminal: named steps with times, tool output dimmed."""

    def __init__(self, steps: Steps, *, quiet: bool = False) -> None:
        self.steps, self.quiet = steps, quiet

    @contextlib.contextmanager
    def step(self, label: str) -> Iterator[None]:
        with self.steps.step(label):
            yield

    def output(self, line: str) -> None:
        if not self.quiet and line.strip():
            errors.print(f"[dim]  {escape(line)}[/]")

    def result(self, line: str) -> None:
        errors.print(f"  {escape(line)}")


def _release(
    file: Path | None, env: str | None, images: list[str] | None, out: Path, *, quiet: bool = False
) -> Release:
    from shipway.node_runtime import pinned_node

    pinned_node()  # before the CDK's modules start jsii on it
    from shipway.deploy.images import image_overrides
    from shipway.deploy.release import Release

    steps = Steps(errors)
    with steps.step("validate the manifest"):
        manifest = read_manifest(file)
        plan = resolve(manifest, one_environment(manifest, env))
    return Release(
        manifest, plan, CliProgress(steps, quiet=quiet), out, image_overrides(images or [], plan)
    )


def _aws() -> None:
    from shipway.deploy.cdk_cli import cdk_command, require_credentials

    cdk_command()
    require_credentials()


@app.command()
@user_errors
def build(services: Services = None, file: ManifestPath = None, env: EnvOption = None) -> None:
    """Build the images of services and jobs built from source, tagged by content; push
    nothing."""
    from shipway.deploy.images import image_sources
    from shipway.image import build_image, detect_engine
    from shipway.image.built import built_workload

    release = _release(file, env, [], Path("cdk.out"))
    sources = image_sources(release.manifest, release.plan)
    unknown = sorted(set(services or []) - set(sources))
    if unknown:
        raise UserError(
            f"not built from source here: {', '.join(unknown)} (built: {', '.join(sources)})"
        )
    engine = detect_engine()
    for name, source in sources.items():
        if services and name not in services:
            continue
        tag = release.images[name].tag
        reference = f"{built_workload(release.plan, name).physical_name}:{tag}"
        with release.progress.step(f"build {name} with {engine.name} ({tag})"):
            build_image(source, engine=engine, reference=reference, on_line=release.progress.output)
        console.print(f"{name}={reference}", markup=False)


@app.command()
@user_errors
def push(
    services: Services = None,
    file: ManifestPath = None,
    env: EnvOption = None,
    out: OutDir = Path("cdk.out"),
    json_output: JsonOutput = False,
) -> None:
    """Deploy the environment's image registry, then build and push each image its repository
    lacks; print SERVICE=URI@digest for `shipway deploy --image`."""
    release = _release(file, env, [], out)
    _aws()
    release.synthesize()
    release.bootstrap()
    pushed = release.publish(release.deploy_registry(), only=services or None)
    if json_output:
        print_json(
            {
                image.service: {"uri": image.uri, "tag": image.tag, "status": image.status}
                for image in pushed
            }
        )
        return
    for image in pushed:
        console.print(f"{image.service}={image.uri}", markup=False)


@app.command()
@user_errors
def diff(
    file: ManifestPath = None,
    env: EnvOption = None,
    image: ImageOption = None,
    out: OutDir = Path("cdk.out"),
) -> None:
    """Show what a deploy would change in the environment's registry and stack (cdk diff)."""
    from shipway.deploy.cdk_cli import run_cdk

    release = _release(file, env, image, out)
    _aws()
    release.synthesize()
    for stack in filter(None, (release.registry, release.stack)):
        status, _ = run_cdk("diff", stack, "--exclusively", assembly=out, on_line=_plain)
        if status:
            raise typer.Exit(status)


def _plain(line: str) -> None:
    console.print(line, markup=False)


@app.command()
@user_errors
def deploy(
    file: ManifestPath = None,
    env: EnvOption = None,
    image: ImageOption = None,
    approve: Annotated[
        bool,
        typer.Option(
            "--approve", help="Confirm a deploy to an environment that requires approval."
        ),
    ] = False,
    out: OutDir = Path("cdk.out"),
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Hide the container engine's and CDK's output.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Deploy even when the deployed template is the same (new AMIs, say)."
        ),
    ] = False,
) -> None:
    """Build and push images, deploy the environment, and verify it runs.

    Each service built from source gets an image tagged by its content, pushed only when its
    repository lacks it (an unchanged service deploys nothing). Then the environment's stack is
    deployed with the pinned CDK CLI, every ECS service must reach a steady state on the new
    task definition (a rollback by ECS fails the deploy, naming the service and why), and every
    web service's health check must answer through its URL. Environments with requires_approval
    (prod by default) need --approve.
    """
    release = _release(file, env, image, out, quiet=quiet)
    if release.plan.requires_approval and not approve:
        raise UserError(
            f"environment '{release.plan.name}' requires approval: review 'shipway diff --env "
            f"{release.plan.name}', then run again with --approve"
        )
    _aws()
    release.synthesize()
    release.bootstrap()
    release.publish(release.deploy_registry())
    changed = release.deploy_stack(force=force)
    release.verify()
    assert isinstance(release.progress, CliProgress)
    console.print(
        f"[green]✓[/] {escape(release.plan.app)} deployed to {escape(release.plan.name)} "
        f"({'updated' if changed else 'no changes'}) in {release.progress.steps.total():.0f} s"
    )
    for name, url in release.urls().items():
        console.print(f"  {escape(name)}  {escape(url)}")


@app.command()
@user_errors
def destroy(
    file: ManifestPath = None,
    env: EnvOption = None,
    force: Annotated[bool, typer.Option("--force", help="Do not ask for confirmation.")] = False,
    out: OutDir = Path("cdk.out"),
) -> None:
    """Delete one environment: its stack, then its image registry. Data the environment keeps
    (deletion_protection, prod by default) stays, and is listed."""
    from shipway.deploy.release import destroy as destroy_environment

    release = _release(file, env, [], out)
    if release.plan.protect:
        raise UserError(
            f"environment '{release.plan.name}' is protected from deletion "
            f"(environments.{release.plan.name}.deletion_protection, on by default in prod): set "
            "it to false and deploy, then destroy (data stays unless retain_data: false)"
        )
    if not force and not typer.confirm(
        f"delete {release.plan.app}'s environment '{release.plan.name}' and its data?"
    ):
        raise typer.Exit(1)
    _aws()
    release.synthesize()
    kept = destroy_environment(release)
    console.print(f"[green]✓[/] {escape(release.plan.name)} destroyed")
    for resource in kept:
        console.print(f"  kept: {escape(resource)}")
