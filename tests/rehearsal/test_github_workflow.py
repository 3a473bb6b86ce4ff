"""shop-cart's committed deploy workflow, its `run:` steps executed in order on this machine.

The checks workflow's validate, diff and check (for test) jobs run the same way, after the deploy.

What runs for real: every `run:` step as written (`uv tool install` of shipway, `npm ci` of the
CDK CLI from the generated lock, `shipway push --json`, the jq that turns it into `--image`
arguments, `shipway deploy` of test and then of prod with test's digests and `--approve`, the
job summary and the failure annotation), the Docker daemon building the image, the pinned CDK CLI
deploying into the moto server.

What stands in, and for what:
- `actions/checkout`: the job's folder is a copy of examples/ (the repository at that commit);
- `astral-sh/setup-uv`: this checkout's pinned uv on PATH;
- `aws-actions/configure-aws-credentials`: AssumeRoleWithWebIdentity on moto's STS for the very
  role the step names (moto hands out credentials of that role's account, so prod deploys into
  its own account), exported as the action exports them, plus AWS_ENDPOINT_URL (moto is AWS);
- SHIPWAY_PACKAGE: this checkout instead of the published package (no release exists yet);
- SHIPWAY_REGISTRY (a local registry for ECR) and SHIPWAY_SMOKE_URLS (the pushed image run as
  its task definition runs it, for the load balancer only AWS has), as in test_shipway_deploy.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import pytest
import yaml

from shipway.emulators import free_port
from shipway.testing.container import TaskContainer
from shipway.testing.notes import Stopwatch, note
from tests.rehearsal.github_runner import StepFailedError, WorkflowRunner

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from shipway.testing.docker_daemon import DockerDaemon
    from shipway.testing.local_registry import LocalRegistry
    from shipway.testing.rehearsal_moto import RehearsalMotoServer

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / "examples" / "shop-cart" / ".github" / "workflows"
WORKFLOW = WORKFLOWS / "shipway-shop-cart-deploy.yml"
CHECKS = WORKFLOWS / "shipway-shop-cart-checks.yml"
UV = ROOT / "tools" / "uv" / "bin"
# This checkout stands in for the published package the workflow installs.
PACKAGE = {"SHIPWAY_PACKAGE": str(ROOT)}


def _machine_path() -> str:
    # The runner's PATH: the system's tools (node, npm, jq, git), not this project's venv.
    kept = [part for part in os.environ["PATH"].split(os.pathsep) if ".venv" not in part]
    return os.pathsep.join([str(UV), *kept])


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository at the pushed commit, as actions/checkout leaves it: here, examples/."""
    root = tmp_path_factory.mktemp("checkout")
    ignored = shutil.ignore_patterns(".shipway", "__pycache__", "cdk.out", ".venv", "node_modules")
    shutil.copytree(ROOT / "examples", root / "examples", ignore=ignored)
    return root


class Rehearsal:
    """The machine a workflow run uses: moto, the registry, Docker, and the stand-in tasks."""

    def __init__(
        self,
        moto: RehearsalMotoServer,
        registry: LocalRegistry,
        daemon: DockerDaemon,
        temp: Path,
    ) -> None:
        self.moto, self.registry, self.daemon, self.temp = moto, registry, daemon, temp
        self.containers: list[TaskContainer] = []
        self.smoke_urls = ""
        self.credentials: dict[str, dict[str, str]] = {}

    def runner(
        self,
        workflow: dict[str, Any],
        repository: Path,
        *,
        before_step: Callable[[str, dict[str, Any], dict[str, str]], None] | None = None,
    ) -> WorkflowRunner:
        """A runner of workflow in repository on this machine, standing in for the `uses:`
        steps it cannot run."""
        return WorkflowRunner(
            workflow,
            workdir=repository,
            temp=self.temp,
            environment=self.machine(),
            stand_ins={
                "actions/checkout": lambda inputs, _: {},  # the copy is the checkout
                "astral-sh/setup-uv": lambda inputs, _: {},  # tools/uv/bin is on PATH
                "aws-actions/configure-aws-credentials": self.aws_credentials,
            },
            before_step=before_step,
        )

    def machine(self) -> dict[str, str]:
        """What the runner's environment holds before any step: tools, and what stands in for
        AWS's endpoints (moto), ECR (the local registry) and the container engine (Docker)."""
        tools = self.temp / "uv-tools"
        inherited = {
            k: v
            for k, v in os.environ.items()
            if k not in ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT")
        }
        return {
            **inherited,  # the machine's own settings (certificates, proxies, HOME)
            "PATH": _machine_path(),
            "UV_TOOL_DIR": str(tools / "tools"),
            "UV_TOOL_BIN_DIR": str(tools / "bin"),
            "AWS_ENDPOINT_URL": self.moto.endpoint_url,
            "SHIPWAY_REGISTRY": self.registry.host,
            "SHIPWAY_CONTAINER_ENGINE": "docker",
            "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
            **self.daemon.environment(),
        }

    def aws_credentials(
        self, inputs: dict[str, Any], environment: dict[str, str]
    ) -> dict[str, str]:
        """configure-aws-credentials: the web identity token exchanged for the role's keys."""
        sts = boto3.client(
            "sts",
            region_name=inputs["aws-region"],
            endpoint_url=self.moto.endpoint_url,
            aws_access_key_id="none",
            aws_secret_access_key="none",  # noqa: S106 - AssumeRoleWithWebIdentity is unsigned
        )
        assumed = sts.assume_role_with_web_identity(
            RoleArn=inputs["role-to-assume"],
            RoleSessionName=inputs["role-session-name"],
            WebIdentityToken="a GitHub OIDC token",  # noqa: S106 - moto checks none
        )["Credentials"]
        exported = {
            "AWS_ACCESS_KEY_ID": assumed["AccessKeyId"],
            "AWS_SECRET_ACCESS_KEY": assumed["SecretAccessKey"],
            "AWS_SESSION_TOKEN": assumed["SessionToken"],
            "AWS_REGION": inputs["aws-region"],
            "AWS_DEFAULT_REGION": inputs["aws-region"],
        }
        self.credentials[inputs["role-to-assume"]] = exported
        return exported

    def client(self, service: str, role: str) -> Any:
        keys = self.credentials[role]
        return boto3.client(
            service,
            region_name=keys["AWS_REGION"],
            endpoint_url=self.moto.endpoint_url,
            aws_access_key_id=keys["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=keys["AWS_SECRET_ACCESS_KEY"],
            aws_session_token=keys["AWS_SESSION_TOKEN"],
        )

    def before_step(self, job: str, step: dict[str, Any], environment: dict[str, str]) -> None:
        """Before a deploy: the tasks ECS would start from the pushed digests (once)."""
        if "shipway deploy" not in step["run"]:
            return
        if not self.containers:
            images = json.loads(environment["IMAGES"])
            settings = {
                "AWS_ENDPOINT_URL": self.moto.endpoint_url,
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_REGION": "us-east-1",
                "AWS_DEFAULT_REGION": "us-east-1",
                "TABLE_CARTS": "rehearsal-carts",
            }
            container = TaskContainer(self.daemon, images["cart"], port=free_port(), env=settings)
            self.containers.append(container.start())
            container.wait_healthy("/health")
            self.smoke_urls = f"cart={container.url}"
        environment["SHIPWAY_SMOKE_URLS"] = self.smoke_urls


@pytest.fixture(scope="module")
def rehearsal(
    tmp_path_factory: pytest.TempPathFactory,
    base_images: list[str],
    docker_daemon: DockerDaemon,
    local_registry: LocalRegistry,
    rehearsal_moto: RehearsalMotoServer,
) -> Iterator[Rehearsal]:
    made = Rehearsal(
        rehearsal_moto, local_registry, docker_daemon, tmp_path_factory.mktemp("runner")
    )
    yield made
    for container in made.containers:
        container.stop()


# Two jobs, each installing shipway and deploying (the test job also builds and pushes): longer
# than the suite's five minutes on a busy two-core machine.
@pytest.mark.timeout(1500)
def test_the_deploy_workflow_s_steps_build_once_deploy_test_then_prod_the_same_digest(
    repository: Path, rehearsal: Rehearsal
) -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    runner = rehearsal.runner(workflow, repository, before_step=rehearsal.before_step)

    # WHEN the test job runs THEN it pushes each image once and hands on digests
    with Stopwatch("workflow job test (install, push, deploy)"):
        outputs = runner.run_job("test", overrides=PACKAGE)
    images = json.loads(outputs["images"])
    # shop-cart builds two images: the cart API and the fulfilment worker (one Dockerfile)
    assert set(images) == {"cart", "fulfilment"}, outputs
    assert all("@sha256:" in uri for uri in images.values()), outputs
    assert images["cart"].startswith(f"{rehearsal.registry.host}/shop-cart-test-cart@")

    # AND test runs that digest, deployed, verified and smoke-tested
    test_role = workflow["jobs"]["test"]["steps"][3]["with"]["role-to-assume"]
    running = _running_images(rehearsal, test_role, "shop-cart-test")
    assert sorted(running) == sorted(images.values())

    # WHEN the prod job runs (its GitHub environment's reviewers approved) THEN prod, in its own
    # account, runs the very digest test ran, and nothing was built again
    with Stopwatch("workflow job prod (install, deploy with --approve)"):
        runner.run_job("prod", overrides=PACKAGE)
    prod_role = workflow["jobs"]["prod"]["steps"][3]["with"]["role-to-assume"]
    assert ":210987654321:" in prod_role
    running = _running_images(rehearsal, prod_role, "shop-cart-prod")
    assert sorted(running) == sorted(images.values())
    prod_output = runner.steps_run[-1].output
    assert "shop-cart deployed to prod" in prod_output and "smoke test cart" in prod_output
    assert "image cart" not in prod_output  # no build, no push: the digests are given
    assert "image fulfilment" not in prod_output

    summary = runner.summary.read_text(encoding="utf-8")
    assert "### test: deployed" in summary and "### prod: deployed" in summary
    assert "### images, built and pushed once" in summary and "cart: pushed" in summary
    assert "fulfilment: pushed" in summary
    note(f"github workflow: {len(runner.steps_run)} run: steps passed; summary:\n{summary}")


def test_a_failed_deploy_step_names_its_cause(repository: Path, rehearsal: Rehearsal) -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    runner = rehearsal.runner(workflow, repository)
    # GIVEN the test job handed on an image list naming a service shop-cart does not have
    runner.needs["test"] = {"images": json.dumps({"basket": "example/basket@sha256:" + "0" * 64})}

    # WHEN the prod job runs THEN its deploy step fails, and says why where GitHub shows it
    with pytest.raises(StepFailedError) as failed:
        runner.run_job("prod", overrides=PACKAGE)
    assert failed.value.status == 1
    annotation = "::error title=shipway deploy --env prod failed::error: --image 'basket="
    assert annotation in failed.value.output
    summary = runner.summary.read_text(encoding="utf-8")
    assert "### prod: deploy failed" in summary and "there is no service 'basket'" in summary


def _running_images(rehearsal: Rehearsal, role: str, stack: str) -> list[str]:
    """The image of each ECS service's task definition in stack, as its account's ECS says."""
    cloudformation = rehearsal.client("cloudformation", role)
    ecs = rehearsal.client("ecs", role)
    resources = cloudformation.describe_stack_resources(StackName=stack)["StackResources"]
    assert cloudformation.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"].endswith(
        "_COMPLETE"
    )
    cluster = next(
        r["PhysicalResourceId"] for r in resources if r.get("ResourceType") == "AWS::ECS::Cluster"
    )
    images = []
    for resource in resources:
        if resource.get("ResourceType") == "AWS::ECS::Service":
            service = ecs.describe_services(
                cluster=cluster, services=[resource["PhysicalResourceId"]]
            )
            definition = ecs.describe_task_definition(
                taskDefinition=service["services"][0]["taskDefinition"]
            )
            images.append(definition["taskDefinition"]["containerDefinitions"][0]["image"])
    return images


def test_the_checks_workflow_validates_and_diffs_test_into_the_summary(
    repository: Path, rehearsal: Rehearsal
) -> None:
    # After the deploy above, test's stacks exist: the pull request's diff reads them.
    workflow = yaml.safe_load(CHECKS.read_text(encoding="utf-8"))
    runner = rehearsal.runner(workflow, repository)
    runner.summary.write_text("", encoding="utf-8")
    runner.run_job("validate", overrides=PACKAGE)
    assert "application 'shop-cart'" in runner.steps_run[-1].output
    runner.run_job("diff", overrides=PACKAGE)
    summary = runner.summary.read_text(encoding="utf-8")
    assert summary.startswith("### shipway diff --env test\n```\n"), summary
    assert "shop-cart-test" in summary and summary.rstrip().endswith("```")


def test_the_checks_workflow_s_check_job_gates_an_environment(
    repository: Path, rehearsal: Rehearsal
) -> None:
    workflow = yaml.safe_load(CHECKS.read_text(encoding="utf-8"))
    runner = rehearsal.runner(workflow, repository)
    runner.needs["validate"] = {}  # the job it needs ran above; it hands on nothing
    # WHEN the check job runs for test (one combination of its matrix) THEN its install step
    # puts the pinned cfn-lint and checkov on PATH and `shipway check` passes every gate
    with Stopwatch("workflow job check (test: install with the gates, shipway check)"):
        runner.run_job("check", overrides=PACKAGE, matrix={"environment": "test"})
    install, check = runner.steps_run[-2:]
    assert install.name == "Install shipway and the CDK CLI"
    assert "cfn-lint" in install.output and "checkov" in install.output
    assert check.name == "shipway check"
    assert "cdk-nag: 0 unacknowledged | cfn-lint: 0 errors, 0 warnings" in check.output
    assert "✓ no findings" in check.output, check.output
