"""Write items 25 at a time with BatchWriteItem and re-send what DynamoDB leaves unprocessed."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError
from tenacity import Retrying, retry_if_result, stop_after_attempt, wait_random_exponential

from shipway.loader.records import Item, ItemKey, item_key

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

    from shipway.loader.config import KeySchema
    from shipway.loader.formats import Position

BATCH_SIZE = 25  # BatchWriteItem's limit
OnFailure = Callable[["Position", Item, str], None]


@dataclass(frozen=True)
class RetryPolicy:
    """Re-send UnprocessedItems with exponential backoff and full jitter, a bounded number of times.

    Throttling errors on the request itself are botocore's business (see ``clients.py``); this
    covers the partial success BatchWriteItem reports in its response instead of raising.
    """

    attempts: int = 8
    initial_seconds: float = 0.05
    max_seconds: float = 5.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def retrying(self) -> Retrying:
        """A tenacity controller that repeats a call while it returns True."""
        return Retrying(
            stop=stop_after_attempt(self.attempts),
            wait=wait_random_exponential(multiplier=self.initial_seconds, max=self.max_seconds),
            retry=retry_if_result(bool),
            retry_error_callback=lambda _state: False,
            sleep=self.sleep,
        )


class TableWriter:
    """Buffers puts into batches of distinct keys; the last record with a key wins."""

    def __init__(
        self,
        client: DynamoDBClient,
        table_name: str,
        schema: KeySchema,
        *,
        on_failure: OnFailure,
        policy: RetryPolicy | None = None,
    ) -> None:
        self._client = client
        self._table_name = table_name
        self._schema = schema
        self._on_failure = on_failure
        self._policy = policy or RetryPolicy()
        self._pending: dict[ItemKey, tuple[Position, Item]] = {}
        self.loaded = 0
        self.requests = 0

    def put(self, position: Position, key: ItemKey, item: Item) -> None:
        """Queue one item; send a batch once 25 distinct keys are waiting."""
        if key in self._pending:
            # Two puts of one key in a batch are refused by DynamoDB; file order says the later
            # record wins, so the earlier one counts as loaded and is overwritten right here.
            self.loaded += 1
        self._pending[key] = (position, item)
        if len(self._pending) == BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        """Send whatever is queued."""
        remaining, self._pending = self._pending, {}
        if not remaining:
            return
        try:
            self._policy.retrying()(self._send, remaining)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ValidationException":
                raise
            # Records are validated beforehand; if DynamoDB still refuses the batch, find the
            # culprit one item at a time so the others are loaded anyway.
            self._put_one_by_one(remaining)
            return
        for position, item in remaining.values():
            self._on_failure(
                position,
                item,
                f"DynamoDB left the item unprocessed after "
                f"{self._policy.attempts} attempts (throttling); upload the file "
                "again to retry",
            )

    def _send(self, remaining: dict[ItemKey, tuple[Position, Item]]) -> bool:
        """One BatchWriteItem; drop what was written from ``remaining``; True if any is left."""
        self.requests += 1
        response = self._client.batch_write_item(
            RequestItems={
                self._table_name: [
                    {"PutRequest": {"Item": item}} for _position, item in remaining.values()
                ]
            }
        )
        unprocessed = response.get("UnprocessedItems", {}).get(self._table_name, [])
        left = {
            item_key(request["PutRequest"]["Item"], self._schema)
            for request in unprocessed
            if "PutRequest" in request
        }
        for key in [key for key in remaining if key not in left]:
            del remaining[key]
            self.loaded += 1
        return bool(remaining)

    def _put_one_by_one(self, remaining: dict[ItemKey, tuple[Position, Item]]) -> None:
        for position, item in remaining.values():
            self.requests += 1
            try:
                self._client.put_item(TableName=self._table_name, Item=item)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != "ValidationException":
                    raise
                message = error.response.get("Error", {}).get("Message", "ValidationException")
                self._on_failure(position, item, f"DynamoDB refused the item: {message}")
            else:
                self.loaded += 1
