"""The moto server and Redis, each in its own session so Ctrl-C reaches them last, not first."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from shipway.emulators import RedisServer, free_port, wait_for_port
from shipway.emulators.moto_server import FAKE_CREDENTIALS
from shipway.emulators.ports import PortNeverOpenedError

if TYPE_CHECKING:
    from collections.abc import Iterable

STOP_SECONDS = 5.0


class EmulatorProcess:
    """A server process started in a new session, stopped by SIGTERM then SIGKILL."""

    def __init__(
        self,
        name: str,
        argv: list[str],
        port: int,
        log_path: Path,
        environment: dict[str, str] | None = None,
    ) -> None:
        self.name = name
        self.argv = argv
        self.port = port
        self.log_path = log_path
        self.environment = environment
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:  # the child keeps its own descriptor
            self.process = self._popen(log)
        try:
            wait_for_port(
                self.port,
                timeout=30,
                alive=lambda: self.process is not None and self.process.poll() is None,
            )
        except PortNeverOpenedError as error:
            raise RuntimeError(
                f"{self.name} did not start ({error}); see {self.log_path}"
            ) from None

    def _popen(self, log: IO[bytes]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            self.argv,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=self.environment,
            start_new_session=True,
        )

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            self.process.wait()


def moto_process(log_folder: Path) -> EmulatorProcess:
    """The moto server (DynamoDB, S3, SQS, Secrets Manager, SSM) on a free port."""
    port = free_port()
    executable = shutil.which("moto_server", path=str(Path(sys.executable).parent))
    command = [executable] if executable else [sys.executable, "-m", "moto.server"]
    return EmulatorProcess(
        "moto server",
        [*command, "-H", "127.0.0.1", "-p", str(port)],
        port,
        log_folder / "moto.log",
        {**os.environ, **FAKE_CREDENTIALS},
    )


@dataclass
class LocalRedis:
    """A real `redis-server` when it is on PATH, else fakeredis's embedded TCP server."""

    port: int
    process: EmulatorProcess | None = None
    embedded: RedisServer | None = None

    @property
    def kind(self) -> str:
        return "redis-server" if self.process else "embedded"

    @property
    def description(self) -> str:
        if self.process:
            return f"redis-server ({self.process.argv[0]})"
        return "embedded Python Redis server (fakeredis; redis-server is not on PATH)"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self) -> None:
        if self.process is not None:
            self.process.start()
        elif self.embedded is not None:
            self.embedded.start()

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
        if self.embedded is not None:
            self.embedded.stop()


def local_redis(log_folder: Path) -> LocalRedis:
    """Choose the Redis this machine offers."""
    port = free_port()
    executable = shutil.which("redis-server")
    if executable is None:
        return LocalRedis(port, embedded=RedisServer(port, prefer="embedded"))
    argv = [
        executable,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
    ]
    return LocalRedis(
        port, process=EmulatorProcess("redis-server", argv, port, log_folder / "redis.log")
    )


# The moto server imports a service's backend on its first request (DynamoDB: half a second,
# SSM: more). One cheap unsigned request per service, sent while this process still imports
# boto3, moves that wait off the critical path. moto routes by the credential scope.
WARM_UP_REQUESTS = {
    "dynamodb": ("POST", "DynamoDB_20120810.ListTables"),
    "sqs": ("POST", "AmazonSQS.ListQueues"),
    "secretsmanager": ("POST", "secretsmanager.ListSecrets"),
    "ssm": ("POST", "AmazonSSM.DescribeParameters"),
    "s3": ("GET", ""),
}


def warm_up(endpoint_url: str, services: Iterable[str]) -> None:
    """Send each service's first request in a daemon thread; answers do not matter."""
    for service in services:
        if service in WARM_UP_REQUESTS:
            threading.Thread(
                target=_first_request,
                args=(endpoint_url, service),
                daemon=True,
                name=f"warm-{service}",
            ).start()


def _first_request(endpoint_url: str, service: str) -> None:
    method, target = WARM_UP_REQUESTS[service]
    host, _, port = endpoint_url.removeprefix("http://").partition(":")
    headers = {
        "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20240101/"
        f"{FAKE_CREDENTIALS['AWS_DEFAULT_REGION']}/{service}/aws4_request, "
        "SignedHeaders=host, Signature=0",
        "Content-Type": "application/x-amz-json-1.0",
    }
    if target:
        headers["X-Amz-Target"] = target
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request(method, "/", body=b"{}" if method == "POST" else None, headers=headers)
        connection.getresponse().read()
    except (OSError, http.client.HTTPException):
        pass  # only a head start; provisioning reports real failures
    finally:
        connection.close()


@dataclass
class Emulators:
    """The running emulators."""

    moto: EmulatorProcess
    redis: LocalRedis | None

    @property
    def aws_endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.moto.port}"

    def aws_environment(self) -> dict[str, str]:
        """What points boto3 at the moto server."""
        return {**FAKE_CREDENTIALS, "AWS_ENDPOINT_URL": self.aws_endpoint_url}

    def stop(self) -> None:
        if self.redis is not None:
            self.redis.stop()
        self.moto.stop()


def start_emulators(log_folder: Path, *, with_redis: bool, warm: Iterable[str] = ()) -> Emulators:
    """Start moto and (if any cache) Redis in parallel; stop both if either fails.

    ``warm`` names moto services (`dynamodb`, `s3`, ...) to load as soon as moto listens.
    """
    emulators = Emulators(moto_process(log_folder), local_redis(log_folder) if with_redis else None)

    def start_moto() -> None:
        emulators.moto.start()
        warm_up(emulators.aws_endpoint_url, warm)

    starters = [start_moto] + ([emulators.redis.start] if emulators.redis else [])
    with ThreadPoolExecutor(max_workers=len(starters)) as pool:
        futures = [pool.submit(starter) for starter in starters]
    errors = [error for future in futures if (error := future.exception()) is not None]
    if errors:
        emulators.stop()
        raise errors[0]
    return emulators
