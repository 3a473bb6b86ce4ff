"""CPU time a local server spends, found by the port it listens on (Linux /proc, no psutil).

A benchmark starts each server in a session of its own (examples.start), so the session of the
process listening on a port holds the server and all its workers (granian's, gunicorn's).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PROC = Path("/proc")
LISTEN = "0A"  # TCP state in /proc/net/tcp


def listening_session(port: int) -> int:
    """The session id of the process listening on 127.0.0.1:port (or any address)."""
    inodes = set()
    for line in (PROC / "net" / "tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == LISTEN:
            inodes.add(f"socket:[{fields[9]}]")
    for fd_folder in PROC.glob("[0-9]*/fd"):
        try:
            if any(os.readlink(fd) in inodes for fd in fd_folder.iterdir()):
                return os.getsid(int(fd_folder.parent.name))
        except OSError:  # the process ended, or one of its descriptors closed, meanwhile
            continue
    raise LookupError(f"no process listens on port {port}")


def session_cpu_seconds(session: int) -> float:
    """User and system CPU time of the live processes of a session (all their threads)."""
    ticks = 0
    for stat in PROC.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def wait_until_idle(port: int, *, window: float = 0.5, timeout: float = 30.0) -> None:
    """Return once the server on port used under 5% of a core over a window (or at timeout).

    A server with a queue (gunicorn's single sync worker) keeps answering requests whose
    clients are gone after wrk stops; the next load must not start while it does.
    """
    session = listening_session(port)
    deadline = time.monotonic() + timeout
    before = session_cpu_seconds(session)
    while time.monotonic() < deadline:
        time.sleep(window)  # polling: /proc offers no way to wait for a process to go idle
        now = session_cpu_seconds(session)
        if now - before < 0.05 * window:
            return
        before = now
