"""FizzBuzz: the function, one writer step against real Redis, replicas sharing the counter."""

from __future__ import annotations

import asyncio
import random
from typing import TYPE_CHECKING

import anyio
import pytest
from magic8ball.app import create_app
from magic8ball.backoff import Backoff
from magic8ball.fizzbuzz import FizzBuzzWriter, fizzbuzz
from redis.asyncio import Redis

from .conftest import fast_settings, running

if TYPE_CHECKING:
    import redis

pytestmark = pytest.mark.anyio


def reference(number: int) -> str:
    if number % 15 == 0:
        return "FizzBuzz"
    if number % 3 == 0:
        return "Fizz"
    if number % 5 == 0:
        return "Buzz"
    return str(number)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, "1"),
        (2, "2"),
        (3, "Fizz"),
        (5, "Buzz"),
        (6, "Fizz"),
        (10, "Buzz"),
        (15, "FizzBuzz"),
        (30, "FizzBuzz"),
        (31, "31"),
        (45, "FizzBuzz"),
        (99, "Fizz"),
        (100, "Buzz"),
        (10**12, "Buzz"),
        (3 * 5 * 7 * 10**9, "FizzBuzz"),
    ],
)
def test_fizzbuzz_of_known_numbers(number: int, expected: str) -> None:
    assert fizzbuzz(number) == expected


def test_fizzbuzz_agrees_with_the_reference_up_to_ten_thousand() -> None:
    assert [fizzbuzz(n) for n in range(1, 10_001)] == [reference(n) for n in range(1, 10_001)]


def test_backoff_doubles_up_to_the_cap_and_keeps_at_least_half() -> None:
    low, high = Backoff(0.5, 4.0, random=lambda: 0.0), Backoff(0.5, 4.0, random=lambda: 1.0)

    assert [high.delay(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert [low.delay(n) for n in range(1, 7)] == [0.25, 0.5, 1.0, 2.0, 2.0, 2.0]
    assert high.delay(10_000) == 4.0


def test_backoff_jitter_spreads_replicas_apart() -> None:
    backoff = Backoff(1.0, 30.0, random=random.Random(7).random)

    delays = {backoff.delay(3) for _ in range(50)}
    assert len(delays) > 40
    assert all(2.0 <= delay <= 4.0 for delay in delays)


async def test_a_step_takes_the_next_number_and_stores_its_fizzbuzz(
    redis_url: str, redis_client: redis.Redis
) -> None:
    async with Redis.from_url(redis_url) as client:
        writer = FizzBuzzWriter(client, counter_key="fb:counter", ttl_seconds=600)
        written = [await writer.write_next() for _ in range(16)]

    assert written == [(n, reference(n)) for n in range(1, 17)]
    assert redis_client.mget([str(n) for n in range(1, 17)]) == [reference(n) for n in range(1, 17)]
    assert redis_client.get("fb:counter") == "16"
    assert 590 < redis_client.ttl("15") <= 600


async def test_a_zero_ttl_keeps_numbers_forever(redis_url: str, redis_client: redis.Redis) -> None:
    async with Redis.from_url(redis_url) as client:
        await FizzBuzzWriter(client, counter_key="c", ttl_seconds=0).write_next()

    assert redis_client.get("1") == "1"
    assert redis_client.ttl("1") == -1


async def test_replicas_sharing_the_counter_never_write_a_number_twice(
    redis_url: str, redis_client: redis.Redis
) -> None:
    async with Redis.from_url(redis_url) as first, Redis.from_url(redis_url) as second:
        writers = [FizzBuzzWriter(c, counter_key="shared", ttl_seconds=60) for c in (first, second)]
        results = await asyncio.gather(*(writers[n % 2].write_next() for n in range(100)))

    assert sorted(number for number, _ in results) == list(range(1, 101))
    assert redis_client.get("FizzBuzz") is None  # values are stored under numbers, not words
    assert redis_client.get("90") == "FizzBuzz"


async def test_the_app_writes_fizzbuzz_in_the_background(
    redis_url: str, redis_client: redis.Redis
) -> None:
    settings = fast_settings(redis_url, fizzbuzz_interval_seconds=0.01)
    async with running(create_app(settings)):
        with anyio.fail_after(10):
            while redis_client.get("15") is None:
                await anyio.sleep(0.01)

    assert redis_client.mget([str(n) for n in range(1, 16)]) == [reference(n) for n in range(1, 16)]


class CancellationSwallowingRedis:
    """Behaves like redis-py under Python 3.11's wait_for race: a cancel arrives, no error."""

    def __init__(self) -> None:
        self.busy = asyncio.Event()

    async def incr(self, key: str) -> int:
        self.busy.set()
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            return 1  # swallowed, as asyncio.wait_for does when the command finished meanwhile
        return 1

    async def set(self, key: str, value: str, ex: int | None = None) -> None:
        return None


async def test_the_writer_stops_even_when_a_cancellation_is_swallowed() -> None:
    fake = CancellationSwallowingRedis()
    writer = FizzBuzzWriter(fake, counter_key="c", ttl_seconds=0)  # type: ignore[arg-type]
    task = asyncio.create_task(writer.run(interval=0.01, backoff=Backoff(0.01, 0.01)))
    await fake.busy.wait()

    task.cancel()
    done, _ = await asyncio.wait([task], timeout=5)

    assert task in done and task.cancelled()


async def test_the_writer_stops_promptly_whenever_it_is_cancelled(redis_url: str) -> None:
    async with Redis.from_url(redis_url, socket_timeout=0.5) as client:
        writer = FizzBuzzWriter(client, counter_key="c", ttl_seconds=60)
        for _ in range(100):
            task = asyncio.create_task(writer.run(interval=0.0001, backoff=Backoff(0.01, 0.1)))
            await asyncio.sleep(random.random() * 0.003)
            task.cancel()
            done, _ = await asyncio.wait([task], timeout=5)
            assert task in done
