"""A job that builds its own image, through the real commands as a user runs them: `shipway
push` deploys the registry stack into moto (the job's own repository), builds the image with the
session's Docker daemon and pushes it to the local registry standing in for ECR; `shipway
deploy` deploys the environment, whose task definition for the job names that repository and
the image's content tag; `shipway push` again pushes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from typing import TYPE_CHECKING, Any

import pytest

from shipway.testing.notes import Stopwatch

if TYPE_CHECKING:
    from pathlib import Path

    from shipway.testing.docker_daemon import DockerDaemon
    from shipway.testing.local_registry import LocalRegistry
    from shipway.testing.rehearsal_moto import RehearsalMotoServer

pytestmark = pytest.mark.slow
REGION = "eu-west-1"
MANIFEST = f"""\
name: nightly
environments:
  test: {{account: "123456789012", region: {REGION}, nat_gateways: 1}}
jobs:
  report:
    image: {{build: {{context: report}}}}
    schedule: cron(0 3 * * ? *)
    local: {{command: [python, report.py]}}
"""


def test_a_job_built_from_source_is_pushed_to_its_repository_and_deployed_by_content_tag(
    tmp_path: Path,
    base_images: list[str],
    docker_daemon: DockerDaemon,
    local_registry: LocalRegistry,
    rehearsal_moto: RehearsalMotoServer,
) -> None:
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "report.py").write_text("print('report written')\n", encoding="utf-8")
    (tmp_path / "report" / "Dockerfile").write_text(
        f"FROM {base_images[0]}\nCOPY report.py /app/report.py\nUSER 10001\n"
        'CMD ["python3", "/app/report.py"]\n',
        encoding="utf-8",
    )
    (tmp_path / "shipway.yml").write_text(MANIFEST, encoding="utf-8")
    environment = {
        **os.environ,
        **rehearsal_moto.client_environment(REGION),
        **docker_daemon.environment(),
        "SHIPWAY_REGISTRY": local_registry.host,
        "SHIPWAY_CONTAINER_ENGINE": "docker",
    }

    def shipway(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - this interpreter, our arguments
            [sys.executable, "-m", "shipway.cli", *arguments, "--env", "test"],
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )

    # WHEN its image is pushed
    with Stopwatch("shipway push (a job's own image)"):
        pushed = shipway("push", "--json")
    # THEN the job's image went to its own repository, by digest
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    images = json.loads(pushed.stdout)
    assert set(images) == {"report"}
    assert images["report"]["status"] == "pushed"
    repository, digest = images["report"]["uri"].split("@")
    assert repository.endswith("/nightly-test-report") and digest.startswith("sha256:")
    tags = _get(f"http://{local_registry.host}/v2/nightly-test-report/tags/list")["tags"]
    assert tags == [images["report"]["tag"]]

    # WHEN the environment is deployed
    with Stopwatch("shipway deploy (a job's own image)"):
        deployed = shipway("deploy")
    # THEN the job's task definition runs that repository at that content tag
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    definition = _job_task_definition(rehearsal_moto, "nightly-test")
    image = definition["containerDefinitions"][0]["image"]
    assert image.endswith(f"/nightly-test-report:{images['report']['tag']}"), image

    # WHEN pushed again THEN nothing is built or pushed: the tag is there already
    again = shipway("push", "--json")
    assert again.returncode == 0, again.stdout + again.stderr
    assert json.loads(again.stdout)["report"]["status"] == "unchanged"


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - the local registry
        return json.loads(answer.read())


def _job_task_definition(moto: RehearsalMotoServer, stack: str) -> dict[str, Any]:
    resources = moto.client("cloudformation", REGION).describe_stack_resources(StackName=stack)
    (arn,) = [
        resource["PhysicalResourceId"]
        for resource in resources["StackResources"]
        if resource["ResourceType"] == "AWS::ECS::TaskDefinition"
    ]
    ecs = moto.client("ecs", REGION)
    definition: dict[str, Any] = ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]
    return definition
