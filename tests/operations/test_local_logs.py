"""`shipway logs SERVICE --env dev` reads what the service `shipway dev` runs prints: a real
`shipway dev` subprocess, its service answering requests, the logs command following it."""

from __future__ import annotations

import queue
import shutil
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from shipway.cli import app
from tests.dev.running import DevRun

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.slow
SERVICE = Path(__file__).resolve().parents[1] / "dev" / "apps" / "service.py"
MANIFEST = """\
name: tails
environments:
  test: {account: "123456789012", region: us-east-1}
services:
  web:
    image: {build: {context: .}}
    local: {command: [python, service.py]}
"""


@pytest.fixture
def dev(tmp_path: Path) -> Iterator[DevRun]:
    shutil.copy(SERVICE, tmp_path / "service.py")
    (tmp_path / "Dockerfile").write_text('FROM python:3.11-slim\nCMD ["python", "service.py"]\n')
    (tmp_path / "shipway.yml").write_text(MANIFEST)
    run = DevRun(tmp_path / "shipway.yml")
    try:
        yield run
    finally:
        run.kill_leftovers()


def get(url: str) -> None:
    with urllib.request.urlopen(url, timeout=10):  # noqa: S310 - the local test service
        pass


def test_logs_of_the_local_service(dev: DevRun) -> None:
    session = dev.wait_ready()
    url = session["services"]["web"]["url"]
    manifest = str(dev.manifest)
    get(f"{url}/env")

    result = CliRunner().invoke(app, ["logs", "web", "-f", manifest, "--env", "dev"])
    assert result.exit_code == 0, result.stderr
    assert "listening on" in result.stdout and "GET /env" in result.stdout

    result = CliRunner().invoke(
        app, ["logs", "web", "-f", manifest, "--env", "dev", "--filter", "no-such-line"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "no log lines from 'web' in dev matching 'no-such-line' since" in result.stderr

    command = [sys.executable, "-m", "shipway.cli", "logs", "web", "-f", manifest, "--env", "dev"]
    command += ["--follow", "--for", "6s", "--filter", "GET -/health"]
    follower = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in follower.stdout or ()])
    reader.start()
    try:
        # what exists shows first: it is following now
        assert lines.get(timeout=20).strip() == "GET /env"
        get(f"{url}/child")
        assert lines.get(timeout=20).strip() == "GET /child"
        assert follower.wait(timeout=30) == 0  # stopped by itself after --for
    finally:
        if follower.poll() is None:
            follower.kill()
        reader.join(timeout=5)
    assert lines.empty()  # only lines matching the filter, each once

    dev.stop()
    result = CliRunner().invoke(app, ["logs", "web", "-f", manifest, "--env", "dev"])
    assert result.exit_code == 0
    assert "not running" in result.stderr and "GET /child" in result.stdout


def test_logs_without_a_dev_session_is_a_user_error(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text('FROM python:3.11-slim\nCMD ["python", "service.py"]\n')
    (tmp_path / "shipway.yml").write_text(MANIFEST)
    result = CliRunner().invoke(
        app, ["logs", "web", "-f", str(tmp_path / "shipway.yml"), "--env", "dev"]
    )
    assert result.exit_code == 2
    assert "start 'shipway dev" in result.stderr
