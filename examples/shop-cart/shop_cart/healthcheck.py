"""``python -m shop_cart.healthcheck``: exit 0 when this container's /health answers 200.

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
    except OSError:
        return False
    finally:
        connection.close()


if __name__ == "__main__":
    sys.exit(0 if probe(int(os.environ.get("PORT", "8080"))) else 1)
