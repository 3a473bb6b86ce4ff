"""Cart operations: read-modify-write with optimistic concurrency on the cart's version."""

from __future__ import annotations

import random
import time
import uuid
from typing import TYPE_CHECKING

from shop_cart.cart import Cart, LineItem
from shop_cart.etags import if_match_allows
from shop_cart.store import VersionConflictError

if TYPE_CHECKING:
    from collections.abc import Callable

    from shop_cart.store import CartStore

# Each lost race means another writer succeeded, so n concurrent writers need at most n tries.
MAX_ATTEMPTS = 8
BACKOFF_SECONDS = 0.002


class CartNotFoundError(LookupError):
    """No cart has this id, or it has expired."""


class PreconditionFailedError(Exception):
    """If-Match named a version the cart is no longer at."""

    def __init__(self, current: Cart | None) -> None:
        super().__init__("the cart has changed; GET it again and retry with its ETag")
        self.current = current


class ContentionError(Exception):
    """Other writers kept changing the cart; every attempt lost the race."""


class CartService:
    """Create, read, change and delete carts; every change bumps the version and the expiry."""

    def __init__(
        self, store: CartStore, *, ttl_seconds: int, clock: Callable[[], float] = time.time
    ) -> None:
        self._store = store
        self._ttl = ttl_seconds
        self._clock = clock

    def create(self) -> Cart:
        """A new, empty cart."""
        cart = Cart.new(uuid.uuid4().hex, now=self._now(), ttl_seconds=self._ttl)
        self._store.create(cart)
        return cart

    def get(self, cart_id: str) -> Cart:
        """The live cart with this id; an expired one counts as gone (TTL deletion is lazy)."""
        return self.live(cart_id, self._store.load(cart_id))

    def live(self, cart_id: str, stored: Cart | None) -> Cart:
        """The stored cart if it has not expired; else CartNotFoundError."""
        if stored is None or stored.is_expired(self._clock()):
            raise CartNotFoundError(f"no cart has id {cart_id!r}")
        return stored

    def set_line(self, cart_id: str, sku: str, line: LineItem, *, if_match: str | None) -> Cart:
        """Set the SKU's quantity and unit price."""
        return self._change(cart_id, if_match, lambda cart: cart.with_line(sku, line))

    def remove_line(self, cart_id: str, sku: str, *, if_match: str | None) -> Cart:
        """Remove the SKU's line."""
        return self._change(cart_id, if_match, lambda cart: cart.without_line(sku))

    def delete(self, cart_id: str, *, if_match: str | None) -> None:
        """Delete the cart."""
        for attempt in range(MAX_ATTEMPTS):
            current = self._current(cart_id, if_match)
            try:
                self._store.delete(cart_id, expected_version=current.version)
                return
            except VersionConflictError:
                self._lost_race(cart_id, if_match, attempt)
        raise ContentionError("the cart is changing too often; retry")

    def _change(self, cart_id: str, if_match: str | None, change: Callable[[Cart], Cart]) -> Cart:
        for attempt in range(MAX_ATTEMPTS):
            current = self.get(cart_id)
            # RFC 9110 13.2.1: a change that fails anyway (no such SKU, cart full) says so, not 412
            updated = change(current).touched(now=self._now(), ttl_seconds=self._ttl)
            if not if_match_allows(if_match, current.etag):
                raise PreconditionFailedError(current)
            try:
                self._store.replace(updated, expected_version=current.version)
                return updated
            except VersionConflictError:
                self._lost_race(cart_id, if_match, attempt)
        raise ContentionError("the cart is changing too often; retry")

    def _current(self, cart_id: str, if_match: str | None) -> Cart:
        cart = self.get(cart_id)
        if not if_match_allows(if_match, cart.etag):
            raise PreconditionFailedError(cart)
        return cart

    def _lost_race(self, cart_id: str, if_match: str | None, attempt: int) -> None:
        """Another writer won: with If-Match the client's version is stale, else back off."""
        if if_match is not None and if_match.strip() != "*":
            raise PreconditionFailedError(self._store.load(cart_id))
        # jitter keeps writers that collided from colliding again in lockstep
        time.sleep(random.uniform(0, BACKOFF_SECONDS * 2 ** min(attempt, 4)))

    def _now(self) -> int:
        return int(self._clock())
