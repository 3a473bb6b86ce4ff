"""`shipway exec SERVICE --env test` through the real CLI, against a moto server holding the
exec_network acceptance manifest's test stack (tests/operations/environment.py) with one running
task of web.

moto has no ExecuteCommand: the rehearsal's moto answers it with a stand-in session
(shipway.testing.ecs_exec_stand_in), and a `session-manager-plugin` script on PATH records the
arguments it is handed instead of opening a websocket. Everything before the plugin is real:
CloudFormation, ListTasks, DescribeTasks, ExecuteCommand over HTTP."""

from __future__ import annotations

import json
import os
import stat
import textwrap
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from shipway.cli import app
from shipway.manifest import load_manifest, resolve
from shipway.operations.aws import Clients
from shipway.testing.rehearsal_moto import RehearsalMotoServer
from tests.operations import environment

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.slow
MANIFEST = Path(__file__).resolve().parents[1] / "data" / "exec_network" / "shipway.yml"
PLAN = resolve(load_manifest(MANIFEST), "test")
FAKE_PLUGIN = """\
    #!{python}
    import json, sys
    with open({record!r}, "w") as record:
        json.dump(sys.argv[1:], record)
    sys.exit(3)
"""


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The test stack in a moto server of this module's own, web running one task, and a fake
    plugin first on PATH."""
    folder = tmp_path_factory.mktemp("plugin")
    record = folder / "arguments.json"
    plugin = folder / "session-manager-plugin"
    plugin.write_text(
        textwrap.dedent(FAKE_PLUGIN).format(python=os.sys.executable, record=str(record)),  # type: ignore[attr-defined]
        encoding="utf-8",
    )
    plugin.chmod(plugin.stat().st_mode | stat.S_IXUSR)
    with RehearsalMotoServer() as server, pytest.MonkeyPatch.context() as patch:
        for key, value in server.client_environment(PLAN.settings.region).items():
            patch.setenv(key, value)
        patch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
        clients = Clients(PLAN.settings.region)
        environment.deploy(clients, PLAN)
        _tasks_keep_running(server.endpoint_url)
        yield {
            "clients": clients,
            "record": record,
            "task": _run_web_task(clients),
            "endpoint": server.endpoint_url,
        }


def _tasks_keep_running(endpoint: str) -> None:
    """moto moves a task one step towards STOPPED each time it is described: keep it RUNNING."""
    request = urllib.request.Request(  # noqa: S310 - the local moto server
        f"{endpoint}/moto-api/state-manager/set-transition",
        data=json.dumps(
            {"model_name": "ecs::task", "transition": {"progression": "manual", "times": 10**6}}
        ).encode(),
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10):  # noqa: S310
        pass


def _run_web_task(clients: Clients) -> str:
    ecs = clients.client("ecs")
    cluster = ecs.list_clusters()["clusterArns"][0]
    # A revision moto can place: it sums the containers' memory (the stack's leave it to the
    # task), and its awsvpc tasks fail on a missing ENI attribute (moto 5), so bridge mode.
    revision = ecs.register_task_definition(
        family="harbour-test-web",
        containerDefinitions=[{"name": "app", "image": "web:c0ffee12", "memory": 512}],
        networkMode="bridge",
    )["taskDefinition"]["taskDefinitionArn"]
    started = ecs.run_task(
        cluster=cluster,
        taskDefinition=revision,
        group="service:harbour-test-web",  # as ECS groups a service's tasks
        launchType="FARGATE",
    )
    return str(started["tasks"][0]["taskArn"])


def shipway_exec(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["exec", *args, "-f", str(MANIFEST)])
    return result.exit_code, result.stderr


def test_a_session_is_opened_and_handed_to_the_plugin_as_the_aws_cli_does(
    deployed: dict[str, Any],
) -> None:
    code, _ = shipway_exec("web", "--env", "test", "--command", "ls /")

    assert code == 3  # the plugin's exit status is the command's
    session, region, action, profile, parameters, endpoint = json.loads(
        deployed["record"].read_text(encoding="utf-8")
    )
    session = json.loads(session)
    assert session["sessionId"].startswith("ecs-execute-command-")
    assert session["streamUrl"].startswith("wss://ssmmessages.us-east-1.amazonaws.com/")
    assert session["tokenValue"]
    assert (region, action, profile) == ("us-east-1", "StartSession", "")
    cluster = deployed["clients"].client("ecs").list_clusters()["clusterArns"][0]
    task_id = deployed["task"].rsplit("/", 1)[-1]
    assert json.loads(parameters)["Target"].startswith(
        f"ecs:{cluster.rsplit('/', 1)[-1]}_{task_id}_"
    )
    assert endpoint == deployed["endpoint"]


def test_a_named_task_is_used(deployed: dict[str, Any]) -> None:
    task_id = deployed["task"].rsplit("/", 1)[-1]
    deployed["record"].unlink(missing_ok=True)

    code, _ = shipway_exec("web", "--env", "test", "--task", task_id)

    assert code == 3
    assert task_id in json.loads(deployed["record"].read_text(encoding="utf-8"))[4]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["nope", "--env", "test"], ["there is no service 'nope'", "web, api, sweeper, kiosk"]),
        (
            ["sweeper", "--env", "test"],
            ["ECS Exec is off for service 'sweeper' in test", "services.sweeper.exec: true"],
        ),
        (["kiosk", "--env", "test"], ["Express Mode, which has no ECS Exec"]),
        (["api", "--env", "test"], ["service 'api' (harbour-test-api) has no running task"]),
        (
            ["web", "--env", "test", "--task", "0123456789abcdef"],
            ["task 0123456789abcdef is not a running task of service 'web'"],
        ),
        (["web", "--env", "test", "--container", "proxy"], ["has no container 'proxy'", "app"]),
        (
            ["web", "--env", "prod"],
            ["ECS Exec is off for service 'web' in prod", "services.web.environments.prod.exec"],
        ),
        (
            ["api", "--env", "prod"],
            ["environment 'prod' is not deployed", "shipway deploy --env prod"],
        ),
        (["web", "--env", "test", "--command", " "], ["--command is empty"]),
    ],
    ids=[
        "unknown",
        "exec-off",
        "express",
        "no-task",
        "unknown-task",
        "unknown-container",
        "off-in-prod",
        "not-deployed",
        "empty-command",
    ],
)
def test_what_cannot_be_done_is_one_line_and_exit_2(
    deployed: dict[str, Any], args: list[str], words: list[str]
) -> None:
    code, stderr = shipway_exec(*args)

    assert code == 2, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_a_missing_plugin_says_how_to_install_it(
    deployed: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    code, stderr = shipway_exec("web", "--env", "test")

    assert code == 2
    assert "session-manager-plugin) is not on PATH" in stderr
    assert "session-manager-working-with-install-plugin.html" in stderr
