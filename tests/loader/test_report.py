"""The rejection report's content and its lifecycle in the bucket."""

from __future__ import annotations

import json
from decimal import Decimal

from shipway.loader.formats import Position
from shipway.loader.report import MAX_RECORD_CHARS, RejectionReport, Source, clip, publish, shorten

SOURCE = Source("uploads", "users.json", "abc123")


def test_the_document_lists_each_rejection_with_its_position() -> None:
    report = RejectionReport()
    report.add(Position("index", 4), "the partition key 'username' is missing", {"role": "x"})
    report.add(Position("line", 9), "not JSON: Expecting value", "{oops", raw=True)
    report.add(Position("index", 5), "a record must be a JSON object, got a string", "bob")
    assert report.document(source=SOURCE, loaded=7, malformed=None) == {
        "source": {"bucket": "uploads", "key": "users.json", "etag": "abc123"},
        "loaded": 7,
        "rejected_count": 3,
        "rejected": [
            {"index": 4, "reason": "the partition key 'username' is missing",
             "record": '{"role":"x"}'},
            {"line": 9, "reason": "not JSON: Expecting value", "record": "{oops"},
            {"index": 5, "reason": "a record must be a JSON object, got a string",
             "record": '"bob"'},
        ],
        "rejected_not_listed": 0,
        "malformed": None,
    }


def test_the_list_is_capped_and_the_rest_counted() -> None:
    report = RejectionReport(limit=3)
    for index in range(10):
        report.add(Position("index", index), "bad", {})
    document = report.document(source=SOURCE, loaded=0, malformed="invalid JSON")
    assert [entry["index"] for entry in document["rejected"]] == [0, 1, 2]
    assert (document["rejected_count"], document["rejected_not_listed"]) == (10, 7)
    assert document["malformed"] == "invalid JSON"


def test_records_are_shortened_and_kept_readable() -> None:
    assert shorten({"n": Decimal("1.50"), "b": b"\x00\x01", "t": "é"}) == (
        '{"n":"1.50","b":"<2 bytes>","t":"é"}')
    long = shorten({"bio": "x" * 1_000})
    assert len(long) == MAX_RECORD_CHARS + 1 and long.endswith("…")
    assert clip("x" * MAX_RECORD_CHARS) == "x" * MAX_RECORD_CHARS


def test_publish_writes_then_a_clean_load_deletes(world) -> None:  # type: ignore[no-untyped-def]
    s3 = world.clients.s3
    key = world.config.report_key("users.json")
    publish(s3, bucket=world.bucket, report_key=key, document={"loaded": 1})
    stored = s3.get_object(Bucket=world.bucket, Key=key)
    assert (json.loads(stored["Body"].read()), stored["ContentType"]) == (
        {"loaded": 1}, "application/json")
    publish(s3, bucket=world.bucket, report_key=key, document=None)
    assert s3.list_objects_v2(Bucket=world.bucket).get("KeyCount") == 0
    publish(s3, bucket=world.bucket, report_key=key, document=None)  # nothing to delete: fine


def test_a_record_too_deep_to_print_is_described() -> None:
    value: object = "bottom"
    for _ in range(100_000):
        value = [value]
    assert shorten(value) == "(nested too deeply to show)"
