"""S3 event notifications as SQS message bodies."""

from __future__ import annotations

import json
from typing import Any

import pytest

from shipway.loader.errors import InvalidMessageError
from shipway.loader.notifications import ObjectRef, objects_in_message


def notification(*records: tuple[str, str, str]) -> str:
    return json.dumps({"Records": [
        {"eventVersion": "2.1", "eventSource": "aws:s3", "eventName": name,
         "s3": {"bucket": {"name": bucket}, "object": {"key": key, "size": 1}}}
        for name, bucket, key in records]})


def test_each_created_object_is_named_with_its_key_decoded() -> None:
    body = notification(("ObjectCreated:Put", "uploads", "imports/new+users%2B%C3%A9.json"),
                        ("ObjectCreated:CompleteMultipartUpload", "uploads", "big.jsonl"))
    assert objects_in_message(body) == [ObjectRef("uploads", "imports/new users+é.json"),
                                        ObjectRef("uploads", "big.jsonl")]


def test_removals_are_not_loads() -> None:
    assert objects_in_message(notification(("ObjectRemoved:Delete", "uploads", "a.json"))) == []


def test_the_test_event_s3_sends_on_setup_names_nothing() -> None:
    body = json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent",
                       "Time": "2024-01-01T00:00:00.000Z", "Bucket": "uploads"})
    assert objects_in_message(body) == []


@pytest.mark.parametrize(("body", "message"), [
    ("hello", "not JSON"),
    ("[1]", "not an S3 event notification"),
    ('{"Message": "from SNS"}', "has no Records"),
    (json.dumps({"Records": [{"eventName": "ObjectCreated:Put", "s3": {}}]}),
     "lacks a field the loader needs"),
])
def test_anything_else_fails_the_message(body: Any, message: str) -> None:
    with pytest.raises(InvalidMessageError, match=message):
        objects_in_message(body)
