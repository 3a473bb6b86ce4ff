"""profile's CodePipeline, its CodeBuild projects' buildspecs (read from the synthesized pipeline
stack) executed in the pipeline's order on this machine: Build, then Deploy-test, then (after the
manual approval, which only a person gives) Deploy-prod.

What runs for real: every command of every phase as the template holds it (a venv with uv, `uv
tool install` of shipway, cfn-lint and checkov, `npm ci` of the pinned CDK CLI and Node from the
lock the buildspec writes, `shipway check` of test and prod, `shipway push --json` into the
artifact file, the jq that turns it into `--image` arguments, `shipway deploy` of test and then
of prod with test's digests and `--approve`), the Docker daemon building the image, the pinned
CDK CLI deploying into moto.

What stands in, and for what:
- the CodeConnections source action: CODEBUILD_SRC_DIR is a copy of examples/ (the repository at
  the pushed commit), fresh for each project as CodePipeline unpacks the Source artifact;
- the Images artifact: the build's `shipway-images.json` copied into the folder CodeBuild names
  CODEBUILD_SRC_DIR_Images;
- CodeBuild's container: a fresh tools folder per project (SHIPWAY_TOOLS) on this machine's
  Python, npm and jq; the project role's credentials: moto's, with AWS_ENDPOINT_URL (moto is AWS)
  and the project's region;
- SHIPWAY_PACKAGE: this checkout instead of the published package (no release exists yet);
- SHIPWAY_REGISTRY (a local registry for ECR) and SHIPWAY_SMOKE_URLS (the pushed image run as its
  task definition runs it, for the load balancer only AWS has), as in test_shipway_deploy.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import pytest

from shipway.emulators import free_port
from shipway.pipeline.buildspec import IMAGES_ARTIFACT, IMAGES_FILE
from shipway.testing.container import TaskContainer
from shipway.testing.notes import Stopwatch, note
from shipway.testing.rehearsal_moto import RehearsalMotoServer
from tests.rehearsal.codebuild_runner import BuildRunner

if TYPE_CHECKING:
    from collections.abc import Iterator

    from shipway.testing.docker_daemon import DockerDaemon
    from shipway.testing.local_registry import LocalRegistry

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
UV = ROOT / "tools" / "uv" / "bin"
REGION = "us-east-2"  # profile's, where its pipeline and projects run


class Pipeline:
    """One pipeline run on this machine: the projects' buildspecs and what each hands on."""

    def __init__(
        self,
        template: dict[str, Any],
        temp: Path,
        moto: RehearsalMotoServer,
        registry: LocalRegistry,
        daemon: DockerDaemon,
    ) -> None:
        self.template, self.temp = template, temp
        self.moto, self.registry, self.daemon = moto, registry, daemon
        self.artifacts = temp / "artifacts"
        self.containers: list[TaskContainer] = []
        self.smoke_urls = ""

    def buildspec(self, logical_prefix: str) -> dict[str, Any]:
        (project,) = [
            body
            for key, body in self.template["Resources"].items()
            if body["Type"] == "AWS::CodeBuild::Project" and key.startswith(logical_prefix)
        ]
        spec: dict[str, Any] = json.loads(project["Properties"]["Source"]["BuildSpec"])
        return spec

    def run_project(self, logical_prefix: str) -> BuildRunner:
        """Run one project's buildspec in a fresh checkout and tools folder."""
        work = self.temp / logical_prefix
        source = work / "src"
        ignored = shutil.ignore_patterns(".shipway", "__pycache__", "cdk.out", ".venv")
        shutil.copytree(ROOT / "examples", source / "examples", ignore=ignored)
        runner = BuildRunner(self.buildspec(logical_prefix), source, work)
        runner.run(
            self._codebuild(source),
            {"SHIPWAY_PACKAGE": str(ROOT), "SHIPWAY_TOOLS": str(work / "tools")},
        )
        produced = source / IMAGES_FILE
        if produced.exists():  # the Images output artifact, for the deploy projects
            (self.artifacts / IMAGES_ARTIFACT).mkdir(parents=True, exist_ok=True)
            shutil.copy(produced, self.artifacts / IMAGES_ARTIFACT / IMAGES_FILE)
        return runner

    def _codebuild(self, source: Path) -> dict[str, str]:
        """What CodeBuild and the machine give each command before the buildspec's own."""
        kept = [part for part in os.environ["PATH"].split(os.pathsep) if ".venv" not in part]
        inherited = {
            k: v
            for k, v in os.environ.items()
            if k not in ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "PATH")
        }
        return {
            **inherited,  # the machine's own settings (certificates, proxies, HOME, uv's cache)
            "PATH": os.pathsep.join([str(UV), *kept]),
            "CODEBUILD_SRC_DIR": str(source),
            f"CODEBUILD_SRC_DIR_{IMAGES_ARTIFACT}": str(self.artifacts / IMAGES_ARTIFACT),
            **self.moto.client_environment(REGION),
            "SHIPWAY_REGISTRY": self.registry.host,
            "SHIPWAY_CONTAINER_ENGINE": "docker",
            "SHIPWAY_SMOKE_URLS": self.smoke_urls,
            "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
            **self.daemon.environment(),
        }

    def start_tasks(self, image: str) -> None:
        """What ECS would run from the pushed digest, for the smoke test (once)."""
        settings = self.moto.client_environment(REGION)
        container = TaskContainer(self.daemon, image, port=free_port(), env=settings)
        self.containers.append(container.start())
        container.wait_healthy("/health")
        self.smoke_urls = f"profile={container.url}"

    def running_images(self, stack: str) -> list[str]:
        """The image of each ECS service's task definition in stack, as moto's ECS says."""
        settings = {"region_name": REGION, "endpoint_url": self.moto.endpoint_url}
        keys = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
        cloudformation = boto3.client("cloudformation", **settings, **keys)
        ecs = boto3.client("ecs", **settings, **keys)
        resources = cloudformation.describe_stack_resources(StackName=stack)["StackResources"]
        cluster = next(
            r["PhysicalResourceId"] for r in resources if r["ResourceType"] == "AWS::ECS::Cluster"
        )
        images = []
        for resource in resources:
            if resource["ResourceType"] == "AWS::ECS::Service":
                (service,) = ecs.describe_services(
                    cluster=cluster, services=[resource["PhysicalResourceId"]]
                )["services"]
                definition = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])
                images.append(definition["taskDefinition"]["containerDefinitions"][0]["image"])
        return images


@pytest.fixture(scope="module")
def pipeline(
    profile_pipeline: tuple[str, dict[str, Any]],
    tmp_path_factory: pytest.TempPathFactory,
    base_images: list[str],
    docker_daemon: DockerDaemon,
    local_registry: LocalRegistry,
) -> Iterator[Pipeline]:
    _, template = profile_pipeline
    # A moto of its own: the pipeline deploys profile's test and prod stacks, which the session's
    # moto must not hold when tests/rehearsal/test_shipway_deploy.py creates profile's test stack.
    with RehearsalMotoServer() as moto:
        made = Pipeline(
            template, tmp_path_factory.mktemp("codepipeline"), moto, local_registry, docker_daemon
        )
        yield made
        for container in made.containers:
            container.stop()


# Three projects, each installing shipway; the build also checks two environments and builds:
# longer than the suite's five minutes on a busy two-core machine.
@pytest.mark.timeout(2400)
def test_the_buildspecs_check_and_push_once_then_deploy_test_and_prod_the_same_digest(
    pipeline: Pipeline,
) -> None:
    # WHEN the Build project runs THEN both environments pass the gates and each image is
    # pushed once, by digest, into the Images artifact
    with Stopwatch("codebuild Build (install, check test and prod, push)"):
        build = pipeline.run_project("Build")
    checks = [run.output for run in build.commands_run if run.phase == "pre_build"]
    assert len(checks) == 2 and all("✓ no findings" in output for output in checks), checks
    images = json.loads((pipeline.artifacts / IMAGES_ARTIFACT / IMAGES_FILE).read_text())
    assert set(images) == {"profile"}, images
    image = images["profile"]["uri"]
    assert image.startswith(f"{pipeline.registry.host}/profile-test-profile@sha256:"), image
    assert images["profile"]["status"] in ("pushed", "unchanged")

    # WHEN Deploy-test runs with that artifact THEN test runs that digest, verified and smoked
    pipeline.start_tasks(image)
    with Stopwatch("codebuild Deploy-test (install, deploy)"):
        test = pipeline.run_project("DeployTest")
    deployed = test.commands_run[-1].output
    assert "profile deployed to test" in deployed and "smoke test profile" in deployed
    assert pipeline.running_images("profile-test") == [image]

    # WHEN (the approval given) Deploy-prod runs THEN prod runs the very digest, nothing built
    with Stopwatch("codebuild Deploy-prod (install, deploy --approve)"):
        prod = pipeline.run_project("DeployProd")
    deployed = prod.commands_run[-1].output
    assert "profile deployed to prod" in deployed and "smoke test profile" in deployed
    assert "image profile" not in deployed  # no build, no push: the digest is given
    assert pipeline.running_images("profile-prod") == [image]
    commands = len(build.commands_run) + len(test.commands_run) + len(prod.commands_run)
    note(f"codepipeline buildspecs: {commands} commands passed; pushed {image}")
