"""A Docker daemon of our own (Debian's dockerd) for rehearsals, stopped by its pid when done.

Everything it keeps lives in one folder (data root, exec root, socket, pid file, log), so it
neither needs nor disturbs a system daemon, and several can run side by side. Networking is the
host's only (``--bridge=none``, no iptables): build and run with ``--network host``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Self

from shipway.emulators.process import spawn, stop_process
from shipway.errors import MissingToolError

if TYPE_CHECKING:
    from types import TracebackType

START_TIMEOUT = 60.0


class DaemonNeverReadyError(RuntimeError):
    """dockerd did not answer `docker info` before its deadline."""


class DockerDaemon:
    """`dockerd` on a private socket; `environment()` points the docker CLI (and shipway) at it."""

    def __init__(self, root: Path | None = None) -> None:
        # a short path: the daemon's unix sockets must fit in 108 bytes
        self.root = root or Path(tempfile.mkdtemp(prefix="shipway-dockerd-"))
        self.socket = self.root / "docker.sock"
        self.log_path = self.root / "dockerd.log"
        self.exec_root = self.root / "exec"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def host(self) -> str:
        return f"unix://{self.socket}"

    def environment(self) -> dict[str, str]:
        """Variables for the docker CLI: this daemon, the classic builder, the host's network."""
        return {
            "DOCKER_HOST": self.host,
            "DOCKER_CONFIG": str(self.root / "client"),
            "SHIPWAY_BUILD_NETWORK": "host",
        }

    def start(self) -> Self:
        dockerd = _require("dockerd", "docker.io")
        _require("docker", "docker.io")
        (self.root / "daemon.json").write_text("{}\n", encoding="utf-8")
        self._process = spawn(self._argv(dockerd), log_path=self.log_path)
        try:
            self._wait_until_ready()
        except DaemonNeverReadyError:
            self.stop()
            raise
        return self

    def _argv(self, dockerd: str) -> list[str]:
        return [
            dockerd,
            "--config-file", str(self.root / "daemon.json"),  # not the machine's /etc/docker
            "--data-root", str(self.root / "data"),
            "--exec-root", str(self.exec_root),
            "--pidfile", str(self.root / "dockerd.pid"),
            "--host", self.host,
            "--storage-driver", "overlay2",
            "--iptables=false",
            "--ip6tables=false",
            "--bridge=none",
        ]  # fmt: skip

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise DaemonNeverReadyError(f"dockerd exited; see {self.log_path}")
            if self.docker("info", check=False).returncode == 0:
                return
            time.sleep(0.2)  # polling: dockerd signals readiness only through its API
        raise DaemonNeverReadyError(f"dockerd did not answer within {START_TIMEOUT:.0f} s")

    def docker(
        self, *arguments: str, check: bool = True, values: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run the docker CLI against this daemon, output captured as text.

        ``values`` go into the CLI's environment only (for `run --env NAME`): never on argv.
        """
        return subprocess.run(  # noqa: S603 - fixed executable, our arguments
            [_require("docker", "docker.io"), *arguments],
            env={**os.environ, **(values or {}), **self.environment()},
            capture_output=True,
            text=True,
            check=check,
            timeout=600,
        )

    def stop(self) -> None:
        """Remove its containers, stop dockerd by pid, unmount what it left, remove its folder."""
        if self._process is not None and self._process.poll() is None:
            leftover = self.docker("ps", "--all", "--quiet", check=False).stdout.split()
            if leftover:  # their shims would outlive the daemon
                self.docker("rm", "--force", *leftover, check=False)
        stop_process(self._process)
        self._process = None
        for mount in reversed(_mounts_under(self.root)):
            subprocess.run(["umount", "--lazy", mount], check=False, capture_output=True)  # noqa: S603,S607
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _mounts_under(root: Path) -> list[str]:
    """Mount points below root, outermost first (e.g. `<exec-root>/netns/default`)."""
    prefix = str(root.resolve()) + "/"
    with contextlib.suppress(OSError), open("/proc/self/mounts", encoding="utf-8") as mounts:
        points = [line.split()[1] for line in mounts]
        return [point for point in points if point.startswith(prefix)]
    return []


def _require(program: str, package: str) -> str:
    found = shutil.which(program)
    if found is None:
        raise MissingToolError(f"{program} is not installed: apt-get install {package}")
    return found
