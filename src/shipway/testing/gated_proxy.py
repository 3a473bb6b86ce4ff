"""An HTTP proxy in front of an AWS endpoint that holds chosen calls until the test releases them.

Process tests use it to keep a request in flight (e.g. a DynamoDB call) while they send SIGTERM.
With ``hold_answer`` the call is served first and only its answer is held: a read has then seen
the table as it was, which lets a test change the table while that answer is on its way.
"""

from __future__ import annotations

import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


class GatedProxy:
    """An HTTP proxy in front of moto that holds chosen DynamoDB calls until released."""

    def __init__(self, upstream: str, hold_target: str, *, hold_answer: bool = False) -> None:
        self.upstream = urlsplit(upstream)
        self.hold_target = hold_target
        self.hold_answer = hold_answer
        self.arrived = threading.Event()
        self.release = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True  # a held call must not hold up the test's teardown
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server naming scheme
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                held = proxy.hold_target in self.headers.get("X-Amz-Target", "")
                if held and not proxy.hold_answer:
                    proxy.hold()
                status, headers, answer = proxy.forward(self.path, dict(self.headers), body)
                if held and proxy.hold_answer:
                    proxy.hold()
                self.send_response(status)
                for name, value in headers:
                    if name.lower() not in {"content-length", "connection", "server", "date"}:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        return Handler

    def hold(self) -> None:
        """Tell the test a held call is here, then wait until it releases them all."""
        self.arrived.set()
        self.release.wait(30)

    def forward(
        self, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        connection = http.client.HTTPConnection(
            self.upstream.hostname or "127.0.0.1", self.upstream.port, timeout=30
        )
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def __enter__(self) -> GatedProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()
