"""Optimistic concurrency: ETags, If-Match, and conditional writes that let only one writer win."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from shop_cart.cart import LineItem
from shop_cart.cart_service import CartService, ContentionError, PreconditionFailedError
from shop_cart.store import CartStore, VersionConflictError

if TYPE_CHECKING:
    import httpx
    from shop_cart.cart import Cart

ONE = {"quantity": 1, "unit_price_cents": 100}


@pytest.fixture
def store(carts_table: str, dynamodb: Any) -> CartStore:
    return CartStore(carts_table, dynamodb)


class RacingStore(CartStore):
    """A store where another writer changes the cart just before this writer's first write."""

    def __init__(self, inner: CartStore, competitor: Any) -> None:
        super().__init__(inner.table_name, inner._client)
        self.competitor = competitor
        self.writes = 0

    def replace(self, cart: Cart, *, expected_version: int) -> None:
        self.writes += 1
        if self.writes == 1:
            self.competitor(cart.id)
        super().replace(cart, expected_version=expected_version)


class AlwaysLosingStore(CartStore):
    def replace(self, cart: Cart, *, expected_version: int) -> None:
        raise VersionConflictError("someone else always wins")


@pytest.mark.anyio
async def test_two_updates_with_the_same_if_match_only_the_first_wins(
    api: httpx.AsyncClient,
) -> None:
    created = await api.post("/carts")
    cart_url, etag = f"/carts/{created.json()['id']}", created.headers["etag"]

    first = await api.put(f"{cart_url}/items/a", json=ONE, headers={"If-Match": etag})
    second = await api.put(f"{cart_url}/items/b", json=ONE, headers={"If-Match": etag})

    assert first.status_code == 200 and first.headers["etag"] == '"2"'
    assert second.status_code == 412
    assert second.json()["error"] == "precondition_failed"
    assert second.headers["etag"] == '"2"'  # what to GET and retry with
    assert [item["sku"] for item in (await api.get(cart_url)).json()["items"]] == ["a"]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("if_match", "status"),
    [
        ('"1"', 200),
        ("*", 200),
        ('"7", "1"', 200),
        ('"2"', 412),
        ('W/"1"', 412),
        ("1", 412),  # not an entity tag: names no version
        ('"1', 412),
        ("0", 412),
    ],
)
async def test_if_match_forms(api: httpx.AsyncClient, if_match: str, status: int) -> None:
    cart_id = (await api.post("/carts")).json()["id"]

    response = await api.put(f"/carts/{cart_id}/items/a", json=ONE, headers={"If-Match": if_match})

    assert response.status_code == status


@pytest.mark.anyio
async def test_deleting_with_a_stale_etag_is_412_and_keeps_the_cart(api: httpx.AsyncClient) -> None:
    cart_id = (await api.post("/carts")).json()["id"]
    await api.put(f"/carts/{cart_id}/items/a", json=ONE)

    stale = await api.delete(f"/carts/{cart_id}", headers={"If-Match": '"1"'})
    stale_item = await api.delete(f"/carts/{cart_id}/items/a", headers={"If-Match": '"1"'})
    current = await api.delete(f"/carts/{cart_id}", headers={"If-Match": '"2"'})

    assert (stale.status_code, stale_item.status_code, current.status_code) == (412, 412, 204)


@pytest.mark.anyio
async def test_if_none_match_with_the_current_etag_is_304(api: httpx.AsyncClient) -> None:
    created = await api.post("/carts")
    cart_url = f"/carts/{created.json()['id']}"

    unchanged = await api.get(cart_url, headers={"If-None-Match": created.headers["etag"]})
    await api.put(f"{cart_url}/items/a", json=ONE)
    changed = await api.get(cart_url, headers={"If-None-Match": created.headers["etag"]})

    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert unchanged.headers["etag"] == '"1"'
    assert changed.status_code == 200


def test_the_conditional_write_refuses_a_writer_holding_an_old_version(store: CartStore) -> None:
    service = CartService(store, ttl_seconds=3600)
    original = service.create()
    first = original.with_line("a", LineItem(1, 1)).touched(now=1, ttl_seconds=3600)
    second = original.with_line("b", LineItem(1, 1)).touched(now=1, ttl_seconds=3600)

    store.replace(first, expected_version=original.version)
    with pytest.raises(VersionConflictError):
        store.replace(second, expected_version=original.version)
    with pytest.raises(VersionConflictError):
        store.delete(original.id, expected_version=original.version)

    assert set(store.load(original.id).lines) == {"a"}  # type: ignore[union-attr]


def test_without_if_match_a_writer_that_loses_the_race_reads_again_and_retries(
    store: CartStore,
) -> None:
    competitor = CartService(store, ttl_seconds=3600)
    racing = RacingStore(
        store, lambda cart_id: competitor.set_line(cart_id, "theirs", LineItem(1, 5), if_match=None)
    )
    service = CartService(racing, ttl_seconds=3600)
    cart_id = service.create().id

    result = service.set_line(cart_id, "mine", LineItem(2, 3), if_match=None)

    assert racing.writes == 2
    assert set(result.lines) == {"mine", "theirs"} and result.version == 3
    assert store.load(cart_id) == result


def test_with_if_match_a_writer_that_loses_the_race_gets_412(store: CartStore) -> None:
    competitor = CartService(store, ttl_seconds=3600)
    racing = RacingStore(
        store, lambda cart_id: competitor.set_line(cart_id, "theirs", LineItem(1, 5), if_match=None)
    )
    service = CartService(racing, ttl_seconds=3600)
    cart = service.create()

    with pytest.raises(PreconditionFailedError) as failure:
        service.set_line(cart.id, "mine", LineItem(2, 3), if_match=cart.etag)

    assert failure.value.current is not None and failure.value.current.etag == '"2"'
    assert set(store.load(cart.id).lines) == {"theirs"}  # type: ignore[union-attr]


def test_a_writer_that_always_loses_gives_up_with_contention(store: CartStore) -> None:
    service = CartService(AlwaysLosingStore(store.table_name, store._client), ttl_seconds=3600)
    cart_id = service.create().id

    with pytest.raises(ContentionError):
        service.set_line(cart_id, "a", LineItem(1, 1), if_match=None)


def test_concurrent_writers_lose_no_update(carts_table: str, aws_env: Any) -> None:
    service = CartService(CartStore(carts_table, boto3.client("dynamodb")), ttl_seconds=3600)
    cart_id = service.create().id
    start, failures = threading.Barrier(6), []

    def add(sku: str) -> None:
        try:
            start.wait(10)
            service.set_line(cart_id, sku, LineItem(1, 1), if_match=None)
        except Exception as error:  # collected for the assertion below
            failures.append(error)

    writers = [threading.Thread(target=add, args=(f"sku{n}",)) for n in range(6)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(30)

    cart = service.get(cart_id)
    assert failures == []
    assert set(cart.lines) == {f"sku{n}" for n in range(6)}
    assert cart.version == 7
