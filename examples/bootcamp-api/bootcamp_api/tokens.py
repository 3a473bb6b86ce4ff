"""JSON Web Tokens: HS256 only, with role, sub, iat and exp claims."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import jwt

if TYPE_CHECKING:
    from collections.abc import Callable

    from bootcamp_api.signing_keys import SigningKeySource
    from bootcamp_api.users import User

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["exp", "iat", "sub", "role"]
# Replicas' clocks may disagree slightly; a token is not rejected for a few seconds of skew.
CLOCK_SKEW_SECONDS = 5


class TokenService:
    """Issue tokens for users and verify presented tokens."""

    def __init__(self, keys: SigningKeySource, *, lifetime_seconds: int,
                 clock: Callable[[], float] = time.time) -> None:
        self.keys = keys
        self.lifetime_seconds = lifetime_seconds
        self.clock = clock

    async def issue(self, user: User) -> str:
        """A signed token for user, valid for lifetime_seconds."""
        now = int(self.clock())
        claims = {"role": user.role, "sub": user.username, "iat": now,
                  "exp": now + self.lifetime_seconds}
        return jwt.encode(claims, await self.keys.current(), algorithm=ALGORITHM)

    async def verify(self, token: str) -> dict[str, Any]:
        """The claims of a valid token (raises jwt.InvalidTokenError otherwise)."""
        return jwt.decode(token, await self.keys.current(), algorithms=[ALGORITHM],
                          options={"require": REQUIRED_CLAIMS}, leeway=CLOCK_SKEW_SECONDS)
