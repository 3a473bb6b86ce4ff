"""A service process: its health gate, its output, and stopping its whole group."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest
from rich.console import Console

from shipway.dev.errors import ServiceFailedError
from shipway.dev.logs import LogPrinter
from shipway.dev.processes import HealthGate, ServiceProcess, stop_all
from shipway.emulators import free_port
from tests.dev.running import alive, wait_until

STUBBORN = """
import signal, subprocess, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
print(child.pid, flush=True)
time.sleep(600)
"""


def started(code: str) -> ServiceProcess:
    service = ServiceProcess("stub", free_port(), LogPrinter(Console(quiet=True)))
    service.start([sys.executable, "-c", code], {"PATH": "/usr/bin:/bin"}, Path.cwd())
    return service


def first_line(service: ServiceProcess, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while not service.tail.lines:
        assert time.monotonic() < deadline, "no output"
        time.sleep(0.02)  # polling the output the reader thread collects
    return service.tail.lines[0]


def test_a_group_that_ignores_sigterm_is_killed_after_the_grace_period() -> None:
    service = started(STUBBORN)
    grandchild = int(first_line(service))
    began = time.monotonic()

    stop_all([service], grace_seconds=0.5)

    assert 0.5 <= time.monotonic() - began < 5
    assert service.exit_code() is not None
    wait_until(lambda: not alive(grandchild), timeout=2, message="the grandchild survived")


def test_an_exit_before_health_is_reported_with_the_last_lines() -> None:
    service = started("print('starting'); print('missing setting X'); raise SystemExit(2)")
    with pytest.raises(ServiceFailedError) as failure:
        service.wait_healthy(HealthGate("/health", "200", 10), threading.Event())
    assert failure.value.reason == "exited with status 2 before it was healthy"
    assert failure.value.last_lines == ("starting", "missing setting X")


def test_nothing_listening_fails_after_the_deadline() -> None:
    service = started("import time; time.sleep(600)")
    try:
        with pytest.raises(
            ServiceFailedError,
            match=r"never answered on 127\.0\.0\.1:\d+ in 0.3 s: shipway probed GET /health "
            r"there because it set PORT=\d+; make the service listen on \$PORT",
        ):
            service.wait_healthy(HealthGate("/health", "200", 0.3), threading.Event())
    finally:
        stop_all([service], grace_seconds=2)
