"""The rejection report: which records were refused and why, next to the uploaded object."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

    from shipway.loader.formats import Position

MAX_LISTED = 1_000
MAX_RECORD_CHARS = 200


@dataclass(frozen=True)
class Source:
    """The object a report is about."""

    bucket: str
    key: str
    etag: str


@dataclass
class RejectionReport:
    """Collects rejected records, listing the first ``limit`` and counting the rest."""

    limit: int = MAX_LISTED
    count: int = 0
    entries: list[dict[str, Any]] = field(default_factory=list)

    def add(self, position: Position, reason: str, record: object, *, raw: bool = False) -> None:
        """Note one rejected record; ``raw`` when it is the unparsed text of a line."""
        self.count += 1
        if len(self.entries) < self.limit:
            text = str(record) if raw else shorten(record)
            self.entries.append({**position.as_dict(), "reason": reason, "record": clip(text)})

    def document(self, *, source: Source, loaded: int, malformed: str | None) -> dict[str, Any]:
        """The report's JSON content."""
        return {
            "source": {"bucket": source.bucket, "key": source.key, "etag": source.etag},
            "loaded": loaded,
            "rejected_count": self.count,
            "rejected": self.entries,
            "rejected_not_listed": self.count - len(self.entries),
            "malformed": malformed,
        }


def shorten(record: object) -> str:
    """The record as compact JSON text, clipped."""
    try:
        text = json.dumps(record, default=_plain, ensure_ascii=False, separators=(",", ":"))
    except RecursionError:
        text = "(nested too deeply to show)"
    return clip(text)


def clip(text: str) -> str:
    """Cut text to MAX_RECORD_CHARS so a report stays small."""
    return text if len(text) <= MAX_RECORD_CHARS else f"{text[:MAX_RECORD_CHARS]}…"


def _plain(value: object) -> object:
    if isinstance(value, bytes | bytearray):
        return f"<{len(value)} bytes>"
    return str(value)  # Decimal: keep the digits exactly as written


def publish(s3: S3Client, *, bucket: str, report_key: str, document: dict[str, Any] | None) -> None:
    """Write the report, or, when there is none, delete a stale one from an earlier upload."""
    if document is None:
        s3.delete_object(Bucket=bucket, Key=report_key)
        return
    s3.put_object(
        Bucket=bucket,
        Key=report_key,
        ContentType="application/json",
        Body=json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8"),
    )
