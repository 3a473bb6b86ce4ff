"""GitHub Actions workflows for one manifest: checks on pull requests, build once and promote the
same digests through the environments on the main branch.

Two files under `.github/workflows/`:

- `shipway-<app>-checks.yml` (pull requests): validate; `shipway check` for each environment;
  `shipway diff` of the first environment into the job summary (read-only role).
- `shipway-<app>-deploy.yml` (push to the main branch): the first environment's job pushes each
  image once (`shipway push --json`: `SERVICE=URI@digest`) and deploys with those digests; each
  next environment's job deploys the very same digests, bound to a GitHub environment of the same
  name, whose required reviewers are the manual gate.

AWS access is OpenID Connect only (the role `shipway pipeline github --bootstrap` creates; no key
anywhere), every action is pinned by commit SHA, permissions are empty at the top and granted per
job, and each environment has a concurrency group so two deploys of it never overlap. Expressions
(`${{ }}`) appear only in `env:`, `with:` and the like, never inside a `run:` script.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from shipway.manifest import LOCAL_ENVIRONMENT, Manifest, resolve
from shipway.pipeline.actions import (
    AWS_CREDENTIALS,
    CFN_LINT_VERSION,
    CHECKOUT,
    CHECKOV_VERSION,
    PYTHON,
    RUNNER,
    SETUP_UV,
)
from shipway.pipeline.cdk_cli_package import cdk_cli_package


@dataclass(frozen=True)
class Stage:
    """One environment the pipeline deploys, in manifest order."""

    name: str
    account: str
    region: str
    approve: bool

    def deploy_role(self, app: str) -> str:
        return f"arn:aws:iam::{self.account}:role/{deploy_role_name(app, self.name)}"

    def diff_role(self, app: str) -> str:
        return f"arn:aws:iam::{self.account}:role/{diff_role_name(app, self.name)}"


@dataclass(frozen=True)
class WorkflowOptions:
    """What the manifest cannot say: where it sits in the repository, and how to install shipway."""

    manifest_path: str
    """The manifest, relative to the repository's root (where jobs run)."""
    branch: str = "main"
    package: str = ""
    """What `uv tool install` installs; default: this shipway's version from PyPI."""
    github_folder: str = ".github"
    """The folder holding `workflows/`, relative to the repository's root."""


def deploy_role_name(app: str, environment: str) -> str:
    """The role a workflow job of environment assumes (trust: that GitHub environment only)."""
    return f"shipway-{app}-{environment}-github-deploy"


def diff_role_name(app: str, environment: str) -> str:
    """The read-only role pull requests assume to diff environment."""
    return f"shipway-{app}-{environment}-github-diff"


def stages(manifest: Manifest) -> list[Stage]:
    """The environments a pipeline deploys: every one but `dev` (shipway dev's), in order."""
    found = []
    for name in manifest.environment_names:
        if name == LOCAL_ENVIRONMENT:
            continue
        plan = resolve(manifest, name)
        found.append(
            Stage(name, plan.settings.account, plan.settings.region, plan.requires_approval)
        )
    return found


# The pinned CDK CLI, installed by `npm ci` from a lock file shipway writes beside the workflows
# folder (the aws-cdk package bundles its dependencies: this one entry locks all of it).
CDK_CLI_FOLDER = "shipway/cdk-cli"


def workflow_files(manifest: Manifest, options: WorkflowOptions) -> dict[str, str]:
    """File name under `.github/workflows/` → its text (without shipway's header)."""
    app = manifest.name
    found = stages(manifest)
    return {
        f"shipway-{app}-checks.yml": checks_workflow(app, found, options),
        f"shipway-{app}-deploy.yml": deploy_workflow(app, found, options),
    }


def cdk_cli_files() -> dict[str, str]:
    """Path under `.github/` → text: the CDK CLI's and Node's package.json and their lock.

    The job puts their `node_modules/.bin` first on PATH: shipway finds that Node (24 LTS, the
    one it is tested with) for jsii and the CLI, whatever Node the runner has."""
    package, lock = cdk_cli_package(
        "The AWS CDK CLI and the Node.js the shipway workflows run; written by "
        "`shipway pipeline github` (regenerate, do not edit)."
    )
    return {
        f"{CDK_CLI_FOLDER}/package.json": json.dumps(package, indent=2) + "\n",
        f"{CDK_CLI_FOLDER}/package-lock.json": json.dumps(lock, indent=2) + "\n",
    }


def _package(options: WorkflowOptions) -> str:
    import shipway

    return options.package or f"shipway=={shipway.__version__}"


def _top(title: str, trigger: str, options: WorkflowOptions) -> str:
    return f"""name: "{title}"
on:
{trigger}
permissions: {{}}
defaults:
  run:
    shell: bash
env:
  SHIPWAY_MANIFEST: {options.manifest_path}
  SHIPWAY_PACKAGE: {_package(options)}
jobs:
"""


def _setup(options: WorkflowOptions, *, gates: bool = False) -> str:
    """Checkout, uv, shipway and the CDK CLI (and the gates' tools): every job's first steps."""
    gate_tools = (
        f"""
          uv tool install --python {PYTHON} "cfn-lint=={CFN_LINT_VERSION}"
          uv tool install --python {PYTHON} "checkov=={CHECKOV_VERSION}\""""
        if gates
        else ""
    )
    cli = f"{options.github_folder}/{CDK_CLI_FOLDER}"
    return f"""      - name: Check out
        uses: {CHECKOUT.uses()}
        with:
          persist-credentials: false
      - name: Set up uv
        uses: {SETUP_UV.uses()}
        with:
          enable-cache: false
      - name: Install shipway and the CDK CLI
        id: install
        run: |
          uv tool install --python {PYTHON} "$SHIPWAY_PACKAGE"{gate_tools}
          npm ci --prefix {cli} --no-audit --no-fund --loglevel=error
          echo "$PWD/{cli}/node_modules/.bin" >> "$GITHUB_PATH"
          uv tool dir --bin >> "$GITHUB_PATH"
"""


def _credentials(role: str, region: str, label: str) -> str:
    return f"""      - name: AWS credentials for {label} (OpenID Connect, no keys)
        id: aws
        uses: {AWS_CREDENTIALS.uses()}
        with:
          role-to-assume: {role}
          aws-region: {region}
          role-session-name: shipway-${{{{ github.run_id }}}}
          mask-aws-account-id: false
"""


def checks_workflow(app: str, found: list[Stage], options: WorkflowOptions) -> str:
    """Pull requests: validate, check every environment, diff the first one."""
    trigger = f"""  pull_request:
    branches: [{options.branch}]"""
    text = _top(f"{app}: checks", trigger, options).replace(
        "\njobs:\n",
        # A newer push to the pull request replaces the checks of the older one.
        f"""
concurrency:
  group: {app}-checks-${{{{ github.event.pull_request.number }}}}
  cancel-in-progress: true
jobs:
""",
    )
    names = ", ".join(stage.name for stage in found)
    text += f"""  validate:
    name: validate the manifest
    runs-on: {RUNNER}
    timeout-minutes: 10
    permissions:
      contents: read  # check out the repository
    steps:
{_setup(options)}      - name: shipway validate
        run: shipway validate -f "$SHIPWAY_MANIFEST"
  check:
    name: check ${{{{ matrix.environment }}}} (cdk-nag, cfn-lint, checkov)
    needs: validate
    runs-on: {RUNNER}
    timeout-minutes: 30
    permissions:
      contents: read  # check out the repository
    strategy:
      fail-fast: false
      matrix:
        environment: [{names}]
    steps:
{_setup(options, gates=True)}      - name: shipway check
        env:
          SHIPWAY_ENV: ${{{{ matrix.environment }}}}
        run: shipway check -f "$SHIPWAY_MANIFEST" --env "$SHIPWAY_ENV"
"""
    if found:
        first = found[0]
        text += f"""  diff:
    name: what merging changes in {first.name}
    needs: validate
    # Pull requests from forks get no OpenID Connect token: they are checked, not diffed.
    if: github.event.pull_request.head.repo.full_name == github.repository
    runs-on: {RUNNER}
    timeout-minutes: 20
    permissions:
      contents: read  # check out the repository
      id-token: write  # OpenID Connect: assume the AWS role, no stored keys
    steps:
{_setup(options)}{_credentials(first.diff_role(app), first.region, f"{first.name} (read-only)")}\
      - name: shipway diff --env {first.name} (into the job summary)
        run: |
          {{
            echo "### shipway diff --env {first.name}"
            echo '```'
            shipway diff -f "$SHIPWAY_MANIFEST" --env {first.name}
            echo '```'
          }} >> "$GITHUB_STEP_SUMMARY"
"""
    return text


# Deploys an environment with the digests the first job pushed, keeps its log, and on failure
# names the deploy's cause (shipway's `error:` lines: a rollback and ECS's reason, a failed
# smoke test) as an annotation and in the job summary.
DEPLOY_SCRIPT = """\
          arguments=()
          while IFS= read -r pair; do
            arguments+=(--image "$pair")
          done < <(jq -r 'to_entries[] | "\\(.key)=\\(.value)"' <<<"$IMAGES")
          log="$RUNNER_TEMP/deploy-$SHIPWAY_ENV.log"
          if [ "$SHIPWAY_APPROVE" = true ]; then
            arguments+=(--approve)  # the GitHub environment's reviewers approved this job
          fi
          if ! shipway deploy -f "$SHIPWAY_MANIFEST" --env "$SHIPWAY_ENV" "${arguments[@]}" 2>&1 |
              tee "$log"; then
            cause=$(grep -E '^error:' "$log" || tail -n 5 "$log")
            while IFS= read -r line; do
              echo "::error title=shipway deploy --env $SHIPWAY_ENV failed::$line"
            done <<<"$cause"
            printf '### %s: deploy failed\\n```\\n%s\\n```\\n' "$SHIPWAY_ENV" "$cause" \\
              >> "$GITHUB_STEP_SUMMARY"
            exit 1
          fi
          printf '### %s: deployed\\n```\\n%s\\n```\\n' "$SHIPWAY_ENV" \\
            "$(grep -E 'deployed to|^  [a-z0-9-]+  https?://' "$log")" \\
            >> "$GITHUB_STEP_SUMMARY"
"""


def deploy_workflow(app: str, found: list[Stage], options: WorkflowOptions) -> str:
    """Push to the main branch: build and push once, then deploy each environment in turn."""
    trigger = f"""  push:
    branches: [{options.branch}]"""
    text = _top(f"{app}: deploy", trigger, options)
    previous: Stage | None = None
    for stage in found:
        text += _deploy_job(app, stage, previous, first=found[0], options=options)
        previous = stage
    return text


def _deploy_job(
    app: str, stage: Stage, previous: Stage | None, *, first: Stage, options: WorkflowOptions
) -> str:
    needs = f"\n    needs: {previous.name}" if previous else ""
    images = (
        "${{ steps.push.outputs.images }}"
        if previous is None
        else f"${{{{ needs.{first.name}.outputs.images }}}}"
    )
    outputs = (
        """
    outputs:
      images: ${{ steps.push.outputs.images }}"""
        if previous is None
        else ""
    )
    gate = " (after its reviewers approve)" if previous is not None else ""
    text = f"""  {stage.name}:
    name: deploy {stage.name}{gate}{needs}
    runs-on: {RUNNER}
    timeout-minutes: 60
    environment: {stage.name}
    concurrency:
      group: {app}-{stage.name}
      cancel-in-progress: false
    permissions:
      contents: read  # check out the repository
      id-token: write  # OpenID Connect: assume the AWS role, no stored keys{outputs}
    steps:
{_setup(options)}{_credentials(stage.deploy_role(app), stage.region, stage.name)}"""
    if previous is None:
        text += f"""      - name: Build and push each image once (by digest)
        id: push
        run: |
          shipway push -f "$SHIPWAY_MANIFEST" --env {stage.name} --json > "$RUNNER_TEMP/images.json"
          pushed=$(jq -r 'to_entries[] | "\\(.key): \\(.value.status) \\(.value.uri)"' \\
            "$RUNNER_TEMP/images.json")
          echo "$pushed"
          printf '### images, built and pushed once\\n```\\n%s\\n```\\n' "$pushed" \\
            >> "$GITHUB_STEP_SUMMARY"
          echo "images=$(jq -c 'map_values(.uri)' "$RUNNER_TEMP/images.json")" >> "$GITHUB_OUTPUT"
"""
    text += f"""\
      - name: Deploy {stage.name} with those digests (ECS steady, then the smoke test)
        env:
          IMAGES: {images}
          SHIPWAY_ENV: {stage.name}
          SHIPWAY_APPROVE: "{str(stage.approve).lower()}"
        run: |
{DEPLOY_SCRIPT}"""
    return text
