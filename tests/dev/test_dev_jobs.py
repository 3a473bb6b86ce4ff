"""`shipway dev --jobs`: a job runs on its schedule with the variables the cloud injects, and
stopping the session stops everything (through the real CLI)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import uuid
from typing import TYPE_CHECKING

from tests.dev.running import DevRun, wait_until

if TYPE_CHECKING:
    from pathlib import Path

MANIFEST = """\
name: devjobs
environments:
  test: {account: "123456789012", region: us-east-1}
tables:
  items: {partition_key: id}
jobs:
  tick:
    image: {uri: public.ecr.aws/docker/library/busybox:1.37}
    schedule: "cron(* * * * ? *)"
    timeout: 60
    uses: [{table: items, access: read}]
    local:
      command: [python, -c, "import os; print('tick', os.environ['TABLE_ITEMS'])"]
"""


class DevWithJobs(DevRun):
    """`shipway dev --jobs`."""

    def __init__(self, manifest: Path) -> None:
        self.manifest = manifest
        self.dev_json = manifest.parent / ".shipway" / "dev.json"
        self.output_path = manifest.parent / "dev-output.txt"
        self.marker = uuid.uuid4().hex
        self.recorded_pids: set[int] = set()
        env = {**os.environ, "COLUMNS": "200", "DEVTEST_MARKER": self.marker}
        with self.output_path.open("wb") as output:
            self.process = subprocess.Popen(  # noqa: S603 - this interpreter
                [sys.executable, "-m", "shipway.cli", "dev", "--jobs", "-f", str(manifest)],
                stdout=output,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=manifest.parent,
            )


def test_a_job_runs_on_its_schedule_under_dev_jobs(tmp_path: Path) -> None:
    manifest = tmp_path / "shipway.yml"
    manifest.write_text(textwrap.dedent(MANIFEST), encoding="utf-8")
    run = DevWithJobs(manifest)
    try:
        run.wait_ready(timeout=60)
        wait_until(lambda: "next run" in run.output, timeout=10, message=run.output)

        wait_until(
            lambda: "run ended: exit status 0" in run.output,
            timeout=75,  # the next minute boundary, then the run
            message=f"the job did not run:\n{run.output}",
        )

        assert "tick devjobs-dev-items" in run.output
        assert run.stop(signal.SIGINT) == 0, run.output
        assert run.leftovers() == []
    finally:
        run.kill_leftovers()


BUILT = """\
name: nightly
environments:
  test: {account: "123456789012", region: us-east-1}
jobs:
  report:
    image: {build: {context: report}}
    schedule: cron(0 3 * * ? *)
    local: {command: [python, report.py]}
  tidy:                                  # no local.command: its Dockerfile's CMD runs
    image: {build: {context: report, dockerfile: Dockerfile.tidy}}
    schedule: rate(1 day)
"""


def test_jobs_built_from_source_run_once_in_their_build_context(tmp_path: Path) -> None:
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "Dockerfile").write_text("FROM python:3.11-slim\n", encoding="utf-8")
    (tmp_path / "report" / "Dockerfile.tidy").write_text(
        'FROM python:3.11-slim\nCMD ["python", "-c", "print(\'tidied\')"]\n', encoding="utf-8"
    )
    (tmp_path / "report" / "report.py").write_text(
        "import os; print('report in', os.path.basename(os.getcwd()))\n", encoding="utf-8"
    )
    manifest = tmp_path / "shipway.yml"
    manifest.write_text(BUILT, encoding="utf-8")
    run = DevRun(manifest)
    try:
        run.wait_ready(timeout=60)
        once = _job_run(manifest, "report")
        assert once.returncode == 0, once.stdout + once.stderr
        assert "report in report" in once.stdout  # its local.command, in its build context
        tidy = _job_run(manifest, "tidy")
        assert tidy.returncode == 0, tidy.stdout + tidy.stderr
        assert "tidied" in tidy.stdout  # its image's CMD, read from its Dockerfile
        assert run.stop(signal.SIGINT) == 0, run.output
    finally:
        run.kill_leftovers()


def _job_run(manifest: Path, job: str) -> subprocess.CompletedProcess[str]:
    """`shipway job run JOB`, against the running `shipway dev`."""
    return subprocess.run(  # noqa: S603 - this interpreter, our arguments
        [sys.executable, "-m", "shipway.cli", "job", "run", job, "-f", str(manifest)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
