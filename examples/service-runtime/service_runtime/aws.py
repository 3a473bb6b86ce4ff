"""boto3 client settings for a service: fail fast instead of holding a request for a minute.

Imported only by services that use AWS (botocore is theirs, not a dependency of this package).
"""

from __future__ import annotations

from botocore.config import Config


def client_config(
    *, timeout: float = 5.0, connect_timeout: float = 2.0, max_pool_connections: int = 64
) -> Config:
    """Bounded connect and read timeouts (boto3's default read timeout is 60 s), standard
    retries, and a pool as large as the requests a worker serves at once."""
    return Config(
        connect_timeout=connect_timeout,
        read_timeout=timeout,
        max_pool_connections=max_pool_connections,
        retries={"mode": "standard", "max_attempts": 3},
    )
