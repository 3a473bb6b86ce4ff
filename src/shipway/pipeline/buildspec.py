"""The buildspecs of the CodePipeline's CodeBuild projects, each made from one list of commands.

Two kinds of project run them:

- build (once per run): install shipway and the gates, `shipway check` every environment, then
  `shipway push --json` builds and pushes each image once and writes `SERVICE → URI@digest` to
  the artifact `shipway-images.json`;
- deploy (one per environment): install shipway, then `shipway deploy --image SERVICE=URI@digest`
  with those very digests (ECS steady on them, then the smoke test), `--approve` when the
  environment requires approval (the pipeline's manual approval action ran just before).

A buildspec (version 0.2) runs every command of every phase in one bash session, in order,
stopping at the first failure: what one command exports (PATH) the next ones see (exported
variables only: each command is run on its own, in that environment). The rehearsal
(tests/rehearsal/test_codepipeline_buildspec.py) runs them exactly so on this machine.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from typing import Any, Literal

from shipway.pipeline.actions import CFN_LINT_VERSION, CHECKOV_VERSION, PYTHON, UV_VERSION
from shipway.pipeline.cdk_cli_package import cdk_cli_package

Phase = Literal["install", "pre_build", "build", "post_build"]
PHASES: tuple[Phase, ...] = ("install", "pre_build", "build", "post_build")
IMAGES_FILE = "shipway-images.json"
# The pipeline artifact holding IMAGES_FILE; CodeBuild puts a secondary input artifact's folder
# in CODEBUILD_SRC_DIR_<name>.
IMAGES_ARTIFACT = "Images"
# Where the tools go: outside the checkout, so nothing lands in the source artifact.
TOOLS = "/tmp/shipway-tools"  # noqa: S108 - CodeBuild's own, single-use build container


@dataclass(frozen=True)
class Command:
    """One shell command of a buildspec phase."""

    phase: Phase
    run: str


@dataclass(frozen=True)
class BuildspecOptions:
    """What the manifest cannot say: where it sits in the repository, and what to install."""

    manifest_path: str
    """The manifest, relative to the repository's root (CODEBUILD_SRC_DIR)."""
    package: str
    """What `uv tool install` installs: shipway==VERSION, or a git+https URL."""


def install_commands(*, gates: bool) -> list[Command]:
    """uv, shipway (and the gates' tools), the pinned CDK CLI and Node 24 first on PATH."""
    commands = [
        Command(
            "install",
            f'python3 -m venv "$SHIPWAY_TOOLS/uv" && "$SHIPWAY_TOOLS/uv/bin/pip" install '
            f'--quiet --disable-pip-version-check "uv=={UV_VERSION}"',
        ),
        Command(
            "install",
            'export UV_TOOL_DIR="$SHIPWAY_TOOLS/uv-tools" UV_TOOL_BIN_DIR="$SHIPWAY_TOOLS/bin" '
            'PATH="$SHIPWAY_TOOLS/cdk-cli/node_modules/.bin:$SHIPWAY_TOOLS/bin:'
            '$SHIPWAY_TOOLS/uv/bin:$PATH"',
        ),
        Command("install", f'uv tool install --python {PYTHON} "$SHIPWAY_PACKAGE"'),
    ]
    if gates:
        commands += [
            Command("install", f'uv tool install --python {PYTHON} "cfn-lint=={CFN_LINT_VERSION}"'),
            Command("install", f'uv tool install --python {PYTHON} "checkov=={CHECKOV_VERSION}"'),
        ]
    # The CDK CLI and the Node 24 LTS shipway is tested with (jsii and the CLI run on it), by
    # `npm ci` from the lock the GitHub workflows use: each tarball checked against its hash.
    package, lock = cdk_cli_package(
        "The AWS CDK CLI and the Node.js the shipway CodeBuild projects run; written by their "
        "buildspec."
    )
    written = " && ".join(
        f'printf "%s\\n" {shlex.quote(json.dumps(content, separators=(",", ":")))} '
        f'> "$SHIPWAY_TOOLS/cdk-cli/{name}"'
        for name, content in (("package.json", package), ("package-lock.json", lock))
    )
    commands += [
        Command("install", f'mkdir -p "$SHIPWAY_TOOLS/cdk-cli" && {written}'),
        Command(
            "install",
            'npm ci --no-audit --no-fund --loglevel=error --prefix "$SHIPWAY_TOOLS/cdk-cli"',
        ),
    ]
    return commands


def build_commands(environments: list[str], first: str) -> list[Command]:
    """Check every environment, then build and push each image once, for first's registry."""
    return [
        *install_commands(gates=True),
        *(
            Command("pre_build", f'shipway check -f "$SHIPWAY_MANIFEST" --env {name}')
            for name in environments
        ),
        Command(
            "build", f'shipway push -f "$SHIPWAY_MANIFEST" --env {first} --json > {IMAGES_FILE}'
        ),
        Command(
            "post_build",
            f"jq -r 'to_entries[] | \"\\(.key): \\(.value.status) \\(.value.uri)\"' {IMAGES_FILE}",
        ),
    ]


def deploy_commands(environment: str, *, approve: bool) -> list[Command]:
    """Deploy environment with the digests the build pushed: ECS steady, smoke test."""
    images = f'"$CODEBUILD_SRC_DIR_{IMAGES_ARTIFACT}/{IMAGES_FILE}"'
    deploy = f'shipway deploy -f "$SHIPWAY_MANIFEST" --env {environment} "${{images[@]}}"'
    if approve:
        deploy += " --approve"  # the pipeline's manual approval action came just before
    # One command: CodeBuild carries exported variables from command to command, not arrays.
    read_images = (
        f"mapfile -t images < <(jq -r 'to_entries[] | \"--image=\\(.key)=\\(.value.uri)\"' "
        f"{images})"
    )
    return [*install_commands(gates=False), Command("build", f"{read_images} && {deploy}")]


def buildspec(
    commands: list[Command], options: BuildspecOptions, *, artifacts: list[str] | None = None
) -> dict[str, Any]:
    """A CodeBuild buildspec (version 0.2, bash) running commands phase by phase, in order."""
    spec: dict[str, Any] = {
        "version": "0.2",
        "env": {
            "shell": "bash",
            "variables": {
                "SHIPWAY_MANIFEST": options.manifest_path,
                "SHIPWAY_PACKAGE": options.package,
                "SHIPWAY_TOOLS": TOOLS,
            },
        },
        "phases": {
            phase: {"commands": [c.run for c in commands if c.phase == phase]}
            for phase in PHASES
            if any(c.phase == phase for c in commands)
        },
    }
    if artifacts:
        spec["artifacts"] = {"files": artifacts}
    return spec
