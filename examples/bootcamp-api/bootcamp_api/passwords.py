"""Password hashes: the seed's legacy salted SHA-512 and the scrypt scheme that replaces it.

A stored scrypt hash reads `scrypt$<n>$<r>$<p>$<salt, base64>$<hash, base64>`. A legacy record
keeps `password` = hex(sha512(password + salt)) and a separate `salt`. Every check costs one
scrypt computation whatever the outcome (unknown user, wrong password, legacy record), so
response times do not reveal which usernames exist.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

SCHEME = "scrypt"
_SALT_BYTES = 16
_HASH_BYTES = 64


class MalformedHashError(ValueError):
    """A stored hash that is neither a readable scrypt string nor a legacy SHA-512 digest."""


@dataclass(frozen=True)
class ScryptParameters:
    """scrypt cost: N (CPU and memory), r (block size), p (parallelism)."""

    n: int
    r: int
    p: int

    @property
    def memory_bytes(self) -> int:
        return 128 * self.n * self.r * self.p

    def derive(self, password: str, salt: bytes) -> bytes:
        """The scrypt key for password and salt."""
        return hashlib.scrypt(
            password.encode(),
            salt=salt,
            n=self.n,
            r=self.r,
            p=self.p,
            maxmem=2 * self.memory_bytes + 1024 * 1024,
            dklen=_HASH_BYTES,
        )


def legacy_digest(password: str, salt: str) -> str:
    """The seed's scheme: hex SHA-512 of password followed by salt."""
    return hashlib.sha512((password + salt).encode()).hexdigest()


def legacy_matches(password: str, salt: str, stored: str) -> bool:
    """Compare against a legacy digest in constant time."""
    return hmac.compare_digest(legacy_digest(password, salt).encode(), stored.lower().encode())


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def parse_scrypt(stored: str) -> tuple[ScryptParameters, bytes, bytes]:
    """Split a stored scrypt string into its parameters, salt and hash."""
    parts = stored.split("$")
    try:
        if len(parts) != 6 or parts[0] != SCHEME:
            raise ValueError("not an scrypt string")
        parameters = ScryptParameters(int(parts[1]), int(parts[2]), int(parts[3]))
        salt, digest = _unb64(parts[4]), _unb64(parts[5])
    except ValueError as error:
        raise MalformedHashError(f"unreadable scrypt hash: {error}") from None
    n, r, p = parameters.n, parameters.r, parameters.p
    # Bounded so a tampered record cannot make one login allocate gigabytes.
    if not (2 <= n <= 2**20 and not n & (n - 1) and 1 <= r <= 32 and 1 <= p <= 16):
        raise MalformedHashError("unreadable scrypt hash: parameters out of range")
    if not salt or not digest:
        raise MalformedHashError("unreadable scrypt hash: empty salt or hash")
    return parameters, salt, digest


def is_scrypt(stored: str) -> bool:
    """True when stored uses the current scheme (whatever its cost)."""
    return stored.startswith(SCHEME + "$")


class PasswordHasher:
    """Hash new passwords with scrypt at the configured cost and check stored hashes."""

    def __init__(self, parameters: ScryptParameters) -> None:
        self.parameters = parameters
        # Checked against when there is nothing to check, so that path costs the same.
        self._decoy = self.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        """A new scrypt string with a random salt."""
        salt = secrets.token_bytes(_SALT_BYTES)
        digest = self.parameters.derive(password, salt)
        p = self.parameters
        return f"{SCHEME}${p.n}${p.r}${p.p}${_b64(salt)}${_b64(digest)}"

    def verify(self, password: str, stored: str) -> bool:
        """Check password against a stored scrypt string (raises MalformedHashError)."""
        parameters, salt, digest = parse_scrypt(stored)
        return hmac.compare_digest(parameters.derive(password, salt), digest)

    def burn(self, password: str) -> None:
        """Spend the work of one check without a result (unknown user, failed legacy check)."""
        self.verify(password, self._decoy)

    def needs_rehash(self, stored: str) -> bool:
        """True when stored is legacy or was made with other than the configured cost."""
        if not is_scrypt(stored):
            return True
        parameters, _, _ = parse_scrypt(stored)
        return parameters != self.parameters
