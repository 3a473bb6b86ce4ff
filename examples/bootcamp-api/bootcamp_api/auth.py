"""Bearer-token authentication for the protected endpoints."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import jwt
from starlette.exceptions import HTTPException

if TYPE_CHECKING:
    from bootcamp_api.tokens import TokenService

logger = logging.getLogger(__name__)

_CHALLENGE = {"WWW-Authenticate": "Bearer"}
_INVALID = {"WWW-Authenticate": 'Bearer error="invalid_token"'}


def bearer_token(header: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header (HTTPException 401 otherwise)."""
    if header is None:
        raise HTTPException(401, "missing Authorization: Bearer <token>", headers=_CHALLENGE)
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(401, "expected Authorization: Bearer <token>", headers=_CHALLENGE)
    return token.strip()


async def authenticated_claims(authorization: str | None, tokens: TokenService) -> dict[str, Any]:
    """The claims of the valid token in an Authorization header (HTTPException 401 otherwise)."""
    token = bearer_token(authorization)
    try:
        return await tokens.verify(token)
    except jwt.InvalidTokenError as error:
        logger.info("token rejected", extra={"reason": type(error).__name__})
        raise HTTPException(401, "invalid or expired token", headers=_INVALID) from None
