"""Queues and topics under `shipway dev`: created in the moto server as the cloud has them,
a topic fanning out to its queues through their filter policies, poison messages redriven."""

from __future__ import annotations

import json
import textwrap
import time
from typing import TYPE_CHECKING

from shipway.dev.plan import plan_dev
from shipway.dev.provision import aws_clients, provision
from shipway.manifest import load_manifest

if TYPE_CHECKING:
    from pathlib import Path

    from mypy_boto3_sqs import SQSClient

    from shipway.emulators import MotoServer
    from shipway.manifest import Manifest

MANIFEST = """
    queues:
      fulfilment:
        max_receives: 2
        visibility_timeout: 60
        environments: {dev: {visibility_timeout: 0}}
      audit: {retention_days: 14}
      ledger: {fifo: true}
    topics:
      orders:
        subscriptions:
          - {queue: fulfilment, filter: {type: [paid]}}
          - {queue: audit}
"""


def _manifest(folder: Path, name: str) -> Manifest:
    # A `dev` environment of its own, so that a queue may override values locally.
    path = folder / "shipway.yml"
    head = f"name: {name}\nenvironments:\n  dev: {{account: '123456789012', region: us-east-1}}\n"
    path.write_text(head + textwrap.dedent(MANIFEST), encoding="utf-8")
    return load_manifest(path)


def _receive(sqs: SQSClient, url: str, *, want: int, seconds: float = 10.0) -> list[str]:
    """Bodies received from url until want arrived or the deadline passed."""
    bodies: list[str] = []
    deadline = time.monotonic() + seconds
    while len(bodies) < want and time.monotonic() < deadline:
        answer = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        bodies += [message["Body"] for message in answer.get("Messages", [])]
    return bodies


def test_queues_have_the_manifest_attributes_and_dev_overrides(
    moto_server: MotoServer, tmp_path: Path
) -> None:
    clients = aws_clients(moto_server.endpoint_url)
    done = provision(plan_dev(_manifest(tmp_path, "devq")), clients)

    fulfilment = clients.sqs.get_queue_attributes(
        QueueUrl=done.queues["fulfilment"].url, AttributeNames=["All"]
    )["Attributes"]
    assert fulfilment["VisibilityTimeout"] == "0"  # the dev override
    assert fulfilment["MessageRetentionPeriod"] == str(4 * 86_400)
    redrive = json.loads(fulfilment["RedrivePolicy"])
    assert int(redrive["maxReceiveCount"]) == 2
    assert redrive["deadLetterTargetArn"].endswith(":devq-dev-fulfilment-dlq")
    ledger = done.queues["ledger"]
    assert ledger.url.endswith("/devq-dev-ledger.fifo")
    assert ledger.dead_letter_url.endswith("/devq-dev-ledger-dlq.fifo")
    attributes = clients.sqs.get_queue_attributes(QueueUrl=ledger.url, AttributeNames=["All"])
    assert attributes["Attributes"]["FifoQueue"] == "true"
    assert done.topics["orders"].endswith(":devq-dev-orders")


def test_a_topic_fans_out_raw_messages_through_each_filter(
    moto_server: MotoServer, tmp_path: Path
) -> None:
    clients = aws_clients(moto_server.endpoint_url)
    done = provision(plan_dev(_manifest(tmp_path, "devfan")), clients)

    for kind in ("paid", "cancelled"):
        clients.sns.publish(
            TopicArn=done.topics["orders"],
            Message=json.dumps({"order": kind}),
            MessageAttributes={"type": {"DataType": "String", "StringValue": kind}},
        )

    audit = _receive(clients.sqs, done.queues["audit"].url, want=2)
    assert sorted(json.loads(body)["order"] for body in audit) == ["cancelled", "paid"]
    fulfilment = _receive(clients.sqs, done.queues["fulfilment"].url, want=2, seconds=3)
    # visibility 0 in dev: the one message may come back; what matters is which ones arrive
    assert set(fulfilment) == {json.dumps({"order": "paid"})}


def test_a_message_received_max_receives_times_moves_to_the_dead_letter_queue(
    moto_server: MotoServer, tmp_path: Path
) -> None:
    clients = aws_clients(moto_server.endpoint_url)
    queue = provision(plan_dev(_manifest(tmp_path, "devdlq")), clients).queues["fulfilment"]
    clients.sqs.send_message(QueueUrl=queue.url, MessageBody="poison")

    received = _receive(clients.sqs, queue.url, want=2)  # never deleted: visibility 0 in dev

    assert received == ["poison", "poison"]
    assert _receive(clients.sqs, queue.url, want=1, seconds=2) == []
    assert _receive(clients.sqs, queue.dead_letter_url, want=1) == ["poison"]
