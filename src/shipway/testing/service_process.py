"""An example service run as its image's CMD runs it: `python -m <module>` in the example folder.

Shared by every example's process tests (startup, logs, SIGTERM drain, kill).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

from shipway.emulators import free_port, wait_for_port

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

LogEntry = dict[str, Any]


class ServiceProcess:
    """The process, started at once; its stdout collected line by line."""

    def __init__(self, module: str, *, cwd: Path, env: dict[str, str] | None = None) -> None:
        env = dict(env or {})
        self.module = module
        self.port = int(env.get("PORT") or free_port())
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self.process = subprocess.Popen(  # noqa: S603 - fixed argv
            [sys.executable, "-m", module],
            cwd=cwd,
            text=True,
            env={**os.environ, "HOST": "127.0.0.1", **env, "PORT": str(self.port)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # its own process group, so kill() reaches its workers too
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()

    def wait_ready(self, timeout: float = 30) -> ServiceProcess:
        """Block until the port accepts connections; fail at once if the process exits."""
        wait_for_port(self.port, timeout=timeout, alive=lambda: self.process.poll() is None)
        return self

    start = wait_ready

    def json_lines(self) -> list[LogEntry]:
        """Every line, parsed as JSON (fails if the service printed anything else)."""
        with self._changed:
            return [json.loads(line) for line in self.lines]

    def log_entries(self) -> list[LogEntry]:
        """The lines that are JSON objects."""
        with self._changed:
            return [json.loads(line) for line in self.lines if line.startswith("{")]

    def wait_for_log(self, matches: Callable[[LogEntry], bool], timeout: float = 15) -> LogEntry:
        """Block until a JSON log line satisfies matches; fail after timeout."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for entry in self.log_entries():
                    if matches(entry):
                        return entry
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"no matching log line from {self.module} within "
                        f"{timeout} s:\n" + "\n".join(self.lines)
                    )
                self._changed.wait(remaining)

    def send_sigterm(self) -> None:
        self.process.send_signal(signal.SIGTERM)

    def wait(self, timeout: float) -> int:
        """The exit status, once the process has exited (fails after timeout)."""
        return self.process.wait(timeout)

    def terminate(self, timeout: float = 15) -> int:
        """SIGTERM, then the exit status (fails if it takes longer than timeout)."""
        self.send_sigterm()
        return self.wait(timeout)

    def kill(self) -> None:
        """SIGKILL the server and its worker processes (the group it leads), if any remain."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self._reader.join(5)

    stop = kill
