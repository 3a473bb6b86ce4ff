"""Carts expire through DynamoDB TTL on ``expires_at``; the API hides expired carts at once."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

    import httpx

    Stored = Callable[[str], dict[str, Any] | None]

pytestmark = pytest.mark.anyio
LINE = {"quantity": 1, "unit_price_cents": 100}


def epoch(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp())


def stored_expiry(stored: Stored, cart_id: str) -> int:
    item = stored(cart_id)
    assert item is not None
    return int(item["expires_at"]["N"])


async def test_a_new_cart_expires_ttl_seconds_after_creation(
    api: httpx.AsyncClient, clock: Any, stored: Stored, ttl_seconds: int
) -> None:
    body = (await api.post("/carts")).json()

    assert stored_expiry(stored, body["id"]) == clock.now + ttl_seconds
    assert epoch(body["expires_at"]) == clock.now + ttl_seconds
    assert epoch(body["created_at"]) == epoch(body["updated_at"]) == clock.now


async def test_every_write_pushes_the_expiry_forward(
    api: httpx.AsyncClient, clock: Any, stored: Stored, ttl_seconds: int
) -> None:
    cart_id = (await api.post("/carts")).json()["id"]
    created_at = clock.now
    clock.now += 1000

    body = (await api.put(f"/carts/{cart_id}/items/a", json=LINE)).json()
    clock.now += 500
    after_delete = (await api.delete(f"/carts/{cart_id}/items/a")).json()

    assert epoch(body["expires_at"]) == created_at + 1000 + ttl_seconds
    assert stored_expiry(stored, cart_id) == created_at + 1500 + ttl_seconds
    assert epoch(after_delete["expires_at"]) == created_at + 1500 + ttl_seconds
    assert epoch(after_delete["created_at"]) == created_at


async def test_reading_does_not_extend_the_expiry(
    api: httpx.AsyncClient, clock: Any, stored: Stored
) -> None:
    cart_id = (await api.post("/carts")).json()["id"]
    before = stored(cart_id)
    clock.now += 100

    await api.get(f"/carts/{cart_id}")

    assert stored(cart_id) == before


async def test_an_expired_cart_is_gone_before_dynamodb_deletes_it(
    api: httpx.AsyncClient, clock: Any, stored: Stored, ttl_seconds: int
) -> None:
    cart_id = (await api.post("/carts")).json()["id"]
    clock.now += ttl_seconds

    answers = [
        await api.get(f"/carts/{cart_id}"),
        await api.put(f"/carts/{cart_id}/items/a", json=LINE),
        await api.delete(f"/carts/{cart_id}/items/a"),
        await api.delete(f"/carts/{cart_id}"),
    ]

    assert [answer.status_code for answer in answers] == [404] * 4
    assert stored(cart_id) is not None  # still in the table: TTL deletion is lazy


async def test_a_cart_one_second_before_expiry_is_alive(
    api: httpx.AsyncClient, clock: Any, ttl_seconds: int
) -> None:
    cart_id = (await api.post("/carts")).json()["id"]
    clock.now += ttl_seconds - 1

    assert (await api.get(f"/carts/{cart_id}")).status_code == 200
