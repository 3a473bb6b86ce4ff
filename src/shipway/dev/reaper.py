"""A watchdog process: it stops what `shipway dev` started if `shipway dev` dies uncleanly.

Every emulator and service runs in its own session (so a terminal's Ctrl-C reaches it only
through us), which also means nothing stops them when `shipway dev` is SIGKILLed or OOM-killed.
The reaper is a tiny separate process that learns each process group as it is started, over a
pipe. A clean stop ends with "done"; if the pipe closes without it, `shipway dev` is gone, and
the reaper sends SIGTERM to every group, then SIGKILL to what is left after a grace period.
(PR_SET_PDEATHSIG does not fit: it fires when the spawning *thread* ends, and emulators start
in a worker thread.)
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
from typing import IO, Self

# Standard library only, run with -I: it must start in milliseconds and work from any venv.
REAPER_SOURCE = """
import os, signal, sys, time
groups, clean = [], False
for line in sys.stdin:
    word = line.strip()
    if word == "done":
        clean = True
        break
    if word.isdigit():
        groups.append(int(word))
if not clean:
    def signal_all(number):
        alive = []
        for group in groups:
            try:
                os.killpg(group, number)
                alive.append(group)
            except (ProcessLookupError, PermissionError):
                pass
        return alive
    signal_all(signal.SIGTERM)
    deadline = time.monotonic() + float(sys.argv[1])
    while signal_all(0) and time.monotonic() < deadline:
        time.sleep(0.1)
    signal_all(signal.SIGKILL)
"""
GRACE_SECONDS = 5.0


class Reaper:
    """Start with `start()`; `watch(pid)` each session leader; `close()` on a clean stop."""

    def __init__(self, grace_seconds: float = GRACE_SECONDS) -> None:
        self.grace_seconds = grace_seconds
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()  # emulators start in parallel threads

    def start(self) -> Self:
        self._process = subprocess.Popen(  # noqa: S603 - our own fixed program
            [sys.executable, "-I", "-c", REAPER_SOURCE, str(self.grace_seconds)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # neither Ctrl-C nor a closing terminal may take it down
        )
        return self

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def watch(self, pid: int | None) -> None:
        """Stop the process group pid leads if `shipway dev` dies without `close()`."""
        if pid is not None:
            self._send(f"{pid}\n")

    def close(self) -> None:
        """A clean stop: everything is already stopped; the reaper exits without signalling."""
        if self._process is None:
            return
        self._send("done\n")
        with self._lock, contextlib.suppress(OSError):
            self._stdin().close()
        self._process.wait()
        self._process = None

    def _stdin(self) -> IO[bytes]:
        assert self._process is not None and self._process.stdin is not None
        return self._process.stdin

    def _send(self, line: str) -> None:
        with self._lock, contextlib.suppress(OSError):  # a dead reaper must not stop a session
            if self._process is not None:
                self._stdin().write(line.encode())
                self._stdin().flush()
