"""The live loader path: upload -> S3 notification -> SQS -> loader runtime -> table."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import pytest
from rich.console import Console

from shipway.dev.loads import LoadBoard, load_seeds, start_pollers, upload
from shipway.dev.logs import LogPrinter
from shipway.dev.plan import DevPlan, plan_dev
from shipway.dev.provision import AwsClients, Provisioned, aws_clients, provision
from shipway.dev.state import LoadRecord

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from shipway.emulators import MotoServer
    from tests.dev.conftest import WriteManifest

NAMES = iter(f"devload{number}" for number in range(100))


class Loading:
    """A provisioned manifest with its pollers running."""

    def __init__(self, plan: DevPlan, clients: AwsClients, done: Provisioned,
                 board: LoadBoard) -> None:
        self.plan, self.clients, self.done, self.board = plan, clients, done, board

    def load(self, path: Path) -> LoadRecord:
        etag = upload(self.clients.s3, self.done.buckets["items-import"], path)
        outcome = self.board.wait_for("items-import", path.name, etag, timeout=20,
                                      stopping=threading.Event())
        assert outcome is not None, "the loader did not report within 20 s"
        return outcome


@pytest.fixture
def loading(moto_server: MotoServer, write_manifest: WriteManifest) -> Iterator[Loading]:
    manifest = write_manifest("""
        tables: {items: {partition_key: id}}
        buckets: {items-import: {loader: {table: items, format: auto}}}
        seed: [{bucket: items-import, file: data/seed.json}]
    """, name=next(NAMES))
    plan = plan_dev(manifest)
    clients = aws_clients(moto_server.endpoint_url)
    done = provision(plan, clients)
    board = LoadBoard(plan.paths, LogPrinter(Console(quiet=True)))
    pollers = start_pollers(plan, done, moto_server.endpoint_url, board)
    yield Loading(plan, clients, done, board)
    for poller in pollers:
        poller.stop()


def test_seeds_are_loaded_and_their_outcome_recorded(loading: Loading) -> None:
    load_seeds(loading.plan, loading.done, loading.clients.s3, loading.board, threading.Event())

    item = loading.clients.dynamodb.get_item(TableName=loading.done.tables["items"],
                                             Key={"id": {"S": "a"}})
    assert item["Item"]["name"] == {"S": "Alpha"}
    record = LoadRecord.from_json(loading.plan.paths.load_record(
        "items-import", "seed.json").read_text(encoding="utf-8"))
    assert (record.loaded, record.rejected) == (2, 1)
    assert record.report_key == "reports/seed.json.rejected.json"


def test_an_upload_is_loaded_and_a_malformed_one_is_reported(loading: Loading,
                                                             tmp_path: Path) -> None:
    good = tmp_path / "more items.jsonl"
    good.write_text('{"id": "x"}\n{"id": "y"}\n', encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")

    assert loading.load(good).loaded == 2
    outcome = loading.load(bad)

    assert outcome.malformed is not None
    assert outcome.attempt == 1
    scanned = loading.clients.dynamodb.scan(TableName=loading.done.tables["items"])
    assert sorted(item["id"]["S"] for item in scanned["Items"]) == ["x", "y"]
