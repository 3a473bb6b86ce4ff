"""What every emulator process shares: its own session, a log file, a polite then firm stop."""

from __future__ import annotations

import os
import signal
import subprocess
from typing import IO, TYPE_CHECKING, Self

from shipway.emulators.ports import PortNeverOpenedError, wait_for_port

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path
    from types import TracebackType

STOP_GRACE_SECONDS = 5


def spawn(
    argv: list[str], *, log_path: Path | None, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start argv in its own session, so a terminal's Ctrl-C reaches it only through us."""
    if log_path is None:
        return _popen(argv, subprocess.DEVNULL, env)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:  # the child keeps its own descriptor
        return _popen(argv, log, env)


def _popen(
    argv: list[str], output: int | IO[bytes], env: dict[str, str] | None
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - fixed argv, no shell
        argv,
        stdin=subprocess.DEVNULL,
        stdout=output,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )


def stop_process(process: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM to the process group, then SIGKILL if it has not exited within the grace period."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=STOP_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        process.wait()


class LocalServer:
    """A server process started by `start()` and stopped by `stop()`; a context manager."""

    name = "server"
    port: int
    log_path: Path | None = None
    # told each new process's pid (its process group): `shipway dev`'s reaper watches them
    on_spawn: Callable[[int], None] | None = None
    _process: subprocess.Popen[bytes] | None = None

    def start(self) -> Self:
        raise NotImplementedError

    def _run(self, argv: list[str], env: dict[str, str] | None = None) -> None:
        """Start argv and wait until it listens on self.port; say where its log is if not."""
        self._process = process = spawn(argv, log_path=self.log_path, env=env)
        if self.on_spawn is not None:
            self.on_spawn(process.pid)
        try:
            wait_for_port(self.port, timeout=30, alive=lambda: process.poll() is None)
        except PortNeverOpenedError as error:
            self.stop()
            where = f"; see {self.log_path}" if self.log_path else ""
            raise PortNeverOpenedError(f"{self.name} did not start ({error}){where}") from None

    def stop(self) -> None:
        stop_process(self._process)
        self._process = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def wait_exit(self) -> int | None:
        """Block until the process started by `start()` exits; its status (None: no process)."""
        process = self._process
        return process.wait() if process is not None else None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
