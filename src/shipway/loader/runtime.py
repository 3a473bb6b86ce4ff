"""The loader's entry points: ``load_object`` (Lambda and `shipway dev`) and the Lambda ``handler``.

Never imports aws_cdk: this module is bundled into the Lambda function as it is.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from botocore.exceptions import ClientError

from shipway.loader.clients import default_dynamodb_client, default_s3_client
from shipway.loader.config import KeyAttribute, KeySchema, LoaderConfig
from shipway.loader.errors import (
    InvalidMessageError,
    InvalidRecordError,
    LoaderConfigError,
    MalformedObjectError,
)
from shipway.loader.formats import open_records
from shipway.loader.notifications import ObjectRef, objects_in_message
from shipway.loader.records import to_item
from shipway.loader.report import RejectionReport, Source, publish
from shipway.loader.writer import TableWriter

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
    from aws_lambda_powertools.utilities.typing import LambdaContext
    from botocore.response import StreamingBody
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client

__all__ = [
    "KeyAttribute",
    "KeySchema",
    "LoadSummary",
    "LoaderConfig",
    "LoaderConfigError",
    "MalformedObjectError",
    "handler",
    "load_object",
    "make_handler",
]

LambdaHandler = Callable[[dict[str, Any], "LambdaContext"], "PartialItemFailureResponse"]
DEAD_LETTER_NOTE = (
    "the message fails and, after the queue's retries, moves to the dead-letter queue"
)
LOADER_VARIABLES = ("TABLE_NAME", "KEY_SCHEMA", "LOADER_FORMAT", "REPORT_PREFIX")

logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME") or "shipway-loader")
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE") or "shipway")


@dataclass(frozen=True)
class LoadSummary:
    """What one load did; ``malformed`` says why the object as a whole was unreadable."""

    bucket: str
    key: str
    loaded: int
    rejected: int
    seconds: float
    report_key: str | None = None
    malformed: str | None = None


def load_object(
    *,
    bucket: str,
    key: str,
    config: LoaderConfig,
    s3_client: S3Client | None = None,
    dynamodb_client: DynamoDBClient | None = None,
) -> LoadSummary:
    """Load one S3 object into the table; report and raise MalformedObjectError if unreadable."""
    started = time.perf_counter()
    s3 = s3_client or default_s3_client()
    response = s3.get_object(Bucket=bucket, Key=key)
    report = RejectionReport()
    writer = TableWriter(
        dynamodb_client or default_dynamodb_client(),
        config.table_name,
        config.key_schema,
        on_failure=lambda position, item, reason: report.add(position, reason, item),
    )
    malformed = _load_body(response["Body"], config, writer, report)
    source = Source(bucket, key, response.get("ETag", "").strip('"'))
    report_key = _publish_report(s3, config, source, report, writer.loaded, malformed)
    summary = LoadSummary(
        bucket=bucket,
        key=key,
        loaded=writer.loaded,
        rejected=report.count,
        seconds=round(time.perf_counter() - started, 3),
        report_key=report_key,
        malformed=malformed,
    )
    if malformed is not None:
        raise MalformedObjectError(malformed, summary=summary)
    return summary


def _load_body(
    body: StreamingBody, config: LoaderConfig, writer: TableWriter, report: RejectionReport
) -> str | None:
    """Stream every record into the writer; return why the object is malformed, if it is."""
    malformed = None
    try:
        stream = open_records(body, config.format)
        for record in stream.records:
            if record.error is not None:
                report.add(record.position, record.error, record.value, raw=True)
                continue
            try:
                item, item_key = to_item(record.value, config.key_schema, typed=stream.typed)
            except InvalidRecordError as error:
                report.add(record.position, error.reason, record.value)
                continue
            writer.put(record.position, item_key, item)
    except MalformedObjectError as error:
        malformed = error.reason  # records read before the fault are still written below
    finally:
        body.close()
    writer.flush()
    return malformed


def _publish_report(
    s3: S3Client,
    config: LoaderConfig,
    source: Source,
    report: RejectionReport,
    loaded: int,
    malformed: str | None,
) -> str | None:
    """Write the report if anything went wrong, else delete a stale one; return its key."""
    report_key = config.report_key(source.key)
    clean = not report.count and malformed is None
    document = None if clean else report.document(source=source, loaded=loaded, malformed=malformed)
    publish(s3, bucket=source.bucket, report_key=report_key, document=document)
    return None if clean else report_key


def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    """Lambda entry point: load the objects named by an SQS batch of S3 notifications."""
    environment = tuple((name, os.environ[name]) for name in LOADER_VARIABLES if name in os.environ)
    return _handler_for(environment)(event, context)


# Built at cold start; keyed on the loader's variables so a process whose environment changes
# (tests, `shipway dev` after an edit) gets a handler for the new configuration.
@functools.lru_cache(maxsize=8)
def _handler_for(environment: tuple[tuple[str, str], ...]) -> LambdaHandler:
    return make_handler(LoaderConfig.from_environment(dict(environment)))


def make_handler(
    config: LoaderConfig,
    *,
    s3_client: S3Client | None = None,
    dynamodb_client: DynamoDBClient | None = None,
) -> LambdaHandler:
    """A Lambda handler bound to ``config``; one failed message never fails the others."""
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)

    def process_message(record: SQSRecord) -> None:
        _process_message(record.body, config, s3_client, dynamodb_client)

    @logger.inject_lambda_context
    @metrics.log_metrics
    def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
        response = process_partial_response(
            event=event, record_handler=process_message, processor=processor, context=context
        )
        metrics.add_metric(
            name="MessagesProcessed", unit=MetricUnit.Count, value=len(event.get("Records", []))
        )
        return response

    return lambda_handler


def _process_message(
    body: str,
    config: LoaderConfig,
    s3_client: S3Client | None,
    dynamodb_client: DynamoDBClient | None,
) -> None:
    """Load every object one message names; fail the message if any of them failed."""
    try:
        refs = objects_in_message(body)
    except InvalidMessageError as error:
        logger.error(
            f"not an S3 event notification; {DEAD_LETTER_NOTE}", extra={"reason": str(error)}
        )
        raise
    failures = []
    for ref in refs:
        if config.is_report_key(ref.key):
            continue  # the loader's own report: loading it would loop
        failure = _load_one(ref, config, s3_client, dynamodb_client)
        if failure is not None:
            failures.append(failure)
    if failures:
        raise MalformedObjectError("; ".join(failures))


def _load_one(
    ref: ObjectRef,
    config: LoaderConfig,
    s3_client: S3Client | None,
    dynamodb_client: DynamoDBClient | None,
) -> str | None:
    """Load one object and log the outcome; return why it is malformed, if it is."""
    where = {"bucket": ref.bucket, "key": ref.key}
    try:
        summary = load_object(
            bucket=ref.bucket,
            key=ref.key,
            config=config,
            s3_client=s3_client,
            dynamodb_client=dynamodb_client,
        )
    except MalformedObjectError as error:
        _log_malformed(ref, error)
        return f"s3://{ref.bucket}/{ref.key}: {error.reason}"
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "NoSuchKey":
            logger.exception("loading failed; the message will be retried", extra=where)
            raise
        logger.warning("the object was deleted before it could be loaded", extra=where)
        return None
    _log_loaded(summary)
    return None


def _log_loaded(summary: LoadSummary) -> None:
    logger.info("object loaded", extra=asdict(summary))
    metrics.add_metric(name="ObjectsLoaded", unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="RecordsLoaded", unit=MetricUnit.Count, value=summary.loaded)
    metrics.add_metric(name="RecordsRejected", unit=MetricUnit.Count, value=summary.rejected)


def _log_malformed(ref: ObjectRef, error: MalformedObjectError) -> None:
    details = asdict(error.summary) if error.summary else {"bucket": ref.bucket, "key": ref.key}
    logger.error(
        f"malformed object; {DEAD_LETTER_NOTE}", extra={**details, "malformed": error.reason}
    )
    metrics.add_metric(name="ObjectsMalformed", unit=MetricUnit.Count, value=1)
    if error.summary:
        metrics.add_metric(name="RecordsLoaded", unit=MetricUnit.Count, value=error.summary.loaded)
        metrics.add_metric(
            name="RecordsRejected", unit=MetricUnit.Count, value=error.summary.rejected
        )
