"""The web tier's page cache: reuse while fresh, stale-while-revalidate, one shared rebuild."""

from __future__ import annotations

import asyncio

import pytest
from three_tier_web.page_cache import PageCache


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Builder:
    """Counts builds; each build returns the next number, or raises when told to."""

    def __init__(self) -> None:
        self.calls = 0
        self.fail = False
        self.gate: asyncio.Event | None = None

    async def __call__(self) -> int:
        self.calls += 1
        if self.gate is not None:
            await self.gate.wait()
        if self.fail:
            raise RuntimeError("api down")
        return self.calls


def test_value_is_reused_until_it_expires_then_rebuilt_in_the_background() -> None:
    clock, build = Clock(), Builder()
    cache = PageCache[int](5, clock=clock)

    async def scenario() -> list[int]:
        first = await cache.get(build)
        clock.now += 4.9
        second = await cache.get(build)
        clock.now += 0.2
        third = await cache.get(build)  # stale: served at once, the rebuild runs behind it
        await asyncio.sleep(0)
        return [first, second, third, await cache.get(build)]

    assert asyncio.run(scenario()) == [1, 1, 1, 2]


def test_a_slow_rebuild_does_not_block_a_request_that_has_a_previous_value() -> None:
    clock, build = Clock(), Builder()
    cache = PageCache[int](1, clock=clock)

    async def scenario() -> tuple[list[int], int, int]:
        await cache.get(build)
        clock.now += 1.5
        build.gate = asyncio.Event()  # the api hangs until released
        served = [await asyncio.wait_for(cache.get(build), 0.5) for _ in range(5)]
        calls_while_slow = build.calls
        build.gate.set()
        await asyncio.sleep(0)
        return served, calls_while_slow, await cache.get(build)

    served, calls_while_slow, after = asyncio.run(scenario())
    assert served == [1] * 5
    assert calls_while_slow == 2  # the first build and one shared rebuild
    assert after == 2


def test_a_failing_build_is_hidden_only_up_to_the_staleness_bound() -> None:
    clock, build = Clock(), Builder()
    cache = PageCache[int](1, clock=clock)

    async def scenario() -> tuple[int, object]:
        await cache.get(build)
        build.fail = True
        clock.now += 2.9  # within 3 x ttl: the old value is still served
        kept = await cache.get(build)
        await asyncio.sleep(0)
        clock.now += 0.2  # beyond the bound: the failure reaches the caller
        try:
            return kept, await cache.get(build)
        except RuntimeError as error:
            return kept, error

    kept, beyond = asyncio.run(scenario())
    assert kept == 1
    assert isinstance(beyond, RuntimeError)


def test_concurrent_misses_share_one_build() -> None:
    build = Builder()
    cache = PageCache[int](5)

    async def scenario() -> list[int]:
        build.gate = asyncio.Event()
        waiters = [asyncio.ensure_future(cache.get(build)) for _ in range(10)]
        await asyncio.sleep(0)  # let every waiter reach the cache before the build finishes
        build.gate.set()
        return await asyncio.gather(*waiters)

    assert asyncio.run(scenario()) == [1] * 10
    assert build.calls == 1


def test_a_failed_build_reaches_every_waiter_and_is_not_kept() -> None:
    build = Builder()
    cache = PageCache[int](5)

    async def scenario() -> tuple[list[object], int]:
        build.fail, build.gate = True, asyncio.Event()
        waiters = [asyncio.ensure_future(cache.get(build)) for _ in range(3)]
        await asyncio.sleep(0)
        build.gate.set()
        failures = await asyncio.gather(*waiters, return_exceptions=True)
        build.fail, build.gate = False, None
        return failures, await cache.get(build)

    failures, after = asyncio.run(scenario())
    assert all(isinstance(failure, RuntimeError) for failure in failures)
    assert after == 2


def test_a_cancelled_waiter_does_not_cancel_the_build() -> None:
    build = Builder()
    cache = PageCache[int](5)

    async def scenario() -> int:
        build.gate = asyncio.Event()
        impatient = asyncio.ensure_future(cache.get(build))
        patient = asyncio.ensure_future(cache.get(build))
        await asyncio.sleep(0)
        impatient.cancel()
        build.gate.set()
        with pytest.raises(asyncio.CancelledError):
            await impatient
        return await patient

    assert asyncio.run(scenario()) == 1


def test_zero_seconds_means_no_caching() -> None:
    build = Builder()
    cache = PageCache[int](0)

    async def scenario() -> list[int]:
        return [await cache.get(build), await cache.get(build)]

    assert asyncio.run(scenario()) == [1, 2]
