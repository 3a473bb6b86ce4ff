"""The api's Starlette application factory."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config
from service_runtime import AccessLog, RequestContextMiddleware, SharedReads, flushing
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware

from three_tier_api.errors import EXCEPTION_HANDLERS
from three_tier_api.openapi import openapi_document
from three_tier_api.routes import ROUTES
from three_tier_api.settings import SERVICE, ApiSettings, get_settings
from three_tier_api.store import ItemStore

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from mypy_boto3_dynamodb import DynamoDBClient

    from three_tier_api.attributes import JsonValue

# Fail fast rather than hold a request for boto3's default 60 s read timeout.
DYNAMODB_CONFIG = Config(
    connect_timeout=2,
    read_timeout=5,
    max_pool_connections=64,
    retries={"mode": "standard", "max_attempts": 3},
)


def create_app(
    settings: ApiSettings | None = None, *, dynamodb: DynamoDBClient | None = None
) -> Starlette:
    """Build the api; one DynamoDB client serves every request of this process."""
    settings = settings or get_settings()
    client = dynamodb or boto3.client("dynamodb", config=DYNAMODB_CONFIG)
    access_log = (
        AccessLog(service=SERVICE, logger="three_tier_api.access") if settings.access_log else None
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
    app.state.store = store = ItemStore(settings.table_items, client)

    # GETs of one item share strongly consistent reads (never stale; see shared_reads)
    async def read_item(key: str) -> dict[str, JsonValue] | None:
        return await run_in_threadpool(store.get, key)

    app.state.item_reads = SharedReads(read_item)
    app.state.openapi = openapi_document()
    return app
