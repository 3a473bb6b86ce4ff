"""Concurrent reads of one key share one read, and none of them sees stale data.

A hot key (a popular item, a client retrying, a load test) would otherwise cost one strongly
consistent read (e.g. a DynamoDB ConsistentRead) per request, and the table's partition
throttles long before the service does. Here a request joins a read only if that read *starts
after the request arrived*: the first request for an idle key starts a read at once; requests
arriving while it is in flight wait for the next read, which starts as soon as the current one
ends and answers all of them. Every answer therefore reflects every write acknowledged before
its request arrived (what one ConsistentRead per request guarantees), while the table sees at
most one read per key at a time. Unlike a cache, nothing is kept once a key's reads end.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Hashable

K = TypeVar("K", bound="Hashable")
V = TypeVar("V")


class _Round(Generic[V]):
    """One read and the requests waiting for it."""

    def __init__(self) -> None:
        self.result: asyncio.Future[V] = asyncio.get_running_loop().create_future()
        # A waiter may go away (client disconnected); its error must not be reported as lost.
        self.result.add_done_callback(_retrieve)
        self.next: _Round[V] | None = None
        self.waiters = 0
        self.task: asyncio.Task[None] | None = None  # held: the loop keeps only weak references


def _retrieve(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


class SharedReads(Generic[K, V]):
    """Reads through ``read``, sharing each read among the requests that arrived before it began."""

    def __init__(self, read: Callable[[K], Awaitable[V]]) -> None:
        self._read = read
        self._rounds: dict[K, _Round[V]] = {}  # the in-flight read of each busy key

    async def get(self, key: K) -> V:
        """The value of key as read by a read that started after this call."""
        in_flight = self._rounds.get(key)
        if in_flight is None:
            joined: _Round[V] = _Round()
            self._rounds[key] = joined
            self._start(key, joined)
        else:
            if in_flight.next is None:
                in_flight.next = _Round()
            joined = in_flight.next
        joined.waiters += 1
        # shield: one caller going away must not cancel the read the others wait for
        return await asyncio.shield(joined.result)

    def waiting(self, key: K) -> int:
        """How many requests have joined the read that follows key's in-flight one."""
        in_flight = self._rounds.get(key)
        return in_flight.next.waiters if in_flight and in_flight.next else 0

    @property
    def busy_keys(self) -> int:
        """How many keys have a read in flight (0 when idle: nothing is retained)."""
        return len(self._rounds)

    def _start(self, key: K, round_: _Round[V]) -> None:
        round_.task = asyncio.get_running_loop().create_task(self._run(key, round_))

    async def _run(self, key: K, round_: _Round[V]) -> None:
        try:
            round_.result.set_result(await self._read(key))
        except asyncio.CancelledError:
            round_.result.cancel()
            raise
        except Exception as error:  # every waiter of this read gets its error
            round_.result.set_exception(error)
        finally:
            following = round_.next
            if following is None:
                del self._rounds[key]
            else:
                self._rounds[key] = following
                self._start(key, following)
