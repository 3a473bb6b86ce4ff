"""``python -m shop_cart.abandoned``: report carts untouched for a day (the nightly job).

Prints one JSON object: how many live carts have not been written for
``ABANDONED_AFTER_SECONDS`` (default 24 h), their ids and the value they hold. Exit 0 when
the report is written, 1 when the table cannot be read (the job's alarm then fires).
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

import boto3
import orjson
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from service_runtime.aws import client_config

if TYPE_CHECKING:
    from collections.abc import Iterator

    from mypy_boto3_dynamodb import DynamoDBClient

DAY = 24 * 3600


class AbandonedSettings(BaseSettings):
    """Environment of the abandoned-carts job (shipway injects TABLE_CARTS)."""

    model_config = SettingsConfigDict(case_sensitive=False, extra="ignore", frozen=True)

    table_carts: str = Field(min_length=3, description="DynamoDB table of carts")
    abandoned_after_seconds: int = Field(DAY, ge=60, description="untouched this long")


def abandoned_carts(
    client: DynamoDBClient, table: str, *, now: float, after_seconds: int
) -> dict[str, Any]:
    """The report: live carts whose last write is older than after_seconds."""
    found = [
        item
        for item in _items(client, table)
        if int(item["updated_at"]["N"]) <= now - after_seconds
        and int(item["expires_at"]["N"]) > now
    ]
    value = sum(
        int(line["M"]["quantity"]["N"]) * int(line["M"]["unit_price_cents"]["N"])
        for item in found
        for line in item.get("lines", {}).get("M", {}).values()
    )
    ids = sorted(item["id"]["S"] for item in found)
    return {"abandoned": len(ids), "carts": ids, "total_cents": value}


def _items(client: DynamoDBClient, table: str) -> Iterator[dict[str, Any]]:
    for page in client.get_paginator("scan").paginate(TableName=table):
        yield from page.get("Items", [])


def main() -> int:
    """Write the report to stdout."""
    settings = AbandonedSettings()
    client = boto3.client("dynamodb", config=client_config(timeout=30.0))
    try:
        report = abandoned_carts(
            client,
            settings.table_carts,
            now=time.time(),
            after_seconds=settings.abandoned_after_seconds,
        )
    except (ClientError, BotoCoreError) as error:
        print(f"abandoned-carts: cannot read {settings.table_carts}: {error}", file=sys.stderr)  # noqa: T201
        return 1
    sys.stdout.write(orjson.dumps(report).decode() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
