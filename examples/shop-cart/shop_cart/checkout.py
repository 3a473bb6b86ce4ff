"""Checkout: a cart becomes an order, published to the orders topic for fulfilment."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from shop_cart.orders import ORDER_PLACED, Order

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_sns import SNSClient

    from shop_cart.cart_service import CartService


class CartEmptyError(Exception):
    """A cart without items cannot be checked out."""


class CheckoutUnavailableError(Exception):
    """No orders topic is configured (TOPIC_ORDERS_ARN)."""


class Checkout:
    """Publishes a cart's order; the same cart version always makes the same order id."""

    def __init__(
        self,
        carts: CartService,
        sns: SNSClient,
        topic_arn: str | None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._carts, self._sns, self._topic_arn, self._clock = carts, sns, topic_arn, clock

    def place(self, cart_id: str) -> Order:
        """Publish the order of the cart as it is now; CartEmptyError if it has no items."""
        if self._topic_arn is None:
            raise CheckoutUnavailableError("checkout is not configured (TOPIC_ORDERS_ARN)")
        cart = self._carts.get(cart_id)
        if not cart.lines:
            raise CartEmptyError("the cart is empty; add an item before checking out")
        order = Order.of(cart, now=int(self._clock()))
        self._sns.publish(
            TopicArn=self._topic_arn,
            Message=order.to_message(),
            MessageAttributes={"type": {"DataType": "String", "StringValue": ORDER_PLACED}},
        )
        return order
