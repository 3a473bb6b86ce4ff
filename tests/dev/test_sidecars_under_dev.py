"""`shipway dev` with sidecars and an env file (through the real CLI): a sidecar with a
`local.command` runs beside its service under its own log prefix and stops with the session, one
without is listed once as not run, an essential sidecar's exit stops everything, and the env
file's variables reach the service below its own environment and shipway's injected ones."""

from __future__ import annotations

import signal
import textwrap
from typing import TYPE_CHECKING

from tests.dev.running import DevRun, get_json, wait_until

if TYPE_CHECKING:
    from pathlib import Path

SIDECAR = (
    "import os, time; print('sidecar up', os.environ['MODE_X'], len(os.environ['PROXY_KEY']), "
    "flush=True); time.sleep(600)"
)
MIGRATE = "print('migrated', flush=True)"
BODY = """\
services:
  api:
    image: {build: {context: .}}
    local: {command: [python, service.py]}
    env_file: api.env
    environment: {JWT_KEY: explicit}
    sidecars:
      proxy:
        image: public.ecr.aws/docker/library/busybox:1.37
        environment: {MODE_X: edge}
        secrets: {PROXY_KEY: proxy-key}
        local: {command: [python, -c, "%s"]}
      migrate:
        image: public.ecr.aws/docker/library/busybox:1.37
        essential: false
        local: {command: [python, -c, "%s"]}
      agent:
        image: public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300049.1
"""


def write(app_dir: Path, body: str) -> Path:
    manifest = app_dir / "shipway.yml"
    header = 'name: sidecars\nenvironments:\n  test: {account: "123456789012", region: us-east-1}\n'
    manifest.write_text(header + textwrap.dedent(body), encoding="utf-8")
    (app_dir / "api.env").write_text(
        "# plain settings\nGREETING=from-file\nJWT_KEY=from-file\nSHIPWAY_APP=spoofed\n",
        encoding="utf-8",
    )
    (app_dir / ".shipway").mkdir(exist_ok=True)
    (app_dir / ".shipway" / "secrets.env").write_text("proxy-key=local-value\n", encoding="utf-8")
    return manifest


def test_a_sidecar_runs_beside_its_service_and_stops_with_the_session(app_dir: Path) -> None:
    run = DevRun(write(app_dir, BODY % (SIDECAR, MIGRATE)))
    try:
        session = run.wait_ready(timeout=60)
        wait_until(lambda: "sidecar up edge 11" in run.output, timeout=10, message=run.output)
        wait_until(lambda: "(not essential)" in run.output, timeout=10, message=run.output)

        lines = run.output.splitlines()
        # its own variables and its secret's local value (11 characters: local-value)
        assert any(line.startswith("api/proxy") and "sidecar up edge 11" in line for line in lines)
        assert any(line.startswith("api/migrate") and "migrated" in line for line in lines)
        assert any(
            line.startswith("api/migrate") and "exited with status 0 (not essential)" in line
            for line in lines
        )
        assert run.output.count("sidecar api/agent: not run locally (no local.command)") == 1
        wired = get_json(f"{session['services']['api']['url']}/env")
        assert wired["GREETING"] == "from-file"  # the env file reaches the process
        assert wired["JWT_KEY"] == "explicit"  # its own environment wins over the file
        assert wired["SHIPWAY_APP"] == "sidecars"  # what shipway injects wins over both
        assert run.leftovers() != []
        assert run.stop(signal.SIGINT) == 0, run.output
        assert run.leftovers() == []  # the sidecar stopped with the session
    finally:
        run.kill_leftovers()


def test_an_essential_sidecar_that_exits_stops_the_session(app_dir: Path) -> None:
    exits = "import sys; print('giving up', flush=True); sys.exit(3)"
    run = DevRun(write(app_dir, BODY % (exits, MIGRATE)))
    try:
        assert run.wait_exit(timeout=60) == 1, run.output
        assert "api/proxy" in run.output
        assert "exited with status 3 (an essential sidecar)" in run.output
        assert run.leftovers() == []
    finally:
        run.kill_leftovers()
