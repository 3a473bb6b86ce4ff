"""Read S3 event notifications out of SQS message bodies."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

from shipway.loader.errors import InvalidMessageError


@dataclass(frozen=True)
class ObjectRef:
    """An object a notification says was created; ``key`` is already URL-decoded."""

    bucket: str
    key: str


def objects_in_message(body: str) -> list[ObjectRef]:
    """The created objects an S3 event notification names; none for S3's ``s3:TestEvent``."""
    try:
        payload = json.loads(body)
    except json.JSONDecodeError:
        raise InvalidMessageError(
            "the SQS message is not JSON; the loader's queue should "
            "receive only S3 event notifications"
        ) from None
    if not isinstance(payload, dict):
        raise InvalidMessageError("the SQS message is not an S3 event notification")
    if payload.get("Event") == "s3:TestEvent":
        return []
    if not isinstance(payload.get("Records"), list):
        raise InvalidMessageError(
            "the SQS message has no Records; the loader's queue should "
            "receive only S3 event notifications"
        )
    try:
        return [
            _object_ref(record)
            for record in payload["Records"]
            if str(record.get("eventName", "")).startswith("ObjectCreated")
        ]
    except (KeyError, TypeError, AttributeError) as error:
        raise InvalidMessageError(
            f"an S3 event record lacks a field the loader needs ({error})"
        ) from None


def _object_ref(record: dict[str, Any]) -> ObjectRef:
    # Keys arrive URL-encoded with '+' for a space: "new+users%2B.json" is "new users+.json".
    return ObjectRef(record["s3"]["bucket"]["name"], unquote_plus(record["s3"]["object"]["key"]))
