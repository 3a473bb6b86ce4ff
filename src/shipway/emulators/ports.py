"""Finding free loopback ports and waiting until a server listens on one."""

from __future__ import annotations

import socket
import time


class PortNeverOpenedError(RuntimeError):
    """A server did not start listening before its deadline."""


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port the kernel reports free on host."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_is_open(port: int, host: str = "127.0.0.1") -> bool:
    """True when something accepts TCP connections on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


def wait_for_port(
    port: int, *, host: str = "127.0.0.1", timeout: float = 15.0, alive: object = None
) -> None:
    """Block until host:port accepts connections; raise after timeout.

    ``alive`` may be a zero-argument callable returning False once the server process died,
    so a crash is reported at once instead of after the whole timeout.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_is_open(port, host):
            return
        if callable(alive) and not alive():
            raise PortNeverOpenedError(f"the process meant to listen on {host}:{port} exited")
        time.sleep(0.02)  # polling a socket: the server offers no readiness signal
    raise PortNeverOpenedError(f"nothing listened on {host}:{port} within {timeout:.0f} s")
