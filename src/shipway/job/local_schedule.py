"""`shipway dev --jobs`: each job run on its schedule while the session lasts.

One thread waits for the next due run (on the session's stop event, so Ctrl-C ends the wait);
each run is a process with the job's variables, its lines printed with the job's name, stopped
at the job's timeout. A schedule only EventBridge understands (`L`, `W`, `#`) is said once and
skipped: `shipway job run NAME` still runs that job on demand.
"""

from __future__ import annotations

import subprocess
import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from shipway.job.local import job_command, job_environment
from shipway.job.schedule import UnsupportedScheduleError, next_run
from shipway.service.local import process_environment

if TYPE_CHECKING:
    from collections.abc import Mapping

    from shipway.dev.logs import LogPrinter
    from shipway.manifest import Manifest
    from shipway.manifest.plan import JobPlan
    from shipway.service.local import LocalResources


class JobScheduler:
    """Runs the session's jobs when their schedules fire, until stopping is set."""

    def __init__(
        self,
        manifest: Manifest,
        jobs: Mapping[str, JobPlan],
        resources: LocalResources,
        printer: LogPrinter,
        stopping: threading.Event,
    ) -> None:
        self.manifest, self.jobs, self.resources = manifest, jobs, resources
        self.printer, self.stopping = printer, stopping
        self.due: dict[str, datetime] = {}
        self.running: list[subprocess.Popen[bytes]] = []

    def start(self) -> threading.Thread:
        """Compute each job's first run, say it, and start waiting."""
        now = datetime.now(UTC)
        for name, job in self.jobs.items():
            try:
                self.due[name] = next_run(job.spec.schedule, now)
            except UnsupportedScheduleError as error:
                self.printer.line(name, f"not scheduled locally: {error}", style="yellow")
                continue
            self.printer.line(name, f"next run {self.due[name]:%Y-%m-%d %H:%M:%S} UTC")
        thread = threading.Thread(target=self._run, daemon=True, name="job-scheduler")
        thread.start()
        return thread

    def _run(self) -> None:
        while self.due and not self.stopping.is_set():
            name = min(self.due, key=self.due.__getitem__)
            wait = (self.due[name] - datetime.now(UTC)).total_seconds()
            if wait > 0 and self.stopping.wait(wait):
                return
            job = self.jobs[name]
            self.due[name] = next_run(job.spec.schedule, datetime.now(UTC))
            threading.Thread(target=self.run_once, args=(job,), daemon=True).start()

    def run_once(self, job: JobPlan) -> int | None:
        """One run of job, its lines printed; its exit status (None if stopped at timeout)."""
        argv, cwd = job_command(self.manifest, job)
        variables = process_environment(job_environment(job, self.resources))
        process = subprocess.Popen(  # noqa: S603 - the manifest's own command
            argv, cwd=cwd, env=variables, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        self.running.append(process)
        assert process.stdout is not None
        reader = threading.Thread(target=self._print, args=(job.name, process), daemon=True)
        reader.start()
        try:
            code: int | None = process.wait(timeout=job.spec.timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            code = None
        reader.join(timeout=2)
        ending = f"exit status {code}" if code is not None else "stopped at its timeout"
        self.printer.line(job.name, f"run ended: {ending}", style="" if code == 0 else "red")
        return code

    def _print(self, name: str, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            self.printer.line(name, raw.decode("utf-8", errors="replace").rstrip())

    def stop(self) -> None:
        """Stop the runs still going (the session is stopping)."""
        for process in self.running:
            if process.poll() is None:
                process.kill()
                process.wait()
