"""A short-lived cache of one value, rebuilt once however many requests wait for it."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

T = TypeVar("T")


class PageCache(Generic[T]):
    """Keep a value for ``ttl_seconds``; concurrent misses share one build; failures not kept."""

    def __init__(self, ttl_seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl_seconds
        self._clock = clock
        self._value: T | None = None
        self._expires = 0.0
        self._pending: asyncio.Task[T] | None = None

    async def get(self, build: Callable[[], Awaitable[T]]) -> T:
        """The cached value while fresh, else the result of one shared call to ``build``."""
        if self._ttl <= 0:
            return await build()
        if self._value is not None and self._clock() < self._expires:
            return self._value
        if self._pending is None:
            self._pending = asyncio.ensure_future(self._rebuild(build))
            self._pending.add_done_callback(_retrieve_exception)
        # shield: a waiter that gives up must not cancel the build the others wait for
        return await asyncio.shield(self._pending)

    async def _rebuild(self, build: Callable[[], Awaitable[T]]) -> T:
        try:
            value = await build()
            self._value, self._expires = value, self._clock() + self._ttl
            return value
        finally:
            self._pending = None


def _retrieve_exception(task: asyncio.Task[object]) -> None:
    # Marks a failure as seen even when every waiter was cancelled, so asyncio doesn't log it.
    if not task.cancelled():
        task.exception()
