"""FizzBuzz written to Redis: replicas share one counter, so each number is written once."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from magic8ball.backoff import Backoff

logger = logging.getLogger(__name__)


async def pause(seconds: float) -> None:
    """Sleep, unless this task was cancelled and the cancellation got swallowed on the way.

    redis-py calls asyncio.wait_for, which on Python 3.11 can swallow a cancellation that races
    with a completed command (CPython gh-86296). The task is then still marked as cancelling:
    honour that here, or shutdown would wait forever for the writer.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError
    await asyncio.sleep(seconds)


def fizzbuzz(number: int) -> str:
    """Fizz for multiples of 3, Buzz for 5, FizzBuzz for 15, else the number itself."""
    words = ("Fizz" if number % 3 == 0 else "") + ("Buzz" if number % 5 == 0 else "")
    return words or str(number)


class FizzBuzzWriter:
    """Take the next number from the shared counter and store its FizzBuzz under that number."""

    def __init__(self, redis: Redis, *, counter_key: str, ttl_seconds: int) -> None:
        self.redis = redis
        self.counter_key = counter_key
        self.ttl_seconds = ttl_seconds

    async def write_next(self) -> tuple[int, str]:
        """One step: INCR the counter, SET key <n> to fizzbuzz(n); returns (n, value)."""
        number = int(await self.redis.incr(self.counter_key))
        value = fizzbuzz(number)
        await self.redis.set(str(number), value, ex=self.ttl_seconds or None)
        return number, value

    async def run(self, *, interval: float, backoff: Backoff) -> None:
        """Write one number per interval forever; while Redis fails, log and back off."""
        failures = 0
        while True:
            try:
                await self.write_next()
            except Exception as error:  # noqa: BLE001 - this loop must outlive any failure
                failures += 1
                delay = backoff.delay(failures)
                logger.warning(
                    "fizzbuzz step failed, retrying",
                    extra={
                        "error": f"{type(error).__name__}: {error}",
                        "failures": failures,
                        "retry_in_s": round(delay, 3),
                    },
                )
                await pause(delay)
                continue
            if failures:
                logger.info("fizzbuzz resumed", extra={"after_failures": failures})
                failures = 0
            await pause(interval)
