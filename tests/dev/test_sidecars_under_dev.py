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


# A task whose containers wait for each other: migrate runs to completion, then the proxy starts
# and becomes healthy a second later, and only then the service (depends_on, as ECS orders them).
MIGRATE_SLOWLY = "import time; time.sleep(0.5); print('migrated', flush=True)"
PROXY_SLOWLY = (
    "import pathlib, time; print('proxy starting', flush=True); time.sleep(1); "
    "pathlib.Path('proxy-ready').write_text('ok'); print('proxy ready', flush=True); "
    "time.sleep(600)"
)
PROXY_CHECK = "import pathlib, sys; sys.exit(not pathlib.Path('proxy-ready').exists())"
ORDERED = """\
services:
  api:
    image: {build: {context: .}}
    local: {command: [python, service.py]}
    depends_on: {proxy: HEALTHY, migrate: SUCCESS}
    sidecars:
      proxy:
        image: public.ecr.aws/docker/library/busybox:1.37
        depends_on: {migrate: COMPLETE}
        health_check: {command: %s, interval: 5, timeout: 2, retries: 1, grace_period: 0}
        local: {command: [python, -c, "%s"]%s}
      migrate:
        image: public.ecr.aws/docker/library/busybox:1.37
        essential: false
        local: {command: [python, -c, "%s"]}
"""


def _line_of(output: str, prefix: str, text: str) -> int:
    lines = output.splitlines()
    return next(i for i, line in enumerate(lines) if line.startswith(prefix) and text in line)


CONTAINER_CHECK = '[CMD-SHELL, "wget -q -O /dev/null http://127.0.0.1:9000/"]'
LOCAL_CHECK = f', health_check: [CMD, python, -c, "{PROXY_CHECK}"]'


def test_containers_start_in_depends_on_order(app_dir: Path) -> None:
    # the container's check needs the image's wget; locally its local.health_check runs instead
    body = ORDERED % (CONTAINER_CHECK, PROXY_SLOWLY, LOCAL_CHECK, MIGRATE_SLOWLY)
    run = DevRun(write(app_dir, body))
    try:
        run.wait_ready(timeout=60)
        output = run.output
        migrated = _line_of(output, "api/migrate", "migrated")
        proxy_started = _line_of(output, "api/proxy", "proxy starting")
        proxy_ready = _line_of(output, "api/proxy", "proxy ready")
        listening = _line_of(output, "api ", "listening on")
        # migrate COMPLETE before the proxy starts; proxy HEALTHY (its check passed) before api
        assert migrated < proxy_started < proxy_ready < listening, output
        assert run.stop(signal.SIGINT) == 0, run.output
        assert run.leftovers() == []
    finally:
        run.kill_leftovers()


def test_a_sidecar_that_must_succeed_and_fails_stops_the_session(app_dir: Path) -> None:
    fails = "import sys; print('migration failed', flush=True); sys.exit(3)"
    run = DevRun(write(app_dir, ORDERED % (CONTAINER_CHECK, PROXY_SLOWLY, LOCAL_CHECK, fails)))
    try:
        assert run.wait_exit(timeout=60) == 1, run.output
        assert "migration failed" in run.output
        assert "proxy starting" in run.output  # COMPLETE: the proxy waits for any exit status
        assert "exited with status 3; api starts only once it is SUCCESS" in run.output
        assert "listening on" not in run.output  # the service never started
        assert run.leftovers() == []
    finally:
        run.kill_leftovers()


def test_a_sidecar_that_never_gets_healthy_stops_the_session(app_dir: Path) -> None:
    never = '[CMD-SHELL, "exit 1"]'
    run = DevRun(write(app_dir, ORDERED % (never, PROXY_SLOWLY, "", MIGRATE_SLOWLY)))
    try:
        assert run.wait_exit(timeout=60) == 1, run.output
        assert "failed its health check ['exit 1'] for 5 s (last: exit status 1)" in run.output
        assert "api starts only once it is HEALTHY" in run.output
        assert "listening on" not in run.output
        assert run.leftovers() == []
    finally:
        run.kill_leftovers()


def test_a_container_check_this_machine_cannot_run_says_what_to_do(app_dir: Path) -> None:
    missing = '[CMD-SHELL, "no-such-tool-on-this-machine http://127.0.0.1:9000/"]'
    run = DevRun(write(app_dir, ORDERED % (missing, PROXY_SLOWLY, "", MIGRATE_SLOWLY)))
    try:
        assert run.wait_exit(timeout=60) == 1, run.output
        assert "its health check cannot run on this machine (" in run.output
        assert "no-such-tool-on-this-machine: not found" in run.output
        assert "give sidecars.proxy.local.health_check a command that can" in run.output
        assert "listening on" not in run.output
        assert run.leftovers() == []
    finally:
        run.kill_leftovers()
