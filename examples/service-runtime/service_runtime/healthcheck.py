"""``python -m service_runtime.healthcheck [PATH]``: exit 0 when this container's PATH answers 200.

For a container health check in images without curl; reads PORT like the service does.
"""

from __future__ import annotations

import http.client
import os
import sys


def probe(port: int, path: str = "/health", timeout: float = 2.0) -> bool:
    """True when GET http://127.0.0.1:<port><path> answers 200 within the timeout."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else "/health"
    sys.exit(0 if probe(int(os.environ.get("PORT", "8080")), path) else 1)
