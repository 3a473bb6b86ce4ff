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


class VerifiedTokens:
    """Claims of tokens PyJWT already accepted, kept until they expire or the key changes.

    A client sends the same token with every request for an hour, and a full PyJWT decode
    costs far more than the rest of a request. Only exact token strings verified with the
    current key are remembered, so a tampered or re-signed token is always decoded afresh.
    The oldest entries are dropped beyond `capacity`.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._entries: dict[str, tuple[str, dict[str, Any]]] = {}

    def get(self, token: str, key: str, now: float) -> dict[str, Any] | None:
        """The claims of token when verified with key and not expired at now."""
        entry = self._entries.get(token)
        if entry is None:
            return None
        verified_key, claims = entry
        # The same expiry rule as PyJWT's: expired when exp <= now - leeway.
        if verified_key != key or claims["exp"] <= now - CLOCK_SKEW_SECONDS:
            del self._entries[token]
            return None
        return claims

    def put(self, token: str, key: str, claims: dict[str, Any]) -> None:
        """Remember claims of a token just verified with key."""
        if len(self._entries) >= self.capacity:
            del self._entries[next(iter(self._entries))]
        self._entries[token] = (key, claims)


class TokenService:
    """Issue tokens for users and verify presented tokens."""

    def __init__(
        self,
        keys: SigningKeySource,
        *,
        lifetime_seconds: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.keys = keys
        self.lifetime_seconds = lifetime_seconds
        self.clock = clock
        self.verified = VerifiedTokens()

    async def issue(self, user: User) -> str:
        """A signed token for user, valid for lifetime_seconds."""
        now = int(self.clock())
        claims = {
            "role": user.role,
            "sub": user.username,
            "iat": now,
            "exp": now + self.lifetime_seconds,
        }
        return jwt.encode(claims, await self.keys.current(), algorithm=ALGORITHM)

    async def verify(self, token: str) -> dict[str, Any]:
        """The claims of a valid token (raises jwt.InvalidTokenError otherwise)."""
        key = await self.keys.current()
        claims = self.verified.get(token, key, time.time())
        if claims is None:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                options={"require": REQUIRED_CLAIMS},
                leeway=CLOCK_SKEW_SECONDS,
            )
            self.verified.put(token, key, claims)
        return claims
