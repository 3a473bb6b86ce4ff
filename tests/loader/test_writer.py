"""Batching, de-duplication and retries of BatchWriteItem, against an in-process fake table."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from shipway.loader.config import KeyAttribute, KeySchema
from shipway.loader.formats import Position
from shipway.loader.records import Item, to_item
from shipway.loader.writer import RetryPolicy, TableWriter

SCHEMA = KeySchema(KeyAttribute("username", "S"))
NO_WAIT = RetryPolicy(attempts=4, initial_seconds=0, max_seconds=0)


def validation_error(operation: str) -> ClientError:
    return ClientError({"Error": {"Code": "ValidationException",
                                  "Message": "One or more parameter values were invalid"}},
                       operation)


class FakeTable:
    """Enforces BatchWriteItem's rules; leaves items unprocessed as told; refuses 'poison'."""

    def __init__(self, unprocessed: list[int] | None = None) -> None:
        self.items: dict[str, Item] = {}
        self.batch_sizes: list[int] = []
        self.single_puts = 0
        self._unprocessed = list(unprocessed or [])

    def batch_write_item(self, RequestItems: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
        ((table, requests),) = RequestItems.items()
        keys = [request["PutRequest"]["Item"]["username"]["S"] for request in requests]
        assert 0 < len(requests) <= 25 and len(set(keys)) == len(keys), "DynamoDB would refuse"
        self.batch_sizes.append(len(requests))
        if any("poison" in request["PutRequest"]["Item"] for request in requests):
            raise validation_error("BatchWriteItem")
        left = self._unprocessed.pop(0) if self._unprocessed else 0
        for request in requests[left:]:
            self._store(request["PutRequest"]["Item"])
        return {"UnprocessedItems": {table: requests[:left]} if left else {}}

    def put_item(self, TableName: str, Item: Item) -> dict[str, Any]:
        self.single_puts += 1
        if "poison" in Item:
            raise validation_error("PutItem")
        self._store(Item)
        return {}

    def _store(self, item: Item) -> None:
        self.items[item["username"]["S"]] = item


def write(table: FakeTable, records: list[dict[str, Any]], policy: RetryPolicy = NO_WAIT,
          ) -> tuple[TableWriter, list[tuple[int, str]]]:
    failures: list[tuple[int, str]] = []
    writer = TableWriter(table, "users", SCHEMA, policy=policy,  # type: ignore[arg-type]
                         on_failure=lambda position, _item, reason: failures.append(
                             (position.number, reason)))
    for index, record in enumerate(records):
        item, key = to_item(record, SCHEMA, typed=False)
        writer.put(Position("index", index), key, item)
    writer.flush()
    return writer, failures


def users(count: int) -> list[dict[str, Any]]:
    return [{"username": f"user{index:05d}", "n": index} for index in range(count)]


def test_a_thousand_items_take_forty_requests() -> None:
    table = FakeTable()
    writer, failures = write(table, users(1_000))
    assert (writer.requests, writer.loaded, failures) == (40, 1_000, [])
    assert table.batch_sizes == [25] * 40
    assert table.items["user00999"] == {"username": {"S": "user00999"}, "n": {"N": "999"}}


def test_a_key_repeated_within_a_batch_is_sent_once_and_the_last_record_wins() -> None:
    table = FakeTable()
    records = [{"username": "ada", "v": 1}, {"username": "bob", "v": 1},
               {"username": "ada", "v": 2}, {"username": "ada", "v": 3}]
    writer, failures = write(table, records)
    assert table.batch_sizes == [2]
    assert {name: item["v"] for name, item in table.items.items()} == {
        "ada": {"N": "3"}, "bob": {"N": "1"}}
    assert (writer.loaded, failures) == (4, [])


def test_a_key_repeated_across_batches_is_written_in_file_order() -> None:
    table = FakeTable()
    writer, _ = write(table, [*users(25), {"username": "user00000", "n": -1}])
    assert table.batch_sizes == [25, 1]
    assert table.items["user00000"]["n"] == {"N": "-1"}
    assert writer.loaded == 26


def test_unprocessed_items_are_sent_again_until_written() -> None:
    table = FakeTable(unprocessed=[10, 3])
    writer, failures = write(table, users(25))
    assert table.batch_sizes == [25, 10, 3]
    assert (writer.requests, writer.loaded, failures, len(table.items)) == (3, 25, [], 25)


def test_items_still_unprocessed_after_the_last_attempt_are_reported_not_lost() -> None:
    table = FakeTable(unprocessed=[2, 2, 2, 2])
    writer, failures = write(table, users(5))
    assert table.batch_sizes == [5, 2, 2, 2]
    assert writer.loaded == 3
    assert failures == [(index, "DynamoDB left the item unprocessed after 4 attempts "
                                "(throttling); upload the file again to retry")
                        for index in (0, 1)]


def test_retries_back_off_exponentially_with_jitter_up_to_a_cap() -> None:
    sleeps: list[float] = []
    policy = RetryPolicy(attempts=7, initial_seconds=1, max_seconds=4, sleep=sleeps.append)
    write(FakeTable(unprocessed=[1] * 6), users(2), policy)
    assert len(sleeps) == 6
    assert all(0 <= slept <= cap for slept, cap in zip(sleeps, [2, 4, 4, 4, 4, 4], strict=True))
    assert len(set(sleeps)) > 1, "full jitter draws a random wait each time"


def test_a_batch_dynamodb_refuses_is_retried_item_by_item() -> None:
    table = FakeTable()
    records = [*users(3), {"username": "eve", "poison": True}, *users(5)[3:]]
    writer, failures = write(table, records)
    assert sorted(table.items) == ["user00000", "user00001", "user00002", "user00003",
                                   "user00004"]
    assert failures == [(3, "DynamoDB refused the item: One or more parameter values were "
                            "invalid")]
    assert (writer.loaded, table.single_puts, writer.requests) == (5, 6, 7)


def test_other_errors_fail_the_load() -> None:
    class MissingTable(FakeTable):
        def batch_write_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
            raise ClientError({"Error": {"Code": "ResourceNotFoundException"}}, "BatchWriteItem")

    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        write(MissingTable(), users(1))


def test_flushing_nothing_sends_nothing() -> None:
    table = FakeTable()
    writer, _ = write(table, [])
    assert (writer.requests, table.batch_sizes) == (0, [])
