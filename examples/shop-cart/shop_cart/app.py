"""The cart service's Starlette application factory."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import boto3
from service_runtime import SharedReads, service_app
from service_runtime.aws import client_config
from service_runtime.dynamodb_reads import DynamoReads

from shop_cart.cart_service import CartService
from shop_cart.checkout import Checkout
from shop_cart.errors import EXCEPTION_HANDLERS
from shop_cart.openapi import openapi_document
from shop_cart.routes import ROUTES
from shop_cart.settings import SERVICE, CartSettings, get_settings
from shop_cart.store import CartStore

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_sns import SNSClient
    from starlette.applications import Starlette


def create_app(
    settings: CartSettings | None = None,
    *,
    dynamodb: DynamoDBClient | None = None,
    sns: SNSClient | None = None,
    reads: DynamoReads | None = None,
    clock: Callable[[], float] = time.time,
) -> Starlette:
    """Build the cart service; one DynamoDB client (boto3) and one reader (on the event loop)
    serve every request of this process."""
    settings = settings or get_settings()
    client = dynamodb or boto3.client("dynamodb", config=client_config())
    reads = reads or DynamoReads.from_environment()

    app = service_app(
        service=SERVICE,
        settings=settings,
        routes=ROUTES,
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=reads.lifespan,
    )
    store = CartStore(settings.table_carts, client, reads)
    app.state.carts = CartService(store, ttl_seconds=settings.cart_ttl_seconds, clock=clock)
    publisher = sns or boto3.client("sns", config=client_config())
    app.state.checkout = Checkout(
        app.state.carts, publisher, settings.topic_orders_arn, clock=clock
    )

    # GETs of one cart share strongly consistent reads (never stale; see shared_reads)
    app.state.cart_reads = SharedReads(store.read)
    app.state.openapi = openapi_document()
    return app
