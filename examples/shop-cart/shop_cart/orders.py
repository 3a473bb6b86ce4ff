"""Orders: what checkout publishes and fulfilment records, once per order id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson
from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

    from shop_cart.cart import Cart

ORDER_PLACED = "placed"
"""The `type` message attribute of a placed order (the fulfilment queue's filter)."""
CONDITION_FAILED = "ConditionalCheckFailedException"


class InvalidOrderError(ValueError):
    """A message that is not an order: retrying cannot help, it belongs in the DLQ."""


@dataclass(frozen=True)
class Order:
    """A checked-out cart: its lines as they were, and their total in cents."""

    id: str
    cart_id: str
    total_cents: int
    item_count: int
    placed_at: int

    @classmethod
    def of(cls, cart: Cart, *, now: int) -> Order:
        """The order of a cart at its current version: checking out twice is one order."""
        item_count = sum(line.quantity for line in cart.lines.values())
        return cls(f"{cart.id}-{cart.version}", cart.id, cart.total_cents, item_count, now)

    def to_message(self) -> str:
        """The message body published to the orders topic."""
        return orjson.dumps(self.__dict__).decode()

    @classmethod
    def from_message(cls, body: str) -> Order:
        """The order a message carries; InvalidOrderError if it carries none."""
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as error:
            raise InvalidOrderError(f"not JSON: {error}") from None
        if not isinstance(data, dict) or set(data) != set(cls.__dataclass_fields__):
            raise InvalidOrderError("not an order: expected " + ", ".join(cls.__dataclass_fields__))
        if not all(
            isinstance(data[key], int) for key in ("total_cents", "item_count", "placed_at")
        ):
            raise InvalidOrderError("total_cents, item_count and placed_at must be integers")
        if not isinstance(data["id"], str) or not isinstance(data["cart_id"], str):
            raise InvalidOrderError("id and cart_id must be strings")
        return cls(**data)


class OrderStore:
    """One item per order, partition key `id`; recording an order twice keeps the first."""

    def __init__(self, table_name: str, client: DynamoDBClient) -> None:
        self.table_name = table_name
        self._client = client

    def record(self, order: Order) -> bool:
        """Store the order unless it is already there; True if this call stored it."""
        try:
            self._client.put_item(
                TableName=self.table_name,
                Item=_to_item(order),
                ConditionExpression="attribute_not_exists(id)",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == CONDITION_FAILED:
                return False  # a redelivery: the order is recorded already
            raise
        return True


def _to_item(order: Order) -> dict[str, Any]:
    return {
        "id": {"S": order.id},
        "cart_id": {"S": order.cart_id},
        "total_cents": {"N": str(order.total_cents)},
        "item_count": {"N": str(order.item_count)},
        "placed_at": {"N": str(order.placed_at)},
    }
