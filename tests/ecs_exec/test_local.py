"""`shipway exec SERVICE --env dev` through the real CLI, against a running `shipway dev`: the
command runs with the variables the session gives the service, in the service's folder."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from typing import TYPE_CHECKING

import pytest

from tests.dev.conftest import APPS
from tests.dev.running import DevRun

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path
    from typing import Any

pytestmark = pytest.mark.slow
MANIFEST = """\
name: devexec
environments:
  test: {account: "123456789012", region: us-east-1}
services:
  web:
    image: {uri: public.ecr.aws/docker/library/python:3.11}
    local: {command: [python, service.py], cwd: app}
    environment: {GREETING: hello}
    uses: [{table: items, access: read}]
  quiet:
    type: backend
    image: {uri: public.ecr.aws/docker/library/python:3.11}
    local: {command: [python, service.py], cwd: app}
    exec: false
tables:
  items: {partition_key: id}
"""
SHOW = (
    'python -c \'import json, os; print(json.dumps({"cwd": os.getcwd(), '
    '"env": {k: v for k, v in os.environ.items()}}))\''
)


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    folder = tmp_path_factory.mktemp("devexec")
    (folder / "app").mkdir()
    shutil.copy(APPS / "service.py", folder / "app" / "service.py")
    manifest = folder / "shipway.yml"
    manifest.write_text(textwrap.dedent(MANIFEST), encoding="utf-8")
    run = DevRun(manifest)
    try:
        yield manifest, run.wait_ready(timeout=60)
    finally:
        run.stop()
        run.kill_leftovers()


def shipway_exec(manifest: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this interpreter
        [sys.executable, "-m", "shipway.cli", "exec", *args, "--env", "dev", "-f", str(manifest)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_command_sees_what_the_service_sees(running: tuple[Path, dict[str, Any]]) -> None:
    manifest, session = running

    result = shipway_exec(manifest, "web", "--command", SHOW)

    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["cwd"] == str((manifest.parent / "app").resolve())
    variables = shown["env"]
    assert variables["TABLE_ITEMS"] == session["tables"]["items"]
    assert variables["AWS_ENDPOINT_URL"] == session["aws_endpoint_url"]
    assert variables["PORT"] == str(session["services"]["web"]["port"])
    assert variables["GREETING"] == "hello"
    assert variables["SHIPWAY_SERVICE"] == "web"


def test_the_exit_status_is_the_commands(running: tuple[Path, dict[str, Any]]) -> None:
    manifest, _ = running

    assert (
        shipway_exec(manifest, "web", "--command", "python -c 'raise SystemExit(7)'").returncode
        == 7
    )


def test_exec_off_for_a_service_is_refused_locally_too(
    running: tuple[Path, dict[str, Any]],
) -> None:
    manifest, _ = running

    result = shipway_exec(manifest, "quiet")

    assert result.returncode == 2
    assert "ECS Exec is off for service 'quiet' in dev: set services.quiet.exec: true" in (
        result.stderr
    )


def test_cloud_only_options_are_refused(running: tuple[Path, dict[str, Any]]) -> None:
    manifest, _ = running

    result = shipway_exec(manifest, "web", "--task", "abc")

    assert result.returncode == 2
    assert "--task and --container choose a cloud task" in result.stderr
