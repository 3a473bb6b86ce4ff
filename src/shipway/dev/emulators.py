"""The moto server and Redis, each in its own session so Ctrl-C reaches them last, not first."""

from __future__ import annotations

import functools
import http.client
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shipway.dev.errors import ServiceFailedError
from shipway.emulators import MotoServer, RedisServer
from shipway.emulators.moto_server import FAKE_CREDENTIALS

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from pathlib import Path

    from shipway.emulators.process import LocalServer

# Lines of an emulator's log shown when it dies.
LOG_TAIL_LINES = 20


def moto_process(log_folder: Path) -> MotoServer:
    """The moto server (DynamoDB, S3, SQS, Secrets Manager, SSM) on a free port."""
    return MotoServer(log_path=log_folder / "moto.log")


def local_redis(log_folder: Path) -> RedisServer:
    """The real `redis-server` when it is on PATH, else fakeredis's embedded server."""
    return RedisServer(log_path=log_folder / "redis.log")


# The moto server imports a service's backend on its first request (DynamoDB: half a second,
# SSM: more). One cheap unsigned request per service, sent while this process still imports
# boto3, moves that wait off the critical path. moto routes by the credential scope.
WARM_UP_REQUESTS = {
    "dynamodb": ("POST", "DynamoDB_20120810.ListTables"),
    "sqs": ("POST", "AmazonSQS.ListQueues"),
    "sns": ("POST", ""),  # a query-protocol API: its action is in the form body
    "secretsmanager": ("POST", "secretsmanager.ListSecrets"),
    "ssm": ("POST", "AmazonSSM.DescribeParameters"),
    "s3": ("GET", ""),
}
WARM_UP_BODIES = {"sns": b"Action=ListTopics&Version=2010-03-31"}


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
    body = WARM_UP_BODIES.get(service, b"{}" if method == "POST" else None)
    if service in WARM_UP_BODIES:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request(method, "/", body=body, headers=headers)
        connection.getresponse().read()
    except (OSError, http.client.HTTPException):
        pass  # only a head start; provisioning reports real failures
    finally:
        connection.close()


@dataclass
class Emulators:
    """The running emulators."""

    moto: MotoServer | None
    """None when the application uses no AWS service: nothing to emulate, a second saved."""
    redis: RedisServer | None

    @property
    def aws_endpoint_url(self) -> str | None:
        return self.moto.endpoint_url if self.moto is not None else None

    def aws_environment(self) -> dict[str, str]:
        """What points boto3 at the moto server (only the fake credentials if none runs)."""
        return self.moto.client_environment() if self.moto is not None else dict(FAKE_CREDENTIALS)

    def stop(self) -> None:
        if self.redis is not None:
            self.redis.stop()
        if self.moto is not None:
            self.moto.stop()

    def watch(self, on_exit: Callable[[EmulatorExitedError], None]) -> None:
        """Call on_exit, from a daemon thread, if an emulator process exits (stop() included)."""
        for server in (self.moto, self.redis):
            if server is not None and server.pid is not None:
                threading.Thread(
                    target=_report_exit,
                    args=(server, on_exit),
                    daemon=True,
                    name=f"watch-{server.name}",
                ).start()


class EmulatorExitedError(ServiceFailedError):
    """An emulator `shipway dev` started exited while the application ran; it stops, exit 1."""

    def __init__(self, name: str, status: int | None, log_path: Path | None) -> None:
        where = f"; its log: {log_path}" if log_path else ""
        super().__init__(name, f"exited with status {status}{where}", _log_tail(log_path))

    @property
    def message(self) -> str:
        return f"error: {self.service}, which shipway dev started, {self.reason}; stopped the rest"


def _report_exit(server: LocalServer, on_exit: Callable[[EmulatorExitedError], None]) -> None:
    status = server.wait_exit()
    on_exit(EmulatorExitedError(server.name, status, server.log_path))


def _log_tail(log_path: Path | None) -> list[str]:
    if log_path is None or not log_path.is_file():
        return []
    lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    return lines[-LOG_TAIL_LINES:]


def start_emulators(
    log_folder: Path,
    *,
    with_redis: bool,
    aws_services: Sequence[str] = ("dynamodb", "s3", "sqs", "sns", "secretsmanager", "ssm"),
    on_spawn: Callable[[int], None] | None = None,
) -> Emulators:
    """Start moto (if any AWS service is used) and Redis (if any cache) in parallel; stop both
    if either fails.

    ``aws_services`` names the moto services (`dynamodb`, `s3`, ...) the application uses, each
    loaded as soon as moto listens; ``on_spawn`` is told the pid of each process started.
    """
    emulators = Emulators(
        moto_process(log_folder) if aws_services else None,
        local_redis(log_folder) if with_redis else None,
    )
    for server in (emulators.moto, emulators.redis):
        if server is not None:
            server.on_spawn = on_spawn

    def start_moto(moto: MotoServer) -> None:
        moto.start()
        warm_up(moto.endpoint_url, aws_services)

    starters: list[Callable[[], object]] = []
    if emulators.moto is not None:
        starters.append(functools.partial(start_moto, emulators.moto))
    if emulators.redis is not None:
        starters.append(emulators.redis.start)
    if not starters:
        return emulators
    with ThreadPoolExecutor(max_workers=len(starters)) as pool:
        futures = [pool.submit(starter) for starter in starters]
    errors = [error for future in futures if (error := future.exception()) is not None]
    if errors:
        emulators.stop()
        raise errors[0]
    return emulators
