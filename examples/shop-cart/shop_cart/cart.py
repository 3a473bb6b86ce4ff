"""A shopping cart: lines by SKU, totals in integer cents, a version for optimistic locking."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

MAX_LINES = 100  # keeps a cart far below DynamoDB's 400 KB item limit


class SkuNotInCartError(LookupError):
    """The cart has no line for this SKU."""


class CartFullError(ValueError):
    """The cart already holds MAX_LINES different SKUs."""


@dataclass(frozen=True)
class LineItem:
    """One SKU's quantity and unit price."""

    quantity: int
    unit_price_cents: int

    @property
    def total_cents(self) -> int:
        return self.quantity * self.unit_price_cents


@dataclass(frozen=True)
class Cart:
    """A cart as stored; timestamps are epoch seconds."""

    id: str
    version: int
    created_at: int
    updated_at: int
    expires_at: int
    lines: dict[str, LineItem] = field(default_factory=dict)

    @classmethod
    def new(cls, cart_id: str, *, now: int, ttl_seconds: int) -> Cart:
        """An empty cart at version 1."""
        return cls(cart_id, 1, now, now, now + ttl_seconds)

    @property
    def total_cents(self) -> int:
        return sum(line.total_cents for line in self.lines.values())

    @property
    def etag(self) -> str:
        return f'"{self.version}"'

    def is_expired(self, now: float) -> bool:
        return self.expires_at <= now

    def with_line(self, sku: str, line: LineItem) -> Cart:
        """This cart with the SKU's line set (added or replaced)."""
        if sku not in self.lines and len(self.lines) >= MAX_LINES:
            raise CartFullError(f"a cart holds at most {MAX_LINES} different SKUs")
        return replace(self, lines={**self.lines, sku: line})

    def without_line(self, sku: str) -> Cart:
        """This cart without the SKU's line."""
        if sku not in self.lines:
            raise SkuNotInCartError(f"the cart has no item {sku!r}")
        return replace(self, lines={k: v for k, v in self.lines.items() if k != sku})

    def touched(self, *, now: int, ttl_seconds: int) -> Cart:
        """The next version of this cart, written at ``now`` and expiring ``ttl_seconds`` later."""
        return replace(self, version=self.version + 1, updated_at=now, expires_at=now + ttl_seconds)

    def to_json(self) -> dict[str, Any]:
        """The cart as the API shows it."""
        return {
            "id": self.id,
            "items": [
                {
                    "sku": sku,
                    "quantity": line.quantity,
                    "unit_price_cents": line.unit_price_cents,
                    "line_total_cents": line.total_cents,
                }
                for sku, line in sorted(self.lines.items())
            ],
            "item_count": sum(line.quantity for line in self.lines.values()),
            "total_cents": self.total_cents,
            "version": self.version,
            "created_at": _iso(self.created_at),
            "updated_at": _iso(self.updated_at),
            "expires_at": _iso(self.expires_at),
        }


def _iso(epoch_seconds: int) -> str:
    return datetime.fromtimestamp(epoch_seconds, UTC).isoformat().replace("+00:00", "Z")
