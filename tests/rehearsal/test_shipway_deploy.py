"""`shipway push`, `deploy` and `destroy` through the real command, rehearsed on this machine.

The CDK CLI deploys into the moto server (CloudFormation, ECS, ECR, DynamoDB, S3, ...), the images
are built by the real Docker daemon and pushed to a local registry standing in for ECR's
(SHIPWAY_REGISTRY), and the ECS tasks are stood in by the pushed images run as their task
definitions run them, which the smoke test reaches (SHIPWAY_SMOKE_URLS) instead of a load
balancer only AWS has. Each example is a copy, so a second deploy can change one of its files.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import pytest

from shipway.emulators import free_port
from shipway.manifest.names import pascal
from shipway.testing.container import TaskContainer
from shipway.testing.docker_daemon import DockerDaemon
from shipway.testing.notes import Stopwatch, note

if TYPE_CHECKING:
    from collections.abc import Iterator

    from shipway.testing.local_registry import LocalRegistry
    from shipway.testing.rehearsal_moto import RehearsalMotoServer

pytestmark = pytest.mark.slow
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
# example: (region, web services and their health path)
DEPLOYED = {
    "three-tier": ("us-west-2", {"api": "/healthz", "web": "/healthz"}),
    "bootcamp-api": ("us-east-1", {"api": "/_health"}),
    "profile": ("us-east-2", {"profile": "/health"}),
}


@dataclass
class Rehearsal:
    """One example's copy and the environment its commands run in."""

    example: str
    folder: Path
    region: str
    environment: dict[str, str]
    daemon: DockerDaemon
    containers: list[TaskContainer] = field(default_factory=list)
    tasks: dict[str, TaskContainer] = field(default_factory=dict)  # by service

    @property
    def manifest(self) -> Path:
        return self.folder / self.example / "shipway.yml"

    def shipway(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        """`shipway <arguments> -f <manifest> --env test`, as a user runs it."""
        argv = [sys.executable, "-m", "shipway.cli", *arguments, "-f", str(self.manifest)]
        return subprocess.run(  # noqa: S603 - this interpreter, our arguments
            [*argv, "--env", "test"],
            cwd=self.folder / self.example,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            region_name=self.region,
            endpoint_url=self.environment["AWS_ENDPOINT_URL"],
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples folder, copied: builds read from it and a test changes a file in it."""
    root = tmp_path_factory.mktemp("examples-copy")
    ignored = shutil.ignore_patterns(".shipway", "__pycache__", "cdk.out", ".venv")
    shutil.copytree(EXAMPLES, root / "examples", ignore=ignored)
    return root / "examples"


@pytest.fixture(scope="module")
def rehearsals(
    copies: Path,
    base_images: list[str],
    docker_daemon: DockerDaemon,
    local_registry: LocalRegistry,
    rehearsal_moto: RehearsalMotoServer,
) -> Iterator[dict[str, Rehearsal]]:
    """Each deployed example's environment: moto, the local registry, the session's Docker."""
    made = {}
    for example, (region, _) in DEPLOYED.items():
        environment = {
            **os.environ,
            **rehearsal_moto.client_environment(region),
            **docker_daemon.environment(),
            "SHIPWAY_REGISTRY": local_registry.host,
            "SHIPWAY_CONTAINER_ENGINE": "docker",
        }
        made[example] = Rehearsal(example, copies, region, environment, docker_daemon)
    yield made
    for rehearsal in made.values():
        for container in rehearsal.containers:
            container.stop()


def _pushed(result: subprocess.CompletedProcess[str]) -> dict[str, str]:
    """`SERVICE=URI@digest` lines of `shipway push`."""
    assert result.returncode == 0, result.stdout + result.stderr
    return dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)


def _tasks(rehearsal: Rehearsal, images: dict[str, str]) -> None:
    """Stand in for the ECS tasks: each pushed image, run as its task definition runs it
    (services in the order they call each other; the settings each needs to start)."""
    urls: dict[str, str] = {}
    for service, path in DEPLOYED[rehearsal.example][1].items():
        settings = {**_wiring(rehearsal), **TASK_SETTINGS.get(service, {})}
        if service == "web" and "api" in urls:
            settings["SERVICE_API_URL"] = urls["api"]
        container = TaskContainer(
            rehearsal.daemon, images[service], port=free_port(), env=settings
        ).start()
        rehearsal.containers.append(container)
        rehearsal.tasks[service] = container
        container.wait_healthy(path)
        urls[service] = container.url
    rehearsal.environment["SHIPWAY_SMOKE_URLS"] = ",".join(f"{k}={v}" for k, v in urls.items())


TASK_SETTINGS = {
    "api": {"TABLE_ITEMS": "rehearsal-items", "TABLE_USERS": "rehearsal-users"},
}


def _wiring(rehearsal: Rehearsal) -> dict[str, str]:
    return {
        "AWS_ENDPOINT_URL": rehearsal.environment["AWS_ENDPOINT_URL"],
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": rehearsal.region,
        "AWS_DEFAULT_REGION": rehearsal.region,
        "JWT_KEY": "k" * 48,  # bootcamp-api refuses to start without a signing key
    }


def _images(rehearsal: Rehearsal) -> dict[str, str]:
    """Each service's image, as the deployed stack says (its `<Service>Image` outputs), and
    the task definition each ECS service runs."""
    cloudformation = rehearsal.client("cloudformation")
    stack = cloudformation.describe_stacks(StackName=f"{_app(rehearsal)}-test")["Stacks"][0]
    outputs = {output["OutputKey"]: output["OutputValue"] for output in stack["Outputs"]}
    images = {name: outputs[f"{pascal(name)}Image"] for name in DEPLOYED[rehearsal.example][1]}
    for definition in _running_definitions(rehearsal).values():
        running = definition["containerDefinitions"][0]["image"]
        assert running in images.values(), (running, images)  # what runs is what it says
    return images


def _running_definitions(rehearsal: Rehearsal) -> dict[str, dict[str, Any]]:
    """The task definition each ECS service of the deployed stack runs, by manifest name."""
    cloudformation, ecs = rehearsal.client("cloudformation"), rehearsal.client("ecs")
    resources = cloudformation.describe_stack_resources(StackName=f"{_app(rehearsal)}-test")
    cluster = next(
        r["PhysicalResourceId"]
        for r in resources["StackResources"]
        if r["ResourceType"] == "AWS::ECS::Cluster"
    )
    definitions = {}
    for resource in resources["StackResources"]:
        if resource["ResourceType"] == "AWS::ECS::Service":
            service = ecs.describe_services(
                cluster=cluster, services=[resource["PhysicalResourceId"]]
            )["services"][0]
            described = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])
            name = service["serviceName"].removeprefix(f"{_app(rehearsal)}-test-")
            definitions[name] = described["taskDefinition"]
    return definitions


def _status_matches_the_deploy(rehearsal: Rehearsal) -> None:
    status = rehearsal.shipway("status", "--json")
    assert status.returncode == 0, status.stdout + status.stderr
    report = json.loads(status.stdout)
    assert report["healthy"] is True and report["stack_status"] == "CREATE_COMPLETE"
    running = _running_definitions(rehearsal)
    for service in report["services"]:
        definition = running[service["name"]]
        assert service["running"] >= service["desired"] and service["rollout"] == "COMPLETED"
        assert service["revision"] == definition["revision"]
        assert definition["containerDefinitions"][0]["image"].endswith(":" + service["image_tag"])
    assert {service["name"] for service in report["services"]} == set(running)


def _container_health_checks_pass(rehearsal: Rehearsal) -> int:
    """Run each deployed task definition's container health check inside the container that
    stands in for its task, as ECS would; return how many ran. The stand-in listens on a free
    port of this machine, so the command's port is swapped for that one."""
    ran = 0
    for service, definition in _running_definitions(rehearsal).items():
        container_definition = definition["containerDefinitions"][0]
        container = rehearsal.tasks[service]
        kind, command = container_definition["healthCheck"]["command"]
        assert kind == "CMD-SHELL"
        declared = container_definition["portMappings"][0]["containerPort"]
        command = command.replace(f"127.0.0.1:{declared}/", f"127.0.0.1:{container.port}/")
        probe = rehearsal.daemon.docker("exec", container.id, "sh", "-c", command, check=False)
        assert probe.returncode == 0, (service, command, probe.stdout, probe.stderr)
        ran += 1
    return ran


# example: {service: its env_file}, each deployed as an S3 env file its task definition names
ENV_FILES = {"profile": {"profile": "profile.env"}}


def _env_files_are_the_manifests(rehearsal: Rehearsal) -> int:
    """Each running task definition's environment files, read back from S3 where the deploy
    published them: the bytes of the env_file beside the manifest. Returns how many."""
    s3, read = rehearsal.client("s3"), 0
    for service, definition in _running_definitions(rehearsal).items():
        files = definition["containerDefinitions"][0].get("environmentFiles", [])
        expected = ENV_FILES.get(rehearsal.example, {}).get(service)
        assert len(files) == (1 if expected else 0), (service, files)
        for env_file in files:
            assert env_file["type"] == "s3"
            bucket, key = env_file["value"].split(":::", 1)[1].split("/", 1)
            published = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
            assert published == (rehearsal.manifest.parent / str(expected)).read_bytes()
            read += 1
    return read


def _app(rehearsal: Rehearsal) -> str:
    return {"three-tier": "three-tier", "bootcamp-api": "bootcamp", "profile": "profile"}[
        rehearsal.example
    ]


@pytest.mark.parametrize("example", list(DEPLOYED))
def test_push_then_deploy_verifies_then_a_second_deploy_changes_nothing(
    example: str, rehearsals: dict[str, Rehearsal]
) -> None:
    rehearsal = rehearsals[example]

    # WHEN the images are pushed (the registry stack is deployed first)
    with Stopwatch(f"shipway push {example}"):
        images = _pushed(rehearsal.shipway("push"))
    assert set(images) == set(DEPLOYED[example][1])
    assert all("@sha256:" in uri for uri in images.values())
    _tasks(rehearsal, images)

    # AND the environment is deployed
    with Stopwatch(f"shipway deploy {example}"):
        deployed = rehearsal.shipway("deploy")

    # THEN the stack exists, every service runs its image's content tag, and the deploy says so
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert "deployed to test (updated)" in deployed.stdout
    for step in ("synthesize CloudFormation and run cdk-nag", "deploy", "smoke test"):
        assert step in deployed.stderr, deployed.stderr
    status = rehearsal.client("cloudformation").describe_stacks(StackName=f"{_app(rehearsal)}-test")
    assert status["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    # AND each task definition's container health check passes inside its image (an Express
    # service has no container check of its own: its load balancer's path check stands)
    checked = 0 if example == "bootcamp-api" else len(DEPLOYED[example][1])
    assert _container_health_checks_pass(rehearsal) == checked
    # AND `shipway status` reads the deployed environment back: every service at its count on
    # the revision just deployed, running its content tag (Express's own ECS service is stood in)
    if example != "bootcamp-api":
        _status_matches_the_deploy(rehearsal)
    # AND an env_file reached the task definition through S3, byte for byte
    assert _env_files_are_the_manifests(rehearsal) == len(ENV_FILES.get(example, {}))
    note(f"{example}: deploy output tail: " + deployed.stderr.splitlines()[-1])

    # WHEN it is deployed again without a change THEN CloudFormation changes nothing
    again = rehearsal.shipway("deploy")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "(no changes)" in again.stdout and "(no changes)" in again.stderr
    assert "unchanged" in again.stderr and "pushed" not in again.stderr.replace("unchanged", "")


def test_a_changed_file_rolls_out_only_its_service_then_destroy_leaves_nothing(
    rehearsals: dict[str, Rehearsal], copies: Path
) -> None:
    rehearsal = rehearsals["three-tier"]
    before = _images(rehearsal)
    # GIVEN a change to a file only the web image copies
    page = copies / "three-tier" / "three_tier_web" / "__init__.py"
    page.write_text(page.read_text(encoding="utf-8") + "\n# a change\n", encoding="utf-8")

    # WHEN deployed
    changed = rehearsal.shipway("deploy")

    # THEN web runs a new image, api the same one
    assert changed.returncode == 0, changed.stdout + changed.stderr
    after = _images(rehearsal)
    assert after["web"] != before["web"] and after["api"] == before["api"]
    assert "web: pushed" in changed.stderr and "api: unchanged" in changed.stderr

    # WHEN destroyed THEN both stacks are gone and nothing is kept (a test environment)
    destroyed = rehearsal.shipway("destroy", "--force")
    assert destroyed.returncode == 0, destroyed.stdout + destroyed.stderr
    assert "kept:" not in destroyed.stdout
    names = [s["StackName"] for s in rehearsal.client("cloudformation").describe_stacks()["Stacks"]]
    assert not [name for name in names if name.startswith("three-tier-test")]
    assert rehearsal.client("ecr").describe_repositories()["repositories"] == [] or all(
        not repo["repositoryName"].startswith("three-tier-test")
        for repo in rehearsal.client("ecr").describe_repositories()["repositories"]
    )
    note("three-tier: " + json.dumps({"before": before, "after": after}))


def test_a_changed_env_file_rolls_out_a_new_task_definition_on_the_same_image(
    rehearsals: dict[str, Rehearsal],
) -> None:
    rehearsal = rehearsals["profile"]
    before = _running_definitions(rehearsal)["profile"]
    # GIVEN the card changed in profile.env (not in the image's build context)
    env_file = rehearsal.manifest.parent / "profile.env"
    card = env_file.read_text(encoding="utf-8")
    env_file.write_text(card.replace("=AWS,Kubernetes", "=AWS,Kubernetes,Go"), encoding="utf-8")

    # WHEN deployed
    changed = rehearsal.shipway("deploy")

    # THEN ECS runs a new revision naming the new file's object, on the image it ran before
    assert changed.returncode == 0, changed.stdout + changed.stderr
    assert "profile: unchanged" in changed.stderr, changed.stderr
    after = _running_definitions(rehearsal)["profile"]
    assert after["revision"] > before["revision"]
    image = [definition["containerDefinitions"][0]["image"] for definition in (before, after)]
    assert image[0] == image[1]
    assert _env_files_are_the_manifests(rehearsal) == 1  # the new bytes, read back from S3
    files = [d["containerDefinitions"][0]["environmentFiles"] for d in (before, after)]
    assert files[0] != files[1]
