"""Health, errors, request ids and the OpenAPI document of the bootcamp API."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

import orjson
import pytest

from .conftest import PASSWORDS, ROLES, SEED_USERS

if TYPE_CHECKING:
    import httpx

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("path", ["/", "/_health"])
async def test_health_is_a_plain_ok(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)

    assert response.status_code == 200
    assert response.text == "OK"
    assert response.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/nowhere", 404),
        ("GET", "/login", 405),
        ("POST", "/cidr-to-mask", 405),
        ("DELETE", "/", 405),
    ],
)
async def test_framework_errors_are_json(
    client: httpx.AsyncClient, method: str, path: str, status: int
) -> None:
    response = await client.request(method, path)

    assert response.status_code == status
    assert set(response.json()) == {"error"}


async def test_request_ids_are_echoed_or_generated(client: httpx.AsyncClient) -> None:
    echoed = await client.get("/_health", headers={"X-Request-Id": "abc-123"})
    generated = await client.post("/login", data={"username": "x", "password": "y"})

    assert echoed.headers["x-request-id"] == "abc-123"
    assert len(generated.headers["x-request-id"]) == 32


async def test_openapi_documents_every_route(client: httpx.AsyncClient) -> None:
    response = await client.get("/openapi.json")

    document = orjson.loads(response.content)
    routes = {route.path for route in client._transport.app.routes}  # type: ignore[attr-defined]
    assert (
        set(document["paths"])
        == routes
        == {"/", "/_health", "/login", "/cidr-to-mask", "/mask-to-cidr", "/openapi.json"}
    )
    assert document["paths"]["/cidr-to-mask"]["get"]["security"] == [{"bearer": []}]
    assert set(document["paths"]["/login"]["post"]["requestBody"]["content"]) == {
        "application/x-www-form-urlencoded",
        "application/json",
    }


def test_the_seed_file_holds_the_three_users_with_legacy_hashes() -> None:
    items = json.loads(SEED_USERS.read_text())

    assert {item["username"]["S"] for item in items} == set(PASSWORDS)
    salts = set()
    for item in items:
        username, salt = item["username"]["S"], item["salt"]["S"]
        assert set(item) == {"username", "password", "salt", "role"}
        assert item["role"]["S"] == ROLES[username]
        assert (
            item["password"]["S"]
            == hashlib.sha512((PASSWORDS[username] + salt).encode()).hexdigest()
        )
        salts.add(salt)
    assert len(salts) == 3 and all(len(salt) >= 16 for salt in salts)
