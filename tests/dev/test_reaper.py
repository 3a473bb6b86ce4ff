"""The reaper: stops watched process groups when its pipe closes without "done"."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from shipway.dev.reaper import Reaper
from tests.dev.running import alive

if TYPE_CHECKING:
    from collections.abc import Iterator

SLEEPER = "import time; time.sleep(120)"
STUBBORN = ("import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
            "print('ready', flush=True); time.sleep(120)")


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        process.kill()
        process.wait()


def session_leader(processes: list[subprocess.Popen[bytes]], code: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, "-c", code], start_new_session=True,
                               stdout=subprocess.PIPE)
    processes.append(process)
    return process


def die_uncleanly(reaper: Reaper) -> None:
    """What SIGKILL of `shipway dev` does to the pipe: it closes without "done"."""
    assert reaper._process is not None and reaper._process.stdin is not None
    reaper._process.stdin.close()


def test_watched_groups_are_stopped_when_the_pipe_closes_without_done(
        processes: list[subprocess.Popen[bytes]]) -> None:
    reaper = Reaper(grace_seconds=5).start()
    watched = session_leader(processes, SLEEPER)
    reaper.watch(watched.pid)

    die_uncleanly(reaper)

    assert watched.wait(timeout=10) == -15  # SIGTERM


def test_a_group_ignoring_sigterm_is_killed_after_the_grace_period(
        processes: list[subprocess.Popen[bytes]]) -> None:
    reaper = Reaper(grace_seconds=0.5).start()
    stubborn = session_leader(processes, STUBBORN)
    assert stubborn.stdout is not None and stubborn.stdout.readline() == b"ready\n"
    reaper.watch(stubborn.pid)

    die_uncleanly(reaper)

    assert stubborn.wait(timeout=10) == -9  # SIGKILL


def test_a_clean_close_leaves_watched_processes_alone(
        processes: list[subprocess.Popen[bytes]]) -> None:
    reaper = Reaper(grace_seconds=0.5).start()
    watched = session_leader(processes, SLEEPER)
    reaper.watch(watched.pid)
    reaper_pid = reaper.pid
    assert reaper_pid is not None

    reaper.close()  # returns once the reaper has exited

    assert not alive(reaper_pid)
    assert watched.poll() is None
