"""The api's Starlette application factory."""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3
from service_runtime import SharedReads, service_app
from service_runtime.aws import client_config
from service_runtime.dynamodb_reads import DynamoReads

from three_tier_api.errors import EXCEPTION_HANDLERS
from three_tier_api.openapi import openapi_document
from three_tier_api.routes import ROUTES
from three_tier_api.settings import SERVICE, ApiSettings, get_settings
from three_tier_api.store import ItemStore

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from starlette.applications import Starlette


def create_app(
    settings: ApiSettings | None = None,
    *,
    dynamodb: DynamoDBClient | None = None,
    reads: DynamoReads | None = None,
) -> Starlette:
    """Build the api; one DynamoDB client (boto3) and one reader (on the event loop) serve
    every request of this process."""
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
    app.state.store = store = ItemStore(settings.table_items, client, reads)

    # GETs of one item share strongly consistent reads (never stale; see shared_reads)
    app.state.item_reads = SharedReads(store.get)
    app.state.openapi = openapi_document()
    return app
