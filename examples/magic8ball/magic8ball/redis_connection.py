"""The Redis client: one pool per process, bounded timeouts, a readiness probe."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff

if TYPE_CHECKING:
    from magic8ball.settings import Settings

logger = logging.getLogger(__name__)


def connect(settings: Settings) -> Redis:
    """A client for REDIS_URL (redis:// or rediss://, password in the URL); connects lazily."""
    return Redis.from_url(
        settings.redis_url,
        socket_timeout=settings.redis_timeout_seconds,
        socket_connect_timeout=settings.redis_timeout_seconds,
        health_check_interval=30,
        # One quick retry replaces a pooled connection that died with a restarted server;
        # longer outages are the callers' business (backoff, 503).
        retry=Retry(ExponentialBackoff(cap=0.05, base=0.01), retries=1),
    )


async def is_ready(redis: Redis, timeout: float) -> bool:
    """True when Redis answers PING within timeout."""
    try:
        async with asyncio.timeout(timeout):
            return bool(await redis.ping())
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        logger.warning("redis not ready", extra={"error": f"{type(error).__name__}: {error}"})
        return False
