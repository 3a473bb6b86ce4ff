"""The cart API's endpoints."""

from __future__ import annotations

from typing import TYPE_CHECKING

from service_runtime import OrjsonResponse, path_route, read_body
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.routing import Route

from shop_cart import bodies
from shop_cart.cart_service import CartNotFoundError
from shop_cart.etags import if_none_match_hits

if TYPE_CHECKING:
    from service_runtime import SharedReads
    from starlette.requests import Request

    from shop_cart.cart import Cart
    from shop_cart.cart_service import CartService

PRIVATE = {"Cache-Control": "no-store"}


def _service(request: Request) -> CartService:
    return request.app.state.carts  # type: ignore[no-any-return]


def _reads(request: Request) -> SharedReads[str, Cart | None]:
    return request.app.state.cart_reads  # type: ignore[no-any-return]


def _cart_id(request: Request) -> str:
    cart_id: str = request.path_params["cart_id"]
    if not bodies.is_cart_id(cart_id):
        raise CartNotFoundError(f"no cart has id {cart_id!r}")
    return cart_id


def _cart_response(cart: Cart, status_code: int = 200, **headers: str) -> Response:
    return OrjsonResponse(
        cart.to_json(), status_code=status_code, headers={**PRIVATE, "ETag": cart.etag, **headers}
    )


async def create_cart(request: Request) -> Response:
    """Create an empty cart; its URL is in Location and its version in ETag."""
    cart = await run_in_threadpool(_service(request).create)
    return _cart_response(cart, 201, Location=f"/carts/{cart.id}")


async def get_cart(request: Request) -> Response:
    """Read a cart with its lines and total; If-None-Match with its ETag gives 304."""
    cart_id = _cart_id(request)
    cart = _service(request).live(cart_id, await _reads(request).get(cart_id))
    if if_none_match_hits(request.headers.get("if-none-match"), cart.etag):
        return Response(status_code=304, headers={**PRIVATE, "ETag": cart.etag})
    return _cart_response(cart)


async def delete_cart(request: Request) -> Response:
    """Delete a cart (If-Match optional)."""
    cart_id, if_match = _cart_id(request), request.headers.get("if-match")
    await run_in_threadpool(_service(request).delete, cart_id, if_match=if_match)
    return Response(status_code=204)


async def put_item(request: Request) -> Response:
    """Set a SKU's quantity and unit price in the cart (If-Match optional)."""
    cart_id, sku = _cart_id(request), bodies.sku(request.path_params["sku"])
    line = bodies.line_item(await read_body(request, bodies.MAX_BODY_BYTES))
    if_match = request.headers.get("if-match")
    cart = await run_in_threadpool(
        _service(request).set_line, cart_id, sku, line, if_match=if_match
    )
    return _cart_response(cart)


async def delete_item(request: Request) -> Response:
    """Remove a SKU from the cart (If-Match optional)."""
    cart_id, sku = _cart_id(request), bodies.sku(request.path_params["sku"])
    if_match = request.headers.get("if-match")
    cart = await run_in_threadpool(_service(request).remove_line, cart_id, sku, if_match=if_match)
    return _cart_response(cart)


async def checkout(request: Request) -> Response:
    """Check the cart out: publish its order for fulfilment (the same cart version, one order)."""
    cart_id = _cart_id(request)
    order = await run_in_threadpool(request.app.state.checkout.place, cart_id)
    return OrjsonResponse(
        {"order_id": order.id, "total_cents": order.total_cents, "item_count": order.item_count},
        status_code=202,
        headers=PRIVATE,
    )


async def health(_request: Request) -> Response:
    """Liveness: the process serves requests (DynamoDB is not consulted)."""
    return OrjsonResponse({"status": "ok"})


async def openapi(request: Request) -> Response:
    """This API's OpenAPI document."""
    return OrjsonResponse(request.app.state.openapi)


ROUTES = [
    Route("/carts", create_cart, methods=["POST"]),
    path_route("/carts/{cart_id}", {"GET": get_cart, "DELETE": delete_cart}),
    path_route("/carts/{cart_id}/items/{sku}", {"PUT": put_item, "DELETE": delete_item}),
    Route("/carts/{cart_id}/checkout", checkout, methods=["POST"]),
    Route("/health", health, methods=["GET"]),
    Route("/openapi.json", openapi, methods=["GET"], include_in_schema=False),
]
