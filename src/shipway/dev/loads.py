"""Loads under `shipway dev`: the pollers, their completion records, and seed data at start."""

from __future__ import annotations

import functools
import threading
import time
from typing import TYPE_CHECKING

from shipway.dev.errors import SeedError, StopRequested
from shipway.dev.loaders import LoaderPoller
from shipway.dev.provision import aws_clients
from shipway.dev.state import DevPaths, LoadRecord, write_load_record
from shipway.table.keys import key_schema_json

if TYPE_CHECKING:
    from pathlib import Path

    from mypy_boto3_s3 import S3Client

    from shipway.dev.logs import LogPrinter
    from shipway.dev.plan import DevPlan
    from shipway.dev.provision import Provisioned

SEED_SECONDS = 60.0


class LoadBoard:
    """Publishes each load's outcome: a line in the output, a file for `shipway load`."""

    def __init__(self, paths: DevPaths, printer: LogPrinter) -> None:
        self.paths = paths
        self.printer = printer
        self._outcomes: dict[tuple[str, str], LoadRecord] = {}
        self._changed = threading.Condition()

    def record(self, bucket: str, outcome: LoadRecord) -> None:
        """Note, print and publish one outcome."""
        write_load_record(self.paths.load_record(bucket, outcome.key), outcome)
        self.printer.line(
            "loader", f"{bucket}/{outcome.describe()}", style="red" if outcome.malformed else ""
        )
        with self._changed:
            self._outcomes[(bucket, outcome.key)] = outcome
            self._changed.notify_all()

    def warn(self, bucket: str, message: str) -> None:
        self.printer.line("loader", f"{bucket}: {message}", style="yellow")

    def wait_for(
        self, bucket: str, key: str, etag: str, *, timeout: float, stopping: threading.Event
    ) -> LoadRecord | None:
        """The outcome of the object with this ETag, or None after timeout."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while (remaining := deadline - time.monotonic()) > 0:
                if stopping.is_set():
                    raise StopRequested
                found = self._outcomes.get((bucket, key))
                if found is not None and found.etag == etag:
                    return found
                self._changed.wait(min(remaining, 0.5))  # wakes on each outcome
        return None


def start_pollers(
    plan: DevPlan, provisioned: Provisioned, endpoint_url: str, board: LoadBoard
) -> list[LoaderPoller]:
    """One polling thread per bucket with a loader, each with its own clients."""
    from shipway.loader import KeySchema, LoaderConfig

    environment = plan.environment
    pollers = []
    for name, queue in provisioned.loader_queues.items():
        loader = environment.buckets[name].spec.loader
        assert loader is not None
        table = environment.tables[loader.table]
        config = LoaderConfig(
            table_name=table.physical_name,
            key_schema=KeySchema.from_json(key_schema_json(table.spec)),
            format=loader.format,
        )
        clients = aws_clients(endpoint_url)
        pollers.append(
            LoaderPoller(
                name,
                queue.url,
                config,
                clients,  # made in the poller's thread, on first use
                board.record,
                functools.partial(board.warn, name),
            ).start()
        )
    return pollers


def load_seeds(
    plan: DevPlan,
    provisioned: Provisioned,
    s3: S3Client,
    board: LoadBoard,
    stopping: threading.Event,
) -> None:
    """Upload every seed file and wait until the loader has processed each."""
    uploaded = [
        (bucket, path, upload(s3, provisioned.buckets[bucket], path)) for bucket, path in plan.seeds
    ]
    for bucket, path, etag in uploaded:
        outcome = board.wait_for(bucket, path.name, etag, timeout=SEED_SECONDS, stopping=stopping)
        if outcome is None:
            raise SeedError(
                f"seed {path.name}: the loader of bucket '{bucket}' did not report "
                f"within {SEED_SECONDS:g} s"
            )
        if outcome.malformed:
            raise SeedError(
                f"seed {path}: the loader found it malformed ({outcome.malformed}); fix the file"
            )


def upload(s3: S3Client, bucket_name: str, path: Path) -> str:
    """Put the file under its own name; return its ETag (as S3 notifications carry it)."""
    with path.open("rb") as body:
        response = s3.put_object(Bucket=bucket_name, Key=path.name, Body=body)
    return response["ETag"].strip('"')
