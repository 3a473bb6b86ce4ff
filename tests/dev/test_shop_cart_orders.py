"""The shop-cart order flow under `shipway dev` (moto SNS -> SQS -> the fulfilment worker ->
DynamoDB): checkout records one order, a redelivered order changes nothing, a poison message
ends in the dead-letter queue, and the worker keeps running through all of it; the nightly
job runs once through `shipway job run` against the same session."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import pytest

from shipway.emulators.moto_server import FAKE_CREDENTIALS
from tests.dev.running import DevRun, alive, wait_until

if TYPE_CHECKING:
    from collections.abc import Iterator

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "shop-cart"
PLACED = {"type": {"DataType": "String", "StringValue": "placed"}}


def call(method: str, url: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DevRun, dict[str, Any]]]:
    """One `shipway dev` of a copy of the example for the module's tests, stopped cleanly."""
    target = tmp_path_factory.mktemp("orders") / "shop-cart"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".shipway", "__pycache__"))
    run = DevRun(target / "shipway.yml")
    try:
        yield run, run.wait_ready(timeout=60)
        assert run.stop() == 0, run.output
        assert run.leftovers() == []
    finally:
        run.kill_leftovers()


def client(session: dict[str, Any], service: str) -> Any:
    return boto3.client(
        service,  # type: ignore[call-overload]
        endpoint_url=session["aws_endpoint_url"],
        region_name=FAKE_CREDENTIALS["AWS_DEFAULT_REGION"],
        aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def orders(session: dict[str, Any]) -> dict[str, dict[str, Any]]:
    table = session["tables"]["orders"]
    items = client(session, "dynamodb").scan(TableName=table, ConsistentRead=True)["Items"]
    return {item["id"]["S"]: item for item in items}


def queue_is_empty(session: dict[str, Any], url: str) -> bool:
    attributes = client(session, "sqs").get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return all(value == "0" for value in attributes.values())


def placed_order(session: dict[str, Any]) -> tuple[str, str]:
    """A cart with two lines, checked out: (cart id, order id)."""
    cart_url = session["services"]["cart"]["url"]
    status, cart = call("POST", f"{cart_url}/carts")
    assert status == 201
    for sku, quantity in (("sku-1", 2), ("sku-2", 1)):
        body = {"quantity": quantity, "unit_price_cents": 250}
        assert call("PUT", f"{cart_url}/carts/{cart['id']}/items/{sku}", body)[0] == 200
    status, order = call("POST", f"{cart_url}/carts/{cart['id']}/checkout")
    assert status == 202, order
    assert (order["total_cents"], order["item_count"]) == (750, 3)
    return cart["id"], order["order_id"]


def test_checkout_is_recorded_once_by_the_worker(shop: tuple[DevRun, dict[str, Any]]) -> None:
    run, session = shop
    assert session["services"]["fulfilment"] == {
        "type": "worker",
        "url": None,
        "port": None,
        "pid": session["services"]["fulfilment"]["pid"],
    }
    cart_id, order_id = placed_order(session)

    recorded = wait_until(
        lambda: orders(session).get(order_id), timeout=20, message=f"no order:\n{run.output}"
    )

    assert recorded["cart_id"] == {"S": cart_id}
    assert recorded["total_cents"] == {"N": "750"}
    # checking the same cart version out again is the same order
    cart_url = session["services"]["cart"]["url"]
    assert call("POST", f"{cart_url}/carts/{cart_id}/checkout")[1]["order_id"] == order_id
    queue = session["queues"]["fulfilment"]["url"]
    wait_until(lambda: queue_is_empty(session, queue), timeout=20, message="queue not drained")
    assert [key for key in orders(session) if key == order_id] == [order_id]


def test_a_redelivered_order_changes_nothing(shop: tuple[DevRun, dict[str, Any]]) -> None:
    run, session = shop
    _, order_id = placed_order(session)
    first = wait_until(lambda: orders(session).get(order_id), timeout=20, message=run.output)
    message = {
        "id": order_id,
        "cart_id": first["cart_id"]["S"],
        "total_cents": 1,  # a changed copy: the first recording must win
        "item_count": 1,
        "placed_at": 0,
    }

    client(session, "sns").publish(
        TopicArn=session["topics"]["orders"], Message=json.dumps(message), MessageAttributes=PLACED
    )

    queue = session["queues"]["fulfilment"]
    wait_until(lambda: queue_is_empty(session, queue["url"]), timeout=20, message=run.output)
    assert orders(session)[order_id] == first
    assert queue_is_empty(session, queue["dead_letter_url"])
    assert "already recorded" in run.output


def test_a_poison_message_ends_in_the_dead_letter_queue(
    shop: tuple[DevRun, dict[str, Any]],
) -> None:
    run, session = shop
    before = orders(session)
    sqs = client(session, "sqs")
    queue = session["queues"]["fulfilment"]

    client(session, "sns").publish(
        TopicArn=session["topics"]["orders"], Message="not an order", MessageAttributes=PLACED
    )

    def dead_letters() -> list[str]:
        answer = sqs.receive_message(QueueUrl=queue["dead_letter_url"], WaitTimeSeconds=1)
        return [message["Body"] for message in answer.get("Messages", [])]

    assert wait_until(dead_letters, timeout=30, message=run.output) == ["not an order"]
    assert run.output.count("poison message") >= 3  # max_receives: 3
    assert orders(session) == before
    assert alive(session["services"]["fulfilment"]["pid"])  # the worker kept going


def test_the_abandoned_carts_job_runs_once_against_the_session(
    shop: tuple[DevRun, dict[str, Any]],
) -> None:
    run, session = shop
    cart_url = session["services"]["cart"]["url"]
    old, fresh = (call("POST", f"{cart_url}/carts")[1]["id"] for _ in range(2))
    body = {"quantity": 4, "unit_price_cents": 100}
    assert call("PUT", f"{cart_url}/carts/{old}/items/sku-9", body)[0] == 200
    two_days_ago = str(int(time.time()) - 2 * 86_400)
    client(session, "dynamodb").update_item(  # the cart was last written two days ago
        TableName=session["tables"]["carts"],
        Key={"id": {"S": old}},
        UpdateExpression="SET updated_at = :then",
        ExpressionAttributeValues={":then": {"N": two_days_ago}},
    )

    job = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [
            sys.executable,
            "-m",
            "shipway.cli",
            "job",
            "run",
            "abandoned-carts",
            "-f",
            str(run.manifest),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert job.returncode == 0, job.stdout + job.stderr
    report = json.loads(next(line for line in job.stdout.splitlines() if line.startswith("{")))
    assert old in report["carts"] and fresh not in report["carts"]
    assert report["total_cents"] >= 400
    assert "job abandoned-carts: exit status 0" in job.stdout


def test_job_run_names_the_jobs_when_one_is_unknown(shop: tuple[DevRun, dict[str, Any]]) -> None:
    run, _ = shop
    job = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", "shipway.cli", "job", "run", "nightly", "-f", str(run.manifest)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert job.returncode == 2
    assert "there is no job 'nightly'" in job.stderr and "abandoned-carts" in job.stderr
    assert "Traceback" not in job.stderr
