"""Debian's `docker-registry` on a free loopback port: the rehearsal's stand-in for ECR's endpoint.

Plain HTTP on 127.0.0.1 (Docker trusts loopback registries without TLS), filesystem storage in
its own temporary folder, removed with the registry.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Self

from shipway.emulators.ports import free_port
from shipway.emulators.process import LocalServer
from shipway.errors import MissingToolError

CONFIG = """\
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: {storage}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:{port}
"""


class LocalRegistry(LocalServer):
    """`docker-registry serve`; `host` is what SHIPWAY_REGISTRY takes."""

    name = "docker-registry"

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.root = Path(tempfile.mkdtemp(prefix="shipway-registry-"))
        self.log_path = self.root / "registry.log"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> Self:
        executable = shutil.which("docker-registry")
        if executable is None:
            raise MissingToolError(
                "docker-registry is not installed: apt-get install docker-registry"
            )
        config = self.root / "config.yml"
        config.write_text(CONFIG.format(storage=self.root / "storage", port=self.port))
        self._run([executable, "serve", str(config)])
        return self

    def stop(self) -> None:
        super().stop()
        shutil.rmtree(self.root, ignore_errors=True)
