"""The api's endpoints."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError
from service_runtime import OrjsonResponse, path_route
from starlette.concurrency import run_in_threadpool
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from three_tier_api.attributes import InvalidItemError, from_attributes, to_attributes
from three_tier_api.cursor import encode_cursor
from three_tier_api.errors import ApiError
from three_tier_api.requests import item_key, json_object, page_limit, start_key

if TYPE_CHECKING:
    from service_runtime import SharedReads
    from starlette.requests import Request

    from three_tier_api.attributes import JsonValue
    from three_tier_api.store import ItemStore


def _store(request: Request) -> ItemStore:
    return request.app.state.store  # type: ignore[no-any-return]


def _item_reads(request: Request) -> SharedReads[str, dict[str, JsonValue] | None]:
    return request.app.state.item_reads  # type: ignore[no-any-return]


async def list_items(request: Request) -> Response:
    """List items a page at a time; pass `next_cursor` back as `cursor` for the next page."""
    limit, start = page_limit(request), start_key(request)
    page = await run_in_threadpool(_store(request).page, limit, start)
    return OrjsonResponse({"items": page.items, "next_cursor": encode_cursor(page.last_key)})


async def get_item(request: Request) -> Response:
    """Read one item by its key."""
    key = item_key(request)
    item = await _item_reads(request).get(key)
    if item is None:
        raise ApiError(404, "item_not_found", f"no item has key {key!r}")
    return OrjsonResponse(item)


async def put_item(request: Request) -> Response:
    """Create or replace the item with this key; the body holds its attributes."""
    key = item_key(request)
    attributes = await json_object(request)
    if attributes.get("key", key) != key:
        raise ApiError(422, "invalid_body", "body's `key` differs from the key in the path")
    try:
        item = to_attributes({**attributes, "key": key})
        created = await run_in_threadpool(_store(request).put, item)
    except InvalidItemError as error:
        raise ApiError(400, "invalid_item", str(error)) from None
    except ClientError as error:
        if error.response["Error"]["Code"] != "ValidationException":
            raise
        raise ApiError(400, "invalid_item", error.response["Error"].get("Message", "")) from None
    return OrjsonResponse(from_attributes(item), status_code=201 if created else 200)


async def meta(request: Request) -> Response:
    """Facts about the data source; `table` is the DynamoDB table's name."""
    return OrjsonResponse({"table": _store(request).table_name})


async def healthz(_request: Request) -> Response:
    """Liveness: the process serves requests (DynamoDB is not consulted)."""
    return PlainTextResponse("app is healthy")


async def openapi(request: Request) -> Response:
    """This api's OpenAPI document."""
    return OrjsonResponse(request.app.state.openapi)


ROUTES = [
    Route("/items", list_items, methods=["GET"]),
    path_route("/items/{key:path}", {"GET": get_item, "PUT": put_item}),
    Route("/meta", meta, methods=["GET"]),
    Route("/healthz", healthz, methods=["GET"]),
    Route("/openapi.json", openapi, methods=["GET"], include_in_schema=False),
]
