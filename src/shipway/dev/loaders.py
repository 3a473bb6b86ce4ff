"""The S3 -> SQS -> loader path, live: a thread per loader long-polls its queue.

Each S3 notification is handed to the loader runtime's own code (`objects_in_message`,
`load_object`), exactly as the Lambda function does; a message is deleted when every object
it names loaded, and otherwise left for redelivery and, after three receives, the DLQ.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus

from botocore.exceptions import BotoCoreError, ClientError

from shipway.dev.state import LoadRecord

if TYPE_CHECKING:
    from mypy_boto3_sqs.type_defs import MessageTypeDef

    from shipway.dev.provision import AwsClients
    from shipway.loader import LoaderConfig, LoadSummary

WAIT_SECONDS = 1  # long poll: an upload is picked up at once, a stop within a second
Reporter = Callable[[str, LoadRecord], None]
"""Called with the bucket's manifest name and the outcome of each load."""


class LoaderPoller:
    """Loads each object uploaded to one bucket, until stopped."""

    def __init__(
        self,
        bucket: str,
        queue_url: str,
        config: LoaderConfig,
        clients: AwsClients,
        report: Reporter,
        warn: Callable[[str], None],
    ) -> None:
        self.bucket = bucket
        self.queue_url = queue_url
        self.config = config
        self.clients = clients
        self.report = report
        self.warn = warn
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"loader-{bucket}")

    def start(self) -> LoaderPoller:
        self._thread.start()
        return self

    def stop(self, timeout: float = WAIT_SECONDS + 2) -> None:
        """Ask the thread to finish after its current long poll, and wait for it."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                messages = self.clients.sqs.receive_message(
                    QueueUrl=self.queue_url,
                    MaxNumberOfMessages=10,
                    WaitTimeSeconds=WAIT_SECONDS,
                    MessageSystemAttributeNames=["ApproximateReceiveCount"],
                ).get("Messages", [])
            except (BotoCoreError, ClientError) as error:
                if not self._stop.is_set():
                    self.warn(f"cannot read the loader queue: {error}")
                    self._stop.wait(WAIT_SECONDS)
                continue
            for message in messages:
                self._handle(message)

    def _handle(self, message: MessageTypeDef) -> None:
        """Load what one message names; delete it only if all of it loaded."""
        try:
            done = self.process(
                message.get("Body", ""),
                int(message.get("Attributes", {}).get("ApproximateReceiveCount", "1")),
            )
        except Exception as error:  # a bug or an outage must not end the thread
            self.warn(f"loading failed, the message will be retried: {error!r}")
            return
        if not done:
            return
        try:
            self.clients.sqs.delete_message(
                QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"]
            )
        except (BotoCoreError, ClientError) as error:
            if not self._stop.is_set():
                self.warn(f"cannot delete a processed message, it will be loaded again: {error}")

    def process(self, body: str, attempt: int) -> bool:
        """Load each object in one notification; True if none was malformed."""
        from shipway.loader import InvalidMessageError
        from shipway.loader.notifications import objects_in_message

        try:
            refs = objects_in_message(body)
        except InvalidMessageError as error:
            self.warn(f"not an S3 notification, left for the dead-letter queue: {error}")
            return False
        etags = _etags(body)
        outcomes = [
            self.load(ref.bucket, ref.key)
            for ref in refs
            if not self.config.is_report_key(ref.key)  # the loader's own report
        ]
        for summary in filter(None, outcomes):
            self.report(self.bucket, _record(summary, etags.get(summary.key), attempt))
        return not any(summary and summary.malformed for summary in outcomes)

    def load(self, bucket: str, key: str) -> LoadSummary | None:
        """The runtime's `load_object`; None if the object was deleted meanwhile."""
        from shipway.loader import MalformedObjectError, load_object

        try:
            return load_object(
                bucket=bucket,
                key=key,
                config=self.config,
                s3_client=self.clients.s3,
                dynamodb_client=self.clients.dynamodb,
            )
        except MalformedObjectError as error:
            if error.summary is None:
                raise
            return error.summary
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "NoSuchKey":
                raise
            return None  # deleted before it could be loaded, as in the cloud


def _record(summary: LoadSummary, etag: str | None, attempt: int) -> LoadRecord:
    return LoadRecord(
        bucket=summary.bucket,
        key=summary.key,
        etag=etag,
        loaded=summary.loaded,
        rejected=summary.rejected,
        seconds=summary.seconds,
        report_key=summary.report_key,
        malformed=summary.malformed,
        attempt=attempt,
    )


def _etags(body: str) -> dict[str, str]:
    """Object key -> ETag, from an S3 notification (keys are URL-encoded there)."""
    try:
        records: list[Any] = json.loads(body).get("Records") or []
        return {
            unquote_plus(record["s3"]["object"]["key"]): record["s3"]["object"]["eTag"]
            for record in records
            if "eTag" in record.get("s3", {}).get("object", {})
        }
    except (ValueError, AttributeError, KeyError, TypeError):
        return {}
