"""Errors a caller can cause, and how each becomes a JSON response."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError
from service_runtime import BodyTooLargeError, error_response, http_error
from service_runtime.dynamodb_reads import StorageUnavailableError
from starlette.exceptions import HTTPException

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

logger = logging.getLogger("three_tier_api")


class ApiError(Exception):
    """A request the api refuses, with the status and code to answer."""

    def __init__(self, status: int, error: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.error, self.detail = status, error, detail


async def api_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.error, exc.detail)


async def too_large(_request: Request, exc: Exception) -> Response:
    return error_response(413, "body_too_large", str(exc))


async def storage_error(_request: Request, exc: Exception) -> Response:
    logger.error("DynamoDB call failed: %s", exc)
    return error_response(503, "storage_unavailable", "the item store is unavailable; retry later")


EXCEPTION_HANDLERS = {
    ApiError: api_error,
    BodyTooLargeError: too_large,
    HTTPException: http_error,
    ClientError: storage_error,
    BotoCoreError: storage_error,
    StorageUnavailableError: storage_error,
}
