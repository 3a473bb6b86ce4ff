"""An image run as its ECS task definition runs it, on the host's network, removed when done.

Like the task definition: a read-only root filesystem, an unprivileged user (10001, the examples'
USER), a writable /tmp, and PORT plus the wiring variables in the environment. Variables are
passed by name only (`-e NAME`), their values through the docker CLI's environment, so a secret
never appears on a command line.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from types import TracebackType

    from shipway.testing.docker_daemon import DockerDaemon

TASK_USER = "10001"


class ContainerNeverHealthyError(AssertionError):
    """The container exited, or its health URL never answered 200, before the deadline."""


class TaskContainer:
    """`docker run -d --network host --read-only --user 10001 --tmpfs /tmp ...` of an image."""

    def __init__(
        self, daemon: DockerDaemon, image: str, *, port: int, env: dict[str, str] | None = None
    ) -> None:
        self.daemon = daemon
        self.image = image
        self.port = port
        self.env = {**(env or {}), "PORT": str(port)}
        self.id = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Self:
        names = [option for name in sorted(self.env) for option in ("--env", name)]
        writable_tmp = ["--tmpfs", "/tmp"]  # noqa: S108 - a tmpfs inside the container
        flags = ["--network", "host", "--read-only", "--user", TASK_USER, *writable_tmp]
        run = self.daemon.docker("run", "--detach", *flags, *names, self.image, values=self.env)
        self.id = run.stdout.strip()
        return self

    def wait_healthy(self, path: str, timeout: float = 60) -> None:
        """Poll the health URL until it answers 200; fail at once if the container exits."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running():
                raise ContainerNeverHealthyError(f"{self.image} exited:\n{self.logs()}")
            if _answers_ok(self.url + path):
                return
            time.sleep(0.1)  # polling: the service offers no readiness signal
        raise ContainerNeverHealthyError(f"{self.url}{path} never answered 200:\n{self.logs()}")

    def running(self) -> bool:
        state = self.daemon.docker("inspect", "--format", "{{.State.Running}}", self.id)
        return state.stdout.strip() == "true"

    def process_uid(self) -> int:
        """The user id the container's main process runs as."""
        status = self.daemon.docker("exec", self.id, "cat", "/proc/1/status").stdout
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith("Uid:")))

    def logs(self) -> str:
        answer = self.daemon.docker("logs", "--tail", "40", self.id, check=False)
        return answer.stdout + answer.stderr

    def stop(self) -> None:
        if self.id:
            self.daemon.docker("rm", "--force", self.id, check=False)
            self.id = ""

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _answers_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback http
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False
