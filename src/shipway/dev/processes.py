"""One service as a local process: started in its own session, health-gated, stopped cleanly."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from shipway.dev.errors import DevConfigurationError, ServiceFailedError
from shipway.dev.logs import LogPrinter, LogTail

if TYPE_CHECKING:
    import threading
    from collections.abc import Mapping, Sequence

HEALTH_POLL_SECONDS = 0.05
HEALTH_REQUEST_TIMEOUT = 2.0
GROUP_GONE_SECONDS = 2.0


@dataclass(frozen=True)
class HealthGate:
    """Where and how long to ask a service whether it is healthy."""

    path: str
    healthy_codes: str
    deadline_seconds: float
    # after start, as the load balancer does: a check every interval, thresholds in a row
    interval_seconds: float = 15.0
    healthy_threshold: int = 2
    unhealthy_threshold: int = 3

    def accepts(self, status: int) -> bool:
        """True if status is among the manifest's healthy codes (`200`, `200-299`, `200,204`)."""
        for part in self.healthy_codes.split(","):
            low, _, high = part.partition("-")
            if int(low) <= status <= int(high or low):
                return True
        return False


class ServiceProcess:
    """A service's process group, its output and its health."""

    def __init__(
        self, name: str, port: int, printer: LogPrinter, log_file: Path | None = None
    ) -> None:
        self.name = name
        self.port = port
        self.tail = LogTail(name, printer, file=log_file)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self, argv: Sequence[str], environment: Mapping[str, str], cwd: Path) -> None:
        """Start the command in a new session, so stopping reaches its children too."""
        if not cwd.is_dir():
            raise DevConfigurationError(f"service '{self.name}': folder {cwd} does not exist")
        try:
            self.process = subprocess.Popen(  # noqa: S603 - argv from the user's own manifest
                list(argv),
                cwd=cwd,
                env=dict(environment),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as error:
            raise DevConfigurationError(
                f"service '{self.name}': cannot run {argv[0]} ({error.strerror}); fix "
                "local.command or the Dockerfile's CMD"
            ) from None
        assert self.process.stdout is not None
        self.tail.follow(self.process.stdout)

    def exit_code(self) -> int | None:
        """The exit status if the process ended, else None."""
        return self.process.poll() if self.process else None

    def wait_healthy(self, gate: HealthGate, stopping: threading.Event) -> None:
        """Poll the health check until it passes; raise ServiceFailedError if it never does."""
        deadline = time.monotonic() + gate.deadline_seconds
        last = "no answer yet"
        while time.monotonic() < deadline and not stopping.is_set():
            if (code := self.exit_code()) is not None:
                self.tail.finished.wait(timeout=2)
                raise self.failure(f"exited with status {code} before it was healthy")
            status = self.health_status(gate.path)
            if status is not None and gate.accepts(status):
                return
            last = f"last answer: HTTP {status}" if status is not None else last
            stopping.wait(HEALTH_POLL_SECONDS)
        if stopping.is_set():
            return
        if last == "no answer yet":
            raise self.failure(
                f"never answered on 127.0.0.1:{self.port} in {gate.deadline_seconds:g} s: "
                f"shipway probed GET {gate.path} there because it set PORT={self.port}; make "
                "the service listen on $PORT (or fix local.port / health_check.path)"
            )
        raise self.failure(
            f"failed its health check GET {gate.path} for "
            f"{gate.deadline_seconds:g} s ({last}; healthy: "
            f"{gate.healthy_codes})"
        )

    def failure(self, reason: str) -> ServiceFailedError:
        """A failure carrying the service's last output lines."""
        return ServiceFailedError(self.name, reason, list(self.tail.lines))

    def health_status(self, path: str) -> int | None:
        """The HTTP status of GET path, or None if the service did not answer."""
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=HEALTH_REQUEST_TIMEOUT
        )
        try:
            connection.request("GET", path)
            return connection.getresponse().status
        except (OSError, http.client.HTTPException):
            return None
        finally:
            connection.close()

    def terminate(self) -> None:
        """Send SIGTERM to the whole process group."""
        self._signal_group(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL the whole process group, even if its leader exited; wait until it is gone."""
        self._signal_group(signal.SIGKILL)
        if self.process is not None:
            self.process.wait()
            deadline = time.monotonic() + GROUP_GONE_SECONDS
            # Orphaned members die asynchronously: wait until none runs (zombies are dead).
            while group_running(self.process.pid) and time.monotonic() < deadline:
                time.sleep(0.01)

    def _signal_group(self, number: int) -> bool:
        """Signal the group; False if it no longer exists."""
        if self.process is None:
            return False
        try:
            os.killpg(self.process.pid, number)
        except (ProcessLookupError, PermissionError):
            return False  # the group is gone already
        return True


def group_running(group: int) -> bool:
    """True while a process of the group runs; on systems without /proc, while it exists."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(group, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # exited meanwhile
        if fields[2] == str(group) and fields[0] != "Z":
            return True
    return False


def stop_all(processes: Sequence[ServiceProcess], grace_seconds: float) -> None:
    """SIGTERM every group, wait up to the grace period, then SIGKILL what is left."""
    for service in processes:
        service.terminate()
    deadline = time.monotonic() + grace_seconds
    for service in processes:
        if service.process is None:
            continue
        try:
            service.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        service.kill()  # grandchildren that ignored SIGTERM, or outlived their parent
        service.tail.finished.wait(timeout=2)
