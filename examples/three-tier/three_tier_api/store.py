"""The items table: read a page, read one item, replace one item."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from service_runtime.dynamodb_reads import DynamoReads

from three_tier_api.attributes import AttributeValue, JsonValue, from_attributes

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


@dataclass(frozen=True)
class Page:
    """Items of one page and DynamoDB's LastEvaluatedKey (None on the last page)."""

    items: list[dict[str, JsonValue]]
    last_key: dict[str, Any] | None


class ItemStore:
    """Items keyed by the string attribute ``key``, in one DynamoDB table.

    Single items are read on the event loop (``reads``, the hot path); pages and writes go
    through boto3 in a thread.
    """

    def __init__(
        self, table_name: str, client: DynamoDBClient, reads: DynamoReads | None = None
    ) -> None:
        self.table_name = table_name
        self._client = client
        self._reads = reads or DynamoReads.from_environment()  # opens nothing until it reads

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

    async def get(self, key: str) -> dict[str, JsonValue] | None:
        """The item with this key (a strongly consistent read), or None."""
        item = await self._reads.get_item(self.table_name, {"key": {"S": key}})
        return from_attributes(item) if item else None

    def put(self, item: dict[str, AttributeValue]) -> bool:
        """Store the item (see ``to_attributes``), replacing any with its key; True when new."""
        response = self._client.put_item(
            TableName=self.table_name, Item=item, ReturnValues="ALL_OLD"
        )
        return not response.get("Attributes")
