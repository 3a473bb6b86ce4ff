"""The moto server as its own process: DynamoDB, S3, SQS, Secrets Manager and SSM over HTTP."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from shipway.emulators.ports import free_port
from shipway.emulators.process import LocalServer

# moto signs nothing, but boto3 insists on credentials and a region being present.
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",  # noqa: S105 - moto's documented dummy credential
    "AWS_DEFAULT_REGION": "us-east-1",
}


class MotoServer(LocalServer):
    """Start ``moto_server`` on a free loopback port; stop it on exit."""

    name = "moto server"

    def __init__(self, port: int | None = None, *, log_path: Path | None = None) -> None:
        self.port = port or free_port()
        self.log_path = log_path

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client_environment(self) -> dict[str, str]:
        """Environment variables that point boto3 (and the AWS CLI) at this server."""
        return {**FAKE_CREDENTIALS, "AWS_ENDPOINT_URL": self.endpoint_url}

    def start(self) -> MotoServer:
        executable = shutil.which("moto_server", path=str(Path(sys.executable).parent))
        command = [executable] if executable else [sys.executable, "-m", "moto.server"]
        self._run(
            [*command, "-H", "127.0.0.1", "-p", str(self.port)],
            env={**os.environ, **FAKE_CREDENTIALS},
        )
        return self
