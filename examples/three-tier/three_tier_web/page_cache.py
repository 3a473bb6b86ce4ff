"""A short-lived cache of one value, rebuilt once in the background while it is still served."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

T = TypeVar("T")


class PageCache(Generic[T]):
    """Keep a value for ``ttl_seconds``, then serve it stale while one shared rebuild runs.

    Only a request with no usable value waits for the rebuild; a value older than
    ``stale_seconds`` (default 3 x ttl) is no longer served, so a failing ``build`` surfaces.
    """

    def __init__(
        self,
        ttl_seconds: float,
        *,
        stale_seconds: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl_seconds
        self._stale = 3 * ttl_seconds if stale_seconds is None else stale_seconds
        self._clock = clock
        self._value: T | None = None
        self._built = 0.0
        self._pending: asyncio.Task[T] | None = None

    async def get(self, build: Callable[[], Awaitable[T]]) -> T:
        """The cached value while fresh (or stale but usable), else one shared ``build``."""
        if self._ttl <= 0:
            return await build()
        if self._value is not None:
            age = self._clock() - self._built
            if age < self._ttl:
                return self._value
            if age < self._stale:
                # stale-while-revalidate: no request waits on the api once a page exists
                self._start(build)
                return self._value
        # shield: a waiter that gives up must not cancel the build the others wait for
        return await asyncio.shield(self._start(build))

    def _start(self, build: Callable[[], Awaitable[T]]) -> asyncio.Task[T]:
        if self._pending is None:
            self._pending = asyncio.ensure_future(self._rebuild(build))
            self._pending.add_done_callback(_retrieve_exception)
        return self._pending

    async def _rebuild(self, build: Callable[[], Awaitable[T]]) -> T:
        try:
            value = await build()
            self._value, self._built = value, self._clock()
            return value
        finally:
            self._pending = None


def _retrieve_exception(task: asyncio.Task[object]) -> None:
    # Marks a failure as seen even when every waiter was cancelled, so asyncio doesn't log it.
    if not task.cancelled():
        task.exception()
