"""How each failure becomes a JSON response."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError
from service_runtime import BodyTooLargeError, error_response, http_error
from service_runtime.dynamodb_reads import StorageUnavailableError
from starlette.exceptions import HTTPException

from shop_cart.bodies import InvalidRequestError
from shop_cart.cart import CartFullError, SkuNotInCartError
from shop_cart.cart_service import CartNotFoundError, ContentionError, PreconditionFailedError
from shop_cart.checkout import CartEmptyError, CheckoutUnavailableError

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

logger = logging.getLogger("shop_cart")


async def invalid_request(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, InvalidRequestError)
    return error_response(
        422, "validation_error", "the request is invalid; see errors", errors=exc.errors
    )


async def not_found(_request: Request, exc: Exception) -> Response:
    code = "item_not_found" if isinstance(exc, SkuNotInCartError) else "cart_not_found"
    return error_response(404, code, str(exc))


async def precondition_failed(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PreconditionFailedError)
    headers = {"ETag": exc.current.etag} if exc.current else None
    return error_response(412, "precondition_failed", str(exc), headers=headers)


async def conflict(_request: Request, exc: Exception) -> Response:
    codes = {CartFullError: "cart_full", CartEmptyError: "cart_empty"}
    code = codes.get(type(exc), "contention")
    return error_response(409, code, str(exc))


async def too_large(_request: Request, exc: Exception) -> Response:
    return error_response(413, "body_too_large", str(exc))


async def checkout_unavailable(_request: Request, exc: Exception) -> Response:
    return error_response(503, "checkout_unavailable", str(exc))


async def storage_error(_request: Request, exc: Exception) -> Response:
    logger.error("DynamoDB call failed: %s", exc)
    return error_response(503, "storage_unavailable", "the cart store is unavailable; retry later")


EXCEPTION_HANDLERS = {
    InvalidRequestError: invalid_request,
    CartNotFoundError: not_found,
    SkuNotInCartError: not_found,
    PreconditionFailedError: precondition_failed,
    CartFullError: conflict,
    ContentionError: conflict,
    CartEmptyError: conflict,
    CheckoutUnavailableError: checkout_unavailable,
    BodyTooLargeError: too_large,
    HTTPException: http_error,
    ClientError: storage_error,
    BotoCoreError: storage_error,
    StorageUnavailableError: storage_error,
}
