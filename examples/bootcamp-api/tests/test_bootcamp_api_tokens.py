"""Bearer tokens on the protected endpoints: only valid, unexpired HS256 tokens get through."""

from __future__ import annotations

import base64
import time
from typing import TYPE_CHECKING

import jwt
import orjson
import pytest
from bootcamp_api.app import create_app
from bootcamp_api.tokens import CLOCK_SKEW_SECONDS, VerifiedTokens

from .conftest import running, token_for

if TYPE_CHECKING:
    import httpx
    from bootcamp_api.settings import Settings

pytestmark = pytest.mark.anyio

PROTECTED = ["/cidr-to-mask?value=8", "/mask-to-cidr?value=255.0.0.0"]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(header: dict[str, object], claims: dict[str, object], signature: str = "") -> str:
    return f"{b64(orjson.dumps(header))}.{b64(orjson.dumps(claims))}.{signature}"


def claims(**overrides: object) -> dict[str, object]:
    now = int(time.time())
    return {"role": "admin", "sub": "admin", "iat": now, "exp": now + 600, **overrides}


@pytest.mark.parametrize("path", PROTECTED)
async def test_a_valid_token_is_accepted(client: httpx.AsyncClient, path: str) -> None:
    token = await token_for(client)

    response = await client.get(path, headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200


@pytest.mark.parametrize("path", PROTECTED)
@pytest.mark.parametrize(
    "authorization", [None, "", "Bearer", "Bearer   ", "Basic YWRtaW46c2VjcmV0", "Token abc"]
)
async def test_a_missing_or_malformed_header_is_401(
    client: httpx.AsyncClient, path: str, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}

    response = await client.get(path, headers=headers)

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert set(response.json()) == {"error"}


async def test_the_scheme_name_is_case_insensitive(client: httpx.AsyncClient) -> None:
    token = await token_for(client)

    response = await client.get(PROTECTED[0], headers={"Authorization": f"bearer {token}"})

    assert response.status_code == 200


def rejected_tokens(key: str) -> dict[str, str]:
    good = jwt.encode(claims(role="viewer"), key, algorithm="HS256")
    head, _, signature = good.split(".")
    return {
        "garbage": "not-a-jwt",
        "two parts": "abc.def",
        "tampered payload": f"{head}.{b64(orjson.dumps(claims(role='admin')))}.{signature}",
        "tampered signature": good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB"),
        "other key": jwt.encode(claims(), "another-key-" + "x" * 32, algorithm="HS256"),
        "alg none": forge({"alg": "none", "typ": "JWT"}, claims()),
        "alg None signed": forge({"alg": "None", "typ": "JWT"}, claims(), signature),
        "HS512 same key": jwt.encode(claims(), key, algorithm="HS512"),
        "expired": jwt.encode(
            claims(iat=int(time.time()) - 7200, exp=int(time.time()) - 60), key, algorithm="HS256"
        ),
        "issued in the future": jwt.encode(
            claims(iat=int(time.time()) + 3600, exp=int(time.time()) + 7200), key, algorithm="HS256"
        ),
        "no exp": jwt.encode(
            {"role": "admin", "sub": "admin", "iat": int(time.time())}, key, algorithm="HS256"
        ),
        "no role": jwt.encode(
            {"sub": "admin", "iat": int(time.time()), "exp": int(time.time()) + 60},
            key,
            algorithm="HS256",
        ),
        "no sub": jwt.encode(
            {"role": "admin", "iat": int(time.time()), "exp": int(time.time()) + 60},
            key,
            algorithm="HS256",
        ),
    }


@pytest.mark.parametrize("case", sorted(rejected_tokens("k" * 64)))
async def test_a_bad_token_is_401(client: httpx.AsyncClient, jwt_key: str, case: str) -> None:
    token = rejected_tokens(jwt_key)[case]

    for path in PROTECTED:
        response = await client.get(path, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, case
        assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
        assert response.json() == {"error": "invalid or expired token"}


async def test_a_token_made_elsewhere_with_the_right_key_is_accepted(
    client: httpx.AsyncClient, jwt_key: str
) -> None:
    token = jwt.encode(claims(role="viewer", sub="someone"), jwt_key, algorithm="HS256")

    response = await client.get(PROTECTED[0], headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200


async def test_the_lifetime_is_configurable(settings: Settings, jwt_key: str) -> None:
    short = settings.model_copy(update={"jwt_lifetime_seconds": 120})
    async with running(create_app(short)) as client:
        token = await token_for(client)

    decoded = jwt.decode(token, jwt_key, algorithms=["HS256"])
    assert decoded["exp"] - decoded["iat"] == 120
    assert abs(decoded["iat"] - time.time()) < 10


def test_verified_tokens_forget_expired_tokens_and_other_keys() -> None:
    cache = VerifiedTokens(capacity=2)
    cache.put("t1", "key-a", {"exp": 1000})

    assert cache.get("t1", "key-a", now=1000 + CLOCK_SKEW_SECONDS - 1) == {"exp": 1000}
    assert cache.get("t1", "key-b", now=900) is None  # the key changed
    assert cache.get("t1", "key-a", now=900) is None  # and the entry is gone
    cache.put("t2", "key-a", {"exp": 1000})
    assert cache.get("t2", "key-a", now=1000 + CLOCK_SKEW_SECONDS) is None  # expired
    assert cache.get("unknown", "key-a", now=0) is None


def test_verified_tokens_drop_the_oldest_beyond_capacity() -> None:
    cache = VerifiedTokens(capacity=2)
    for name in ("t1", "t2", "t3"):
        cache.put(name, "k", {"exp": 10**10})

    assert cache.get("t1", "k", now=0) is None
    assert cache.get("t2", "k", now=0) is not None
    assert cache.get("t3", "k", now=0) is not None


async def test_a_token_is_accepted_again_from_the_cache_but_never_a_tampered_one(
    client: httpx.AsyncClient, jwt_key: str
) -> None:
    token = jwt.encode(claims(role="viewer"), jwt_key, algorithm="HS256")
    headers = {"Authorization": f"Bearer {token}"}
    head, payload, signature = token.split(".")
    tampered = f"{head}.{b64(orjson.dumps(claims(role='admin')))}.{signature}"

    first = await client.get(PROTECTED[0], headers=headers)
    second = await client.get(PROTECTED[0], headers=headers)
    forged = await client.get(PROTECTED[0], headers={"Authorization": f"Bearer {tampered}"})

    assert (first.status_code, second.status_code, forged.status_code) == (200, 200, 401)
