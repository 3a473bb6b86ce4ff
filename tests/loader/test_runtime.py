"""load_object and the Lambda handler against the moto server over HTTP (S3, SQS, DynamoDB)."""

from __future__ import annotations

import base64
import itertools
import json
import tracemalloc
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest

from shipway.loader import KeyAttribute, KeySchema, MalformedObjectError

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.loader.conftest import LoaderWorld, Pipeline

USERS = [
    {"username": "admin", "salt": "F^S%QljSfV", "role": "admin"},
    {"username": "bob", "salt": "F^S%QljSfV", "role": "viewer"},
    {"username": "noadmin", "salt": "KjvFUC#K*i", "role": "editor"},
]


def without_passwords(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    assert all(len(item.pop("password")) == 128 for item in items), "sha512 hex digests"
    return items


def test_seed_usersdata_loads_the_three_users(world: LoaderWorld, users_json: bytes) -> None:
    world.upload("usersdata.json", users_json)
    summary = world.load("usersdata.json")
    assert (summary.loaded, summary.rejected, summary.report_key, summary.malformed) == (
        3, 0, None, None)
    assert without_passwords(world.items()) == USERS
    assert world.report("usersdata.json") is None


def test_a_plain_json_array_loads_with_exact_numbers(world: LoaderWorld) -> None:
    world.upload("users.json", json.dumps([
        {"username": "ada", "age": 36, "score": 9.75, "tags": ["x"], "meta": {"ok": True}},
        {"username": "bob", "nothing": None},
    ]))
    assert world.load("users.json").loaded == 2
    assert world.items() == [
        {"username": "ada", "age": Decimal(36), "score": Decimal("9.75"), "tags": ["x"],
         "meta": {"ok": True}},
        {"username": "bob", "nothing": None},
    ]


def test_json_lines_load(world: LoaderWorld) -> None:
    world.upload("users.jsonl", '{"username": "ada", "role": "admin"}\n\n'
                                '{"username": "bob", "role": "viewer"}\n')
    assert world.load("users.jsonl").loaded == 2
    assert world.items() == [{"username": "ada", "role": "admin"},
                             {"username": "bob", "role": "viewer"}]


def test_bad_records_are_reported_and_good_ones_still_load(world: LoaderWorld) -> None:
    world.upload("mixed.json", json.dumps([
        {"username": "ada"}, {"role": "admin"}, "bob", {"username": ""},
        {"username": 42}, {"username": "cy", "big": 10**40}, {"username": "dee"},
    ]))
    summary = world.load("mixed.json")
    assert (summary.loaded, summary.rejected) == (2, 5)
    assert summary.report_key == "reports/mixed.json.rejected.json"
    assert world.items() == [{"username": "ada"}, {"username": "dee"}]
    assert world.report("mixed.json") == {
        "source": {"bucket": world.bucket, "key": "mixed.json", "etag": world.etag("mixed.json")},
        "loaded": 2,
        "rejected_count": 5,
        "rejected": [
            {"index": 1, "reason": "the partition key 'username' is missing",
             "record": '{"role":"admin"}'},
            {"index": 2, "reason": "a record must be a JSON object, got a string",
             "record": '"bob"'},
            {"index": 3, "reason": "the partition key 'username' must not be empty",
             "record": '{"username":""}'},
            {"index": 4, "reason": "the partition key 'username' must be a string (S), got a "
                                   "number (N)", "record": '{"username":42}'},
            {"index": 5, "reason": "attribute big: the number has more than 38 significant "
                                   "digits or is outside DynamoDB's range",
             "record": '{"username":"cy","big":' + str(10**40) + "}"},
        ],
        "rejected_not_listed": 0,
        "malformed": None,
    }


def test_bad_lines_are_reported_by_line_number(world: LoaderWorld) -> None:
    world.upload("mixed.jsonl", '{"username": "ada"}\n{"username": "bob"\n[1]\n{"username": "cy"}')
    summary = world.load("mixed.jsonl")
    assert (summary.loaded, summary.rejected) == (2, 2)
    assert world.items() == [{"username": "ada"}, {"username": "cy"}]
    report = world.report("mixed.jsonl")
    assert report is not None
    assert report["rejected"] == [
        {"line": 2, "reason": "not JSON: Expecting ',' delimiter: line 1 column 19 (char 18)",
         "record": '{"username": "bob"'},
        {"line": 3, "reason": "a record must be a JSON object, got an array", "record": "[1]"},
    ]


def test_a_bad_dynamodb_json_record_is_reported_by_index(world: LoaderWorld,
                                                          users_json: bytes) -> None:
    users = json.loads(users_json)
    users.insert(1, {"username": {"S": "eve"}, "age": {"N": "old"}})
    world.upload("users.json", json.dumps(users))
    assert world.load("users.json").rejected == 1
    assert without_passwords(world.items()) == USERS
    report = world.report("users.json")
    assert report is not None
    assert [(entry["index"], entry["reason"]) for entry in report["rejected"]] == [
        (1, "attribute age: N 'old' is not a number DynamoDB can store (finite, at most 38 "
            "significant digits)")]


def test_duplicate_keys_keep_the_last_record(world: LoaderWorld) -> None:
    world.upload("dupes.json", json.dumps([
        {"username": "ada", "v": 1}, {"username": "bob", "v": 1}, {"username": "ada", "v": 2},
        *({"username": f"u{index:02d}"} for index in range(30)), {"username": "bob", "v": 3},
    ]))
    summary = world.load("dupes.json")
    assert (summary.loaded, summary.rejected, summary.report_key) == (34, 0, None)
    items = world.items()
    assert items[:2] == [{"username": "ada", "v": Decimal(2)}, {"username": "bob", "v": Decimal(3)}]
    assert len(items) == 32


def test_a_table_with_a_numeric_sort_key_and_binary_values(
        make_world: Callable[..., LoaderWorld]) -> None:
    world = make_world(KeySchema(KeyAttribute("customer", "S"), KeyAttribute("order", "N")))
    photo = base64.b64encode(b"\x89PNG").decode()
    world.upload("orders.json", json.dumps([
        {"customer": {"S": "ada"}, "order": {"N": "2"}, "photo": {"B": photo}},
        {"customer": {"S": "ada"}, "order": {"N": "1"}, "tags": {"SS": ["a", "b"]}},
        {"customer": {"S": "ada"}, "order": {"S": "3"}},
    ]))
    summary = world.load("orders.json")
    assert (summary.loaded, summary.rejected) == (2, 1)
    items = world.items()
    assert items[0] == {"customer": "ada", "order": Decimal(1), "tags": {"a", "b"}}
    assert items[1]["photo"].value == b"\x89PNG"


@pytest.mark.parametrize(("body", "reason"), [
    (b"", "empty file: it has no records (or only whitespace)"),
    (bytes(range(256)) * 4, "wrong encoding: the file contains NUL bytes, so it is binary or "
                            "UTF-16; upload UTF-8 JSON text"),
    (b"\x1f\x8b\x08\x08gzip", "wrong encoding: not UTF-8 text (byte 0x8b at offset 1); upload "
                              "UTF-8 JSON text"),
    (b"name: ada\n", "not JSON: the file starts with 'n'; expected '[' (a JSON array of "
                     "records) or '{' (JSON Lines, one record per line)"),
], ids=["empty", "binary", "gzip", "yaml"])
def test_a_malformed_object_is_reported_then_raised(world: LoaderWorld, body: bytes,
                                                    reason: str) -> None:
    world.upload("upload.json", body)
    with pytest.raises(MalformedObjectError) as caught:
        world.load("upload.json")
    assert caught.value.reason == reason
    assert caught.value.summary is not None
    assert (caught.value.summary.loaded, caught.value.summary.malformed) == (0, reason)
    assert world.items() == []
    assert world.report("upload.json") == {
        "source": {"bucket": world.bucket, "key": "upload.json",
                   "etag": world.etag("upload.json")},
        "loaded": 0, "rejected_count": 0, "rejected": [], "rejected_not_listed": 0,
        "malformed": reason,
    }


def test_a_truncated_array_keeps_what_came_before_the_fault(world: LoaderWorld) -> None:
    world.upload("cut.json", '[{"username": "ada"}, {"username": "bob"}, {"username": "c')
    with pytest.raises(MalformedObjectError, match="invalid JSON after element 1"):
        world.load("cut.json")
    assert world.items() == [{"username": "ada"}, {"username": "bob"}]
    report = world.report("cut.json")
    assert report is not None and report["loaded"] == 2
    assert report["malformed"].startswith("invalid JSON after element 1: ")


def test_uploading_the_same_file_twice_changes_nothing(world: LoaderWorld) -> None:
    body = json.dumps([{"username": "ada", "n": 1}, {"oops": True}, {"username": "bob"}])
    world.upload("users.json", body)
    first = world.load("users.json")
    items, report = world.items(), world.report("users.json")
    world.upload("users.json", body)
    second = world.load("users.json")
    assert (second.loaded, second.rejected) == (first.loaded, first.rejected) == (2, 1)
    assert world.items() == items
    assert world.report("users.json") == report


def test_a_clean_upload_removes_the_stale_report(world: LoaderWorld) -> None:
    world.upload("users.json", json.dumps([{"username": "ada"}, {"oops": True}]))
    world.load("users.json")
    assert world.report("users.json") is not None
    world.upload("users.json", json.dumps([{"username": "ada", "fixed": True}]))
    assert world.load("users.json").report_key is None
    assert world.report("users.json") is None
    assert world.items() == [{"username": "ada", "fixed": True}]


def test_an_explicit_format_is_honoured(make_world: Callable[..., LoaderWorld]) -> None:
    world = make_world(format="json")
    world.upload("users.jsonl", '{"username": "ada"}\n')
    with pytest.raises(MalformedObjectError, match="format 'json' expects a JSON array"):
        world.load("users.jsonl")


def test_default_clients_come_from_the_environment(world: LoaderWorld, aws_env: Any) -> None:
    from shipway.loader import load_object

    world.upload("users.json", '[{"username": "ada"}]')
    assert load_object(bucket=world.bucket, key="users.json", config=world.config).loaded == 1
    assert world.items() == [{"username": "ada"}]


class CountingClient:
    """Passes calls through to DynamoDB, counting BatchWriteItem requests."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.batch_writes = 0

    def batch_write_item(self, **kwargs: Any) -> Any:
        self.batch_writes += 1
        return self._client.batch_write_item(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


@pytest.mark.slow
def test_a_hundred_thousand_records_load_in_four_thousand_requests(world: LoaderWorld) -> None:
    count = 100_000
    world.upload("big.json", "[" + ",".join(
        f'{{"username": "u{index:06d}", "n": {index}}}' for index in range(count)) + "]")
    dynamodb = CountingClient(world.clients.dynamodb)
    summary = world.load("big.json", dynamodb_client=dynamodb)
    assert (summary.loaded, summary.rejected, dynamodb.batch_writes) == (count, 0, count // 25)
    assert world.exported_items() == [{"username": f"u{index:06d}", "n": Decimal(index)}
                                      for index in range(count)]
    world.clients.dynamodb.delete_table(TableName=world.config.table_name)


class GeneratedUpload:
    """A large JSON array produced as it is read, so only the loader's own memory counts."""

    def __init__(self, count: int, padding: int) -> None:
        self.size = 0
        self._pending = b""
        self._parts = itertools.chain([b"["], (
            b'%s{"username": "u%07d", "bio": "%s"}' % (b"," if index else b"", index,
                                                       b"x" * padding)
            for index in range(count)), [b"]"])

    def read(self, size: int | None = -1, /) -> bytes:
        wanted = size if size is not None and size > 0 else 1 << 62
        while len(self._pending) < wanted and (part := next(self._parts, None)) is not None:
            self._pending += part
        chunk, self._pending = self._pending[:wanted], self._pending[wanted:]
        self.size += len(chunk)
        return chunk

    def close(self) -> None:
        pass


class OneObjectS3:
    def __init__(self, body: GeneratedUpload) -> None:
        self.body = body

    def get_object(self, **_: Any) -> dict[str, Any]:
        return {"Body": self.body, "ETag": '"generated"'}

    def delete_object(self, **_: Any) -> dict[str, Any]:
        return {}


class AcceptingDynamoDB:
    def batch_write_item(self, **_: Any) -> dict[str, Any]:
        return {}


def test_a_large_upload_is_loaded_in_constant_memory() -> None:
    from shipway.loader import LoaderConfig, load_object

    upload = GeneratedUpload(count=10_000, padding=4_000)
    config = LoaderConfig("users", KeySchema(KeyAttribute("username", "S")))
    tracemalloc.start()
    try:
        summary = load_object(bucket="b", key="big.json", config=config,
                              s3_client=OneObjectS3(upload),  # type: ignore[arg-type]
                              dynamodb_client=AcceptingDynamoDB())  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (summary.loaded, summary.rejected) == (10_000, 0)
    assert upload.size > 40_000_000
    assert peak < 2 * 1024 * 1024, f"peak {peak:,} bytes for a {upload.size:,}-byte upload"


# The Lambda handler, end to end: S3 notification -> SQS (over HTTP) -> handler -> table.

def test_the_test_event_s3_sends_on_setup_is_acknowledged(pipeline: Pipeline) -> None:
    messages = pipeline.receive()
    assert [json.loads(message["Body"])["Event"] for message in messages] == ["s3:TestEvent"]
    assert pipeline.invoke(messages) == []
    assert pipeline.world.items() == []


def test_an_upload_is_loaded_and_the_summary_logged(
        pipeline: Pipeline, users_json: bytes, loader_logs: Callable[[], list[dict[str, Any]]],
        capsys: pytest.CaptureFixture[str]) -> None:
    pipeline.invoke(pipeline.receive())  # s3:TestEvent
    pipeline.world.upload("imports/user data+1.json", users_json)
    assert pipeline.invoke(pipeline.receive()) == []
    assert without_passwords(pipeline.world.items()) == USERS
    [summary] = [line for line in loader_logs() if line["message"] == "object loaded"]
    assert summary["level"] == "INFO"
    assert {name: summary.get(name) for name in ("bucket", "key", "loaded", "rejected",
                                                  "report_key", "malformed")} == {
        "bucket": pipeline.world.bucket, "key": "imports/user data+1.json", "loaded": 3,
        "rejected": 0, "report_key": None, "malformed": None}  # Powertools leaves out nulls
    assert isinstance(summary["seconds"], float)
    assert summary["function_name"] == "shipway-loader"
    metrics = [json.loads(line) for line in capsys.readouterr().out.splitlines()
               if line.startswith("{") and '"_aws"' in line]
    assert [(metric["RecordsLoaded"], metric["RecordsRejected"]) for metric in metrics
            if "RecordsLoaded" in metric] == [([3.0], [0.0])]


def test_the_loaders_own_reports_are_not_loaded(pipeline: Pipeline) -> None:
    pipeline.invoke(pipeline.receive())  # s3:TestEvent
    pipeline.world.upload("users.json", '[{"username": "ada"}, {"role": "admin"}]')
    assert pipeline.invoke(pipeline.receive()) == []
    [report_notice] = pipeline.receive()
    assert "reports%2Fusers.json.rejected.json" in report_notice["Body"]
    assert pipeline.invoke([report_notice]) == []
    listing = pipeline.world.clients.s3.list_objects_v2(Bucket=pipeline.world.bucket)
    assert sorted(entry["Key"] for entry in listing["Contents"]) == [
        "reports/users.json.rejected.json", "users.json"]
    assert pipeline.world.items() == [{"username": "ada"}]
    assert pipeline.receive() == []


def test_a_malformed_upload_ends_in_the_dead_letter_queue_with_its_reason_logged(
        pipeline: Pipeline, loader_logs: Callable[[], list[dict[str, Any]]]) -> None:
    pipeline.invoke(pipeline.receive())  # s3:TestEvent
    pipeline.world.upload("empty.json", b"")
    for _receive in range(3):
        messages = pipeline.receive()  # with notices of the report, which are let go
        [upload] = [message for message in messages if "reports%2F" not in message["Body"]]
        assert pipeline.invoke(messages) == [upload["MessageId"]]
    assert all("reports%2F" in message["Body"] for message in pipeline.receive())
    [dead] = pipeline.receive(pipeline.dlq_url)
    assert dead["Body"] == upload["Body"]
    errors = [line for line in loader_logs() if line["level"] == "ERROR"]
    assert len(errors) == 3
    assert all(line["message"].startswith("malformed object; the message fails") for line in errors)
    assert {line["malformed"] for line in errors} == {
        "empty file: it has no records (or only whitespace)"}
    assert {line["report_key"] for line in errors} == {"reports/empty.json.rejected.json"}
    report = pipeline.world.report("empty.json")
    assert report is not None
    assert report["malformed"] == "empty file: it has no records (or only whitespace)"


def test_one_bad_message_does_not_fail_the_others(pipeline: Pipeline) -> None:
    pipeline.invoke(pipeline.receive())  # s3:TestEvent
    pipeline.world.upload("good.jsonl", '{"username": "ada"}\n')
    pipeline.world.upload("binary.bin", bytes(range(256)))
    messages = pipeline.receive(count=2)
    bad = [message["MessageId"] for message in messages if "binary.bin" in message["Body"]]
    assert pipeline.invoke(messages) == bad
    assert pipeline.world.items() == [{"username": "ada"}]


def test_a_redelivered_message_does_no_harm(pipeline: Pipeline) -> None:
    pipeline.invoke(pipeline.receive())  # s3:TestEvent
    pipeline.world.upload("users.json", '[{"username": "ada"}, {"nope": 1}]')
    [message] = pipeline.receive()
    assert pipeline.invoke([message]) == []
    items, report = pipeline.world.items(), pipeline.world.report("users.json")
    assert pipeline.invoke([message]) == []  # at-least-once delivery: the same message again
    assert (pipeline.world.items(), pipeline.world.report("users.json")) == (items, report)


def test_a_message_that_is_no_s3_notification_fails_with_its_reason_logged(
        pipeline: Pipeline, loader_logs: Callable[[], list[dict[str, Any]]]) -> None:
    sqs = pipeline.world.clients.sqs
    pipeline.invoke(pipeline.receive())  # s3:TestEvent
    sqs.send_message(QueueUrl=pipeline.queue_url, MessageBody="hello")
    [message] = pipeline.receive()
    assert pipeline.invoke([message]) == [message["MessageId"]]
    [error] = [line for line in loader_logs() if line["level"] == "ERROR"]
    assert error["message"].startswith("not an S3 event notification; the message fails")
    assert error["reason"].startswith("the SQS message is not JSON")


def test_an_outage_fails_the_message_for_a_retry(
        pipeline: Pipeline, loader_logs: Callable[[], list[dict[str, Any]]]) -> None:
    pipeline.invoke(pipeline.receive())  # s3:TestEvent
    pipeline.world.upload("users.json", '[{"username": "ada"}]')
    pipeline.world.clients.dynamodb.delete_table(TableName=pipeline.world.config.table_name)
    [message] = pipeline.receive()
    assert pipeline.invoke([message]) == [message["MessageId"]]
    [error] = [line for line in loader_logs() if line["level"] == "ERROR"]
    assert (error["message"], error["key"]) == (
        "loading failed; the message will be retried", "users.json")
    assert "ResourceNotFoundException" in error["exception"]


def test_an_object_deleted_before_its_message_arrives_is_skipped(pipeline: Pipeline) -> None:
    pipeline.invoke(pipeline.receive())  # s3:TestEvent
    pipeline.world.upload("users.json", '[{"username": "ada"}]')
    pipeline.world.clients.s3.delete_object(Bucket=pipeline.world.bucket, Key="users.json")
    assert pipeline.invoke(pipeline.receive()) == []
    assert pipeline.world.items() == []


def test_the_handler_refuses_to_start_without_its_environment(
        monkeypatch: pytest.MonkeyPatch, lambda_context: Any) -> None:
    from shipway.loader import LoaderConfigError, handler

    monkeypatch.delenv("TABLE_NAME", raising=False)
    monkeypatch.delenv("KEY_SCHEMA", raising=False)
    with pytest.raises(LoaderConfigError, match="lacks TABLE_NAME, KEY_SCHEMA"):
        handler({"Records": []}, lambda_context)
