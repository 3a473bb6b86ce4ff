"""The cart service's Starlette application factory."""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config
from service_runtime import AccessLog, RequestContextMiddleware, SharedReads, flushing
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware

from shop_cart.cart_service import CartService
from shop_cart.errors import EXCEPTION_HANDLERS
from shop_cart.openapi import openapi_document
from shop_cart.routes import ROUTES
from shop_cart.settings import SERVICE, CartSettings, get_settings
from shop_cart.store import CartStore

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable

    from mypy_boto3_dynamodb import DynamoDBClient

    from shop_cart.cart import Cart

# Fail fast rather than hold a request for boto3's default 60 s read timeout.
DYNAMODB_CONFIG = Config(
    connect_timeout=2,
    read_timeout=5,
    max_pool_connections=64,
    retries={"mode": "standard", "max_attempts": 3},
)


def create_app(
    settings: CartSettings | None = None,
    *,
    dynamodb: DynamoDBClient | None = None,
    clock: Callable[[], float] = time.time,
) -> Starlette:
    """Build the cart service; one DynamoDB client serves every request of this process."""
    settings = settings or get_settings()
    client = dynamodb or boto3.client("dynamodb", config=DYNAMODB_CONFIG)
    access_log = (
        AccessLog(service=SERVICE, logger="shop_cart.access") if settings.access_log else None
    )

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        async with flushing(access_log):
            yield

    app = Starlette(
        routes=ROUTES,
        lifespan=lifespan,
        middleware=[Middleware(RequestContextMiddleware, access_log=access_log)],
        exception_handlers=EXCEPTION_HANDLERS,
    )
    app.state.settings = settings
    app.state.access_log = access_log
    store = CartStore(settings.table_carts, client)
    app.state.carts = CartService(store, ttl_seconds=settings.cart_ttl_seconds, clock=clock)

    # GETs of one cart share strongly consistent reads (never stale; see shared_reads)
    async def load(cart_id: str) -> Cart | None:
        return await run_in_threadpool(store.load, cart_id)

    app.state.cart_reads = SharedReads(load)
    app.state.openapi = openapi_document()
    return app
