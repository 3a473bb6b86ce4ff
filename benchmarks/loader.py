"""The bucket loader: DynamoDB write requests per 1,000 items, and items/s of its own CPU work.

Runs `shipway.loader.load_object` against in-process fakes (no network): S3 serves the upload
from memory, DynamoDB counts requests. Seed 000 wrote one PutItem per item: 1,000 per 1,000.

    uv run python benchmarks/loader.py
"""

from __future__ import annotations

import hashlib
import io
import json
import time
from typing import Any

import ijson

from shipway.loader import KeyAttribute, KeySchema, LoaderConfig, load_object
from shipway.loader import arrays as loader_arrays

ITEMS = 100_000
GOAL_REQUESTS_PER_1000 = 40
GOAL_ITEMS_PER_SECOND = 5_000
SEED_REQUESTS_PER_1000 = 1_000
CONFIG = LoaderConfig("users", KeySchema(KeyAttribute("username", "S")))


class MemoryS3:
    """get_object from memory; reports are accepted and dropped."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def get_object(self, **_: Any) -> dict[str, Any]:
        return {"Body": io.BytesIO(self.body), "ETag": '"benchmark"'}

    def put_object(self, **_: Any) -> dict[str, Any]:
        return {}

    def delete_object(self, **_: Any) -> dict[str, Any]:
        return {}


class CountingDynamoDB:
    """Accepts every write at once and counts the requests."""

    def __init__(self) -> None:
        self.requests = 0
        self.items = 0

    def batch_write_item(self, RequestItems: dict[str, list[Any]]) -> dict[str, Any]:
        self.requests += 1
        self.items += sum(len(requests) for requests in RequestItems.values())
        return {"UnprocessedItems": {}}

    def put_item(self, **_: Any) -> dict[str, Any]:
        self.requests += 1
        self.items += 1
        return {}


def users(count: int) -> list[dict[str, str]]:
    """Records shaped like seed 000's usersdata.json: username, password, salt, role."""
    digest = hashlib.sha512(b"benchmark").hexdigest()
    return [
        {
            "username": f"user{index:07d}",
            "password": digest,
            "salt": "F^S%QljSfV",
            "role": ("admin", "editor", "viewer")[index % 3],
        }
        for index in range(count)
    ]


def encode(records: list[dict[str, str]], format: str) -> bytes:
    if format == "dynamodb_json":
        typed = [{name: {"S": value} for name, value in record.items()} for record in records]
        return json.dumps(typed).encode()
    if format == "jsonl":
        return "\n".join(json.dumps(record) for record in records).encode()
    return json.dumps(records).encode()


def run(body: bytes) -> tuple[CountingDynamoDB, float, int]:
    """Load body once; return the counting client, CPU seconds and records loaded."""
    dynamodb = CountingDynamoDB()
    started = time.process_time()
    summary = load_object(
        bucket="bench",
        key="users.json",
        config=CONFIG,
        s3_client=MemoryS3(body),  # type: ignore[arg-type]
        dynamodb_client=dynamodb,
    )  # type: ignore[arg-type]
    return dynamodb, time.process_time() - started, summary.loaded


def requests_per_thousand() -> float:
    dynamodb, _, loaded = run(encode(users(1_000), "dynamodb_json"))
    assert loaded == dynamodb.items == 1_000
    return dynamodb.requests * 1_000 / loaded


def items_per_second(format: str, backend: str) -> float:
    loader_arrays.ijson = ijson.get_backend(backend)
    body = encode(users(ITEMS), format)
    run(encode(users(2_000), format))  # warm up: imports, caches
    _, seconds, loaded = run(body)
    assert loaded == ITEMS
    return loaded / seconds


def main() -> None:
    per_thousand = requests_per_thousand()
    print(
        f"DynamoDB write requests per 1,000 items: {per_thousand:.0f} "
        f"(seed 000: {SEED_REQUESTS_PER_1000}, goal <= {GOAL_REQUESTS_PER_1000})"
    )
    print(f"loader CPU work, {ITEMS:,} seed-shaped records, counting client:")
    default_backend = ijson.backend
    rates = {}
    for backend in dict.fromkeys((default_backend, "python")):
        for format in ("dynamodb_json", "json", "jsonl"):
            if format == "jsonl" and backend != default_backend:
                continue  # JSON Lines does not use ijson
            rates[(format, backend)] = items_per_second(format, backend)
            note = " (Lambda asset: pure Python)" if backend == "python" else ""
            print(
                f"  {format:<13} ijson {backend:<8} {rates[(format, backend)]:>9,.0f} items/s{note}"
            )
    slowest = min(rates.values())
    verdict = (
        "met"
        if per_thousand <= GOAL_REQUESTS_PER_1000 and (slowest >= GOAL_ITEMS_PER_SECOND)
        else "MISSED"
    )
    print(
        f"goals {verdict}: {per_thousand:.0f} <= {GOAL_REQUESTS_PER_1000} requests per 1,000 "
        f"items; slowest {slowest:,.0f} >= {GOAL_ITEMS_PER_SECOND:,} items/s"
    )


if __name__ == "__main__":
    main()
