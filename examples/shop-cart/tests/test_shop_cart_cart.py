"""The cart itself: lines, totals, versions and expiry, without any storage."""

from __future__ import annotations

import pytest
from shop_cart.cart import MAX_LINES, Cart, CartFullError, LineItem, SkuNotInCartError


def cart(**lines: LineItem) -> Cart:
    return Cart("c" * 32, 1, 1_700_000_000, 1_700_000_000, 1_700_003_600, dict(lines))


def test_total_is_the_sum_of_quantity_times_unit_price() -> None:
    assert cart(a=LineItem(3, 199), b=LineItem(1, 1)).total_cents == 598
    assert cart().total_cents == 0


def test_setting_a_line_adds_or_replaces_without_changing_the_original() -> None:
    original = cart(a=LineItem(1, 10))

    changed = original.with_line("a", LineItem(2, 10)).with_line("b", LineItem(1, 5))

    assert changed.lines == {"a": LineItem(2, 10), "b": LineItem(1, 5)}
    assert original.lines == {"a": LineItem(1, 10)}


def test_removing_a_line_that_is_not_there_fails() -> None:
    with pytest.raises(SkuNotInCartError):
        cart().without_line("a")
    assert cart(a=LineItem(1, 1)).without_line("a").lines == {}


def test_a_full_cart_refuses_new_skus_but_accepts_changes() -> None:
    full = cart(**{f"s{n}": LineItem(1, 1) for n in range(MAX_LINES)})

    with pytest.raises(CartFullError):
        full.with_line("new", LineItem(1, 1))
    assert full.with_line("s0", LineItem(5, 1)).lines["s0"].quantity == 5


def test_touching_bumps_the_version_and_moves_the_expiry() -> None:
    touched = cart().touched(now=1_700_000_500, ttl_seconds=60)

    assert (touched.version, touched.updated_at, touched.expires_at) == (
        2,
        1_700_000_500,
        1_700_000_560,
    )
    assert touched.created_at == 1_700_000_000
    assert touched.etag == '"2"'


def test_expiry_is_inclusive_of_the_expiry_second() -> None:
    assert not cart().is_expired(1_700_003_599.9)
    assert cart().is_expired(1_700_003_600)


def test_json_lists_lines_by_sku_with_utc_timestamps() -> None:
    body = cart(b=LineItem(1, 5), a=LineItem(2, 3)).to_json()

    assert [line["sku"] for line in body["items"]] == ["a", "b"]
    assert body["items"][0]["line_total_cents"] == 6
    assert (body["item_count"], body["total_cents"]) == (3, 11)
    assert body["created_at"] == "2023-11-14T22:13:20Z"
