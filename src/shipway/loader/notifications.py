"""Read S3 event notifications out of SQS message bodies."""

from __future__ import annotations

import json
from dataclasses import dataclass

from aws_lambda_powertools.utilities.data_classes import S3Event

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
        # Powertools' S3Event decodes keys with unquote_plus: "a+b%2B.json" is "a b+.json".
        return [
            ObjectRef(record.s3.bucket.name, record.s3.get_object.key)
            for record in S3Event(payload).records
            if record.event_name.startswith("ObjectCreated")
        ]
    except (KeyError, TypeError, AttributeError) as error:
        raise InvalidMessageError(
            f"an S3 event record lacks a field the loader needs ({error})"
        ) from None
