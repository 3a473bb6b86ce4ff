"""`shipway dev` as a real subprocess, and a check that it leaves no process behind."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any


class DevRun:
    """`python -m shipway.cli dev -f manifest`, its output in a file, its processes marked."""

    def __init__(self, manifest: Path, *, environment: dict[str, str] | None = None) -> None:
        self.manifest = manifest
        self.dev_json = manifest.parent / ".shipway" / "dev.json"
        self.output_path = manifest.parent / "dev-output.txt"
        # Every descendant inherits the marker, so leftovers can be found even without a pid.
        self.marker = uuid.uuid4().hex
        self.recorded_pids: set[int] = set()
        env = {**os.environ, "COLUMNS": "200", **(environment or {}),
               "DEVTEST_MARKER": self.marker}
        with self.output_path.open("wb") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "shipway.cli", "dev", "-f", str(manifest)],
                stdout=output, stderr=subprocess.STDOUT, env=env, cwd=manifest.parent)

    @property
    def output(self) -> str:
        return self.output_path.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self, timeout: float = 30) -> dict[str, Any]:
        """dev.json once written; fail with the output if the process exits first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.dev_json.exists():
                session = dict(json.loads(self.dev_json.read_text(encoding="utf-8")))
                self.recorded_pids = {pid for pid in [
                    *session["pids"].values(),
                    *(service["pid"] for service in session["services"].values())] if pid}
                return session
            if self.process.poll() is not None:
                raise AssertionError(f"shipway dev exited ({self.process.returncode}):\n"
                                     f"{self.output}")
            time.sleep(0.05)  # polling a file the other process writes
        raise AssertionError(f"no dev.json within {timeout} s:\n{self.output}")

    def wait_exit(self, timeout: float = 30) -> int:
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise AssertionError(f"shipway dev did not exit within {timeout} s:\n"
                                 f"{self.output}") from None

    def stop(self, number: int = signal.SIGINT, timeout: float = 30) -> int:
        self.process.send_signal(number)
        return self.wait_exit(timeout)

    def leftovers(self) -> list[str]:
        """Live processes (not zombies) that carry this run's marker."""
        return marked_processes(f"DEVTEST_MARKER={self.marker}")

    def kill_leftovers(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        # redis-server rewrites its environment, so it is found by its recorded pid only
        for pid in process_ids(self.leftovers()) | {pid for pid in self.recorded_pids
                                                    if alive(pid)}:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def marked_processes(marker: str) -> list[str]:
    """`pid command` of live processes whose environment contains marker."""
    found = []
    needle = marker.encode()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if needle not in (proc / "environ").read_bytes().split(b"\0"):
                continue
            stat = (proc / "stat").read_text()
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue  # gone meanwhile, or not ours
        if stat.rsplit(")", 1)[1].split()[0] != "Z":
            found.append(f"{proc.name} {command}")
    return found


def alive(pid: int) -> bool:
    """True if the process exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def process_ids(lines: list[str]) -> set[int]:
    """The pids of `marked_processes` lines."""
    return {int(line.split()[0]) for line in lines}


def get_json(url: str, timeout: float = 10) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def wait_until(predicate: Any, *, timeout: float, message: str) -> Any:
    """Poll predicate (observable state) until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(0.1)
    raise AssertionError(message)
