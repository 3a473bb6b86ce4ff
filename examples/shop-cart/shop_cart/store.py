"""Carts in DynamoDB: every write is conditional on the version the writer read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError
from service_runtime.dynamodb_reads import DynamoReads

from shop_cart.cart import Cart, LineItem

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_dynamodb import DynamoDBClient

CONDITION_FAILED = "ConditionalCheckFailedException"


class VersionConflictError(Exception):
    """The cart's stored version is no longer the one the writer read (or the cart is gone)."""


class CartStore:
    """One item per cart, partition key ``id``; ``expires_at`` is the table's TTL attribute.

    GET's reads go on the event loop (``reads``, the hot path); the read-modify-writes of
    changes run in a thread, all on boto3.
    """

    def __init__(
        self, table_name: str, client: DynamoDBClient, reads: DynamoReads | None = None
    ) -> None:
        self.table_name = table_name
        self._client = client
        self._reads = reads or DynamoReads.from_environment()  # opens nothing until it reads

    def load(self, cart_id: str) -> Cart | None:
        """The stored cart (possibly past its expiry: TTL deletion is lazy), or None."""
        response = self._client.get_item(
            TableName=self.table_name, Key={"id": {"S": cart_id}}, ConsistentRead=True
        )
        item = response.get("Item")
        return _from_item(item) if item else None

    async def read(self, cart_id: str) -> Cart | None:
        """What ``load`` returns, read on the event loop."""
        item = await self._reads.get_item(self.table_name, {"id": {"S": cart_id}})
        return _from_item(item) if item else None

    def create(self, cart: Cart) -> None:
        """Store a new cart; raise VersionConflictError if its id is taken."""
        self._write(
            self._client.put_item,
            Item=_to_item(cart),
            ConditionExpression="attribute_not_exists(id)",
        )

    def replace(self, cart: Cart, *, expected_version: int) -> None:
        """Store the cart only if the stored one is still at ``expected_version``."""
        self._write(self._client.put_item, Item=_to_item(cart), **_version_is(expected_version))

    def delete(self, cart_id: str, *, expected_version: int) -> None:
        """Delete the cart only if the stored one is still at ``expected_version``."""
        self._write(
            self._client.delete_item, Key={"id": {"S": cart_id}}, **_version_is(expected_version)
        )

    def _write(self, call: Callable[..., object], **request: Any) -> None:
        try:
            call(TableName=self.table_name, **request)
        except ClientError as error:
            if error.response["Error"]["Code"] == CONDITION_FAILED:
                raise VersionConflictError("the cart changed or is gone") from error
            raise


def _version_is(version: int) -> dict[str, Any]:
    return {
        "ConditionExpression": "#version = :expected",
        "ExpressionAttributeNames": {"#version": "version"},
        "ExpressionAttributeValues": {":expected": _number(version)},
    }


def _number(value: int) -> dict[str, str]:
    return {"N": str(value)}


def _to_item(cart: Cart) -> dict[str, Any]:
    lines = {
        sku: {
            "M": {
                "quantity": _number(line.quantity),
                "unit_price_cents": _number(line.unit_price_cents),
            }
        }
        for sku, line in cart.lines.items()
    }
    return {
        "id": {"S": cart.id},
        "version": _number(cart.version),
        "lines": {"M": lines},
        "created_at": _number(cart.created_at),
        "updated_at": _number(cart.updated_at),
        "expires_at": _number(cart.expires_at),
    }


def _from_item(item: dict[str, Any]) -> Cart:
    lines = {
        sku: LineItem(int(line["M"]["quantity"]["N"]), int(line["M"]["unit_price_cents"]["N"]))
        for sku, line in item.get("lines", {}).get("M", {}).items()
    }
    return Cart(
        item["id"]["S"],
        int(item["version"]["N"]),
        int(item["created_at"]["N"]),
        int(item["updated_at"]["N"]),
        int(item["expires_at"]["N"]),
        lines,
    )
