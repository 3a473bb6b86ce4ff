"""The items table: read a page, read one item, replace one item."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from three_tier_api.attributes import AttributeValue, JsonValue, from_attributes

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


@dataclass(frozen=True)
class Page:
    """Items of one page and DynamoDB's LastEvaluatedKey (None on the last page)."""

    items: list[dict[str, JsonValue]]
    last_key: dict[str, Any] | None


class ItemStore:
    """Items keyed by the string attribute ``key``, in one DynamoDB table."""

    def __init__(self, table_name: str, client: DynamoDBClient) -> None:
        self.table_name = table_name
        self._client = client

    def page(self, limit: int, start_key: dict[str, Any] | None = None) -> Page:
        """Up to ``limit`` items, starting after ``start_key``."""
        request: dict[str, Any] = {"TableName": self.table_name, "Limit": limit}
        if start_key:
            request["ExclusiveStartKey"] = start_key
        response = self._client.scan(**request)
        return Page(
            [from_attributes(item) for item in response.get("Items", [])],
            response.get("LastEvaluatedKey"),
        )

    def get(self, key: str) -> dict[str, JsonValue] | None:
        """The item with this key, or None."""
        response = self._client.get_item(
            TableName=self.table_name, Key={"key": {"S": key}}, ConsistentRead=True
        )
        item = response.get("Item")
        return from_attributes(item) if item else None

    def put(self, item: dict[str, AttributeValue]) -> bool:
        """Store the item (see ``to_attributes``), replacing any with its key; True when new."""
        response = self._client.put_item(
            TableName=self.table_name, Item=item, ReturnValues="ALL_OLD"
        )
        return not response.get("Attributes")
