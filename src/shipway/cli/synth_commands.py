"""Commands that synthesize CloudFormation: synth, and check (synth plus the gates)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from shipway.cli.app import app as cli
from shipway.cli.app import console, errors
from shipway.cli.common import (
    AllEnvs,
    EnvOption,
    JsonOutput,
    ManifestPath,
    Steps,
    environments,
    print_json,
    read_manifest,
    user_errors,
)
from shipway.errors import GateFailedError
from shipway.manifest import resolve

if TYPE_CHECKING:
    from shipway.compliance.gates import Finding
    from shipway.synthesis import SynthResult

OutDir = Annotated[Path, typer.Option("--out", "-o", help="Where to write the cloud assembly.")]


def synthesize_for(
    file: Path | None, env: str | None, all_envs: bool, out: Path, images: list[str], steps: Steps
) -> SynthResult:
    """Read the manifest, choose environments and synthesize them, step by step."""
    from shipway.node_runtime import pinned_node

    pinned_node()  # before the CDK's modules start jsii on it
    from shipway.deploy.images import image_overrides, image_references
    from shipway.synthesis import synthesize

    with steps.step("validate the manifest"):
        manifest = read_manifest(file)
        names = environments(manifest, env, all_envs)
    chosen = {}
    for name in names:
        plan = resolve(manifest, name)
        chosen[name] = image_references(manifest, plan, image_overrides(images, plan))
    return synthesize(manifest, names, outdir=out, images=chosen, step=steps.step)


@cli.command()
@user_errors
def synth(
    file: ManifestPath = None,
    env: EnvOption = None,
    all_envs: AllEnvs = False,
    out: OutDir = Path("cdk.out"),
    image: Annotated[
        list[str] | None,
        typer.Option("--image", help="SERVICE=URI: run this image instead (repeatable)."),
    ] = None,
    json_output: JsonOutput = False,
) -> None:
    """Synthesize CloudFormation for one environment (or all); print stacks and resources.

    Each service built from source runs the image tagged with its content's tag, which
    `shipway deploy` (or `push`) builds and pushes.
    """
    result = synthesize_for(file, env, all_envs, out, image or [], Steps(errors))
    if json_output:
        print_json({**_synth_json(result), "nag": [_finding(item) for item in result.nag]})
        return
    _print_synth(result)
    if result.nag:
        console.print(f"[yellow]{len(result.nag)} cdk-nag finding(s); run 'shipway check'[/]")


@cli.command()
@user_errors
def check(
    file: ManifestPath = None,
    env: EnvOption = None,
    all_envs: AllEnvs = False,
    out: OutDir = Path("cdk.out"),
    json_output: JsonOutput = False,
) -> None:
    """Synthesize, then gate with cdk-nag, cfn-lint and checkov; exit 1 on any finding.

    cfn-lint warnings fail the check too, unless shipway acknowledges them in code with a reason.
    """
    from shipway.compliance.gates import Gates

    steps = Steps(errors)
    with Gates() as gates:  # cfn-lint and checkov start up while the CDK synthesizes
        result = synthesize_for(file, env, all_envs, out, [], steps)
        with steps.step("cfn-lint and checkov, side by side"):
            report = gates.run(result.templates)
    lint_errors, lint_warnings = report.lint_errors, report.lint_warnings
    checkov_failed, checkov_skipped = report.checkov_failed, report.checkov_skipped
    findings = [*result.nag, *lint_errors, *lint_warnings, *checkov_failed]
    counts = {
        "cdk_nag": len(result.nag),
        "cfn_lint_errors": len(lint_errors),
        "cfn_lint_warnings": len(lint_warnings),
        "checkov_failed": len(checkov_failed),
        "checkov_skipped_with_reason": checkov_skipped,
    }
    if json_output:
        print_json(
            {
                **_synth_json(result),
                "passed": not findings,
                "counts": counts,
                "findings": [_finding(item) for item in findings],
            }
        )
    else:
        _print_check(findings, counts)
    if findings:
        raise GateFailedError(f"check failed: {len(findings)} finding(s)")


def _print_check(findings: list[Finding], counts: dict[str, int]) -> None:
    for finding in findings:
        console.print(str(finding), markup=False)
    console.print(
        f"cdk-nag: {counts['cdk_nag']} unacknowledged | cfn-lint: {counts['cfn_lint_errors']} "
        f"errors, {counts['cfn_lint_warnings']} warnings | checkov: "
        f"{counts['checkov_failed']} failed, {counts['checkov_skipped_with_reason']} skipped "
        "with a reason",
        markup=False,
    )
    if not findings:
        console.print("[green]✓ no findings[/]")


def _print_synth(result: SynthResult) -> None:
    from rich.table import Table

    for stack in [*result.registries, *result.stacks]:
        table = Table(
            title=escape(f"{stack.name} ({stack.resource_count} resources) -> {stack.template}"),
            show_edge=False,
        )
        table.add_column("resource type")
        table.add_column("count", justify="right")
        for kind, count in sorted(stack.resources.items()):
            table.add_row(kind, str(count))
        console.print(table)
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}")


def _synth_json(result: SynthResult) -> dict[str, object]:
    return {
        "outdir": str(result.outdir),
        "stacks": [
            {
                "name": stack.name,
                "environment": stack.environment,
                "template": str(stack.template),
                "resource_count": stack.resource_count,
                "resources": dict(sorted(stack.resources.items())),
            }
            for stack in [*result.registries, *result.stacks]
        ],
        "warnings": result.warnings,
    }


def _finding(finding: Finding) -> dict[str, str]:
    return {
        "gate": finding.gate,
        "rule": finding.rule,
        "where": finding.where,
        "message": finding.message,
    }
