"""``python -m shop_cart.fulfilment``: record each placed order from the fulfilment queue.

At-least-once delivery made exactly-once in effect: an order is recorded with a conditional
put on its id, so a redelivered message changes nothing and is deleted. A message that is not
an order is made visible again at once; after the queue's `max_receives` SQS moves it to the
dead-letter queue. A failure of DynamoDB leaves the message to come back after the visibility
timeout. SIGTERM finishes the current batch, then exits 0.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from pathlib import Path  # noqa: TC003 - pydantic reads the annotation at runtime
from typing import TYPE_CHECKING

import boto3
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from service_runtime import configure_logging
from service_runtime.aws import client_config

from shop_cart.heartbeat import DEFAULT_FILE, beat
from shop_cart.orders import InvalidOrderError, Order, OrderStore

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient
    from mypy_boto3_sqs.type_defs import MessageTypeDef

SERVICE = "fulfilment"
logger = logging.getLogger("shop_cart.fulfilment")


class FulfilmentSettings(BaseSettings):
    """Environment of the fulfilment worker (shipway injects the first two)."""

    model_config = SettingsConfigDict(case_sensitive=False, extra="ignore", frozen=True)

    queue_fulfilment_url: str = Field(min_length=1, description="the queue of placed orders")
    table_orders: str = Field(min_length=3, description="DynamoDB table of orders (key `id`)")
    wait_seconds: int = Field(5, ge=0, le=20, description="long-poll wait per receive")
    heartbeat_file: Path = Field(DEFAULT_FILE, description="touched after every poll")
    log_level: str = Field("INFO", description="lowest level logged")


class Fulfilment:
    """Receives batches from the queue and records their orders."""

    def __init__(self, settings: FulfilmentSettings, sqs: SQSClient, store: OrderStore) -> None:
        self.settings, self.sqs, self.store = settings, sqs, store
        self.stopping = threading.Event()

    def run(self) -> None:
        """Poll until stopped; each poll ends with a heartbeat."""
        while not self.stopping.is_set():
            self.poll_once()
            beat(self.settings.heartbeat_file)

    def poll_once(self) -> None:
        """One receive and the handling of what it returned."""
        answer = self.sqs.receive_message(
            QueueUrl=self.settings.queue_fulfilment_url,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=self.settings.wait_seconds,
            MessageSystemAttributeNames=["ApproximateReceiveCount"],
        )
        for message in answer.get("Messages", []):
            self.handle(message)

    def handle(self, message: MessageTypeDef) -> None:
        """Record the order and delete the message, or leave it to be received again."""
        receipt = message["ReceiptHandle"]
        try:
            order = Order.from_message(message.get("Body", ""))
            stored = self.store.record(order)
        except InvalidOrderError as error:
            count = message.get("Attributes", {}).get("ApproximateReceiveCount", "?")
            logger.warning("poison message (receive %s): %s", count, error)
            self.sqs.change_message_visibility(
                QueueUrl=self.settings.queue_fulfilment_url,
                ReceiptHandle=receipt,
                VisibilityTimeout=0,
            )
            return
        except (ClientError, BotoCoreError) as error:
            logger.error("could not record an order, it will come back: %s", error)
            return
        logger.info("order %s %s", order.id, "recorded" if stored else "already recorded")
        self.sqs.delete_message(QueueUrl=self.settings.queue_fulfilment_url, ReceiptHandle=receipt)


def main() -> int:
    """Run the worker until SIGTERM or SIGINT."""
    settings = FulfilmentSettings()
    configure_logging(settings.log_level, SERVICE)
    config = client_config(timeout=settings.wait_seconds + 5.0)
    worker = Fulfilment(
        settings,
        boto3.client("sqs", config=config),
        OrderStore(settings.table_orders, boto3.client("dynamodb", config=config)),
    )
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: worker.stopping.set())
    logger.info("consuming %s", settings.queue_fulfilment_url)
    worker.run()
    logger.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
