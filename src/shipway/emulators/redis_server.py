"""Redis for local runs: the real ``redis-server`` when installed, else fakeredis's TCP server."""

from __future__ import annotations

import shutil
import threading
from typing import TYPE_CHECKING, Literal

from shipway.emulators.ports import free_port, wait_for_port
from shipway.emulators.process import LocalServer

if TYPE_CHECKING:
    from pathlib import Path

RedisKind = Literal["redis-server", "embedded"]


class RedisServer(LocalServer):
    """Start a Redis-protocol server on a free loopback port; stop it on exit."""

    name = "redis-server"

    def __init__(
        self,
        port: int | None = None,
        *,
        prefer: RedisKind = "redis-server",
        password: str | None = None,
        log_path: Path | None = None,
    ) -> None:
        self.port = port or free_port()
        self.password = password
        self.log_path = log_path
        self.kind: RedisKind = (
            "redis-server"
            if prefer == "redis-server" and shutil.which("redis-server")
            else "embedded"
        )
        self._embedded: object | None = None

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        if self.kind == "redis-server":
            self._start_process()
        else:
            self._start_embedded()
        return self

    @property
    def description(self) -> str:
        """Which Redis this is, for people reading `shipway dev` output."""
        if self.kind == "redis-server":
            return f"redis-server ({shutil.which('redis-server')})"
        return "embedded Python Redis server (fakeredis; redis-server is not on PATH)"

    def _start_process(self) -> None:
        argv = [
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        if self.password:
            argv += ["--requirepass", self.password]
        self._run(argv)

    def _start_embedded(self) -> None:
        # fakeredis speaks RESP over TCP; good enough for development, not for load figures.
        from fakeredis import TcpFakeServer

        server = TcpFakeServer(("127.0.0.1", self.port), server_type="redis")
        threading.Thread(target=server.serve_forever, daemon=True, name="embedded-redis").start()
        self._embedded = server
        wait_for_port(self.port)

    def stop(self) -> None:
        super().stop()
        if self._embedded is not None:
            self._embedded.shutdown()  # type: ignore[attr-defined]
            self._embedded.server_close()  # type: ignore[attr-defined]
            self._embedded = None
