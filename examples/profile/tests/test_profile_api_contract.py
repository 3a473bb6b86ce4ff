"""The HTTP contract of the profile service, in-process."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import orjson
import pytest
from profile_api.app import create_app
from profile_api.settings import Settings
from starlette.routing import Route

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

pytestmark = pytest.mark.anyio


async def test_root_returns_the_default_profile_as_json(client: httpx.AsyncClient) -> None:
    response = await client.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content == b'{"Name":"Alberto Eduardo","Hobbies":["AWS","Kubernetes"]}'
    assert response.headers["content-length"] == str(len(response.content))


async def test_head_on_root_sends_headers_without_a_body(client: httpx.AsyncClient) -> None:
    response = await client.head("/")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content == b""


async def test_health_is_200_with_an_empty_body(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")

    assert response.status_code == 200
    assert response.content == b""


async def test_profile_comes_from_settings() -> None:
    app = create_app(
        Settings(profile_name="Ada", profile_hobbies=["Maths", "Engines"], access_log=False)
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://profile"
    ) as client:
        response = await client.get("/")

    assert response.json() == {"Name": "Ada", "Hobbies": ["Maths", "Engines"]}


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/nowhere", 404),
        ("POST", "/", 405),
        ("DELETE", "/health", 405),
    ],
)
async def test_errors_are_json(
    client: httpx.AsyncClient, method: str, path: str, status: int
) -> None:
    response = await client.request(method, path)

    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert set(response.json()) == {"error"}
    assert response.json()["error"]
    assert response.headers["x-request-id"]


async def test_wrong_method_names_the_allowed_ones(client: httpx.AsyncClient) -> None:
    response = await client.post("/")

    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD"}


async def test_a_well_formed_request_id_is_echoed(client: httpx.AsyncClient) -> None:
    response = await client.get("/", headers={"X-Request-Id": "trace-42:abc"})

    assert response.headers["x-request-id"] == "trace-42:abc"


@pytest.mark.parametrize("bad_id", ["", "has space", "x" * 129, "line\tbreak"])
async def test_a_malformed_request_id_is_replaced(client: httpx.AsyncClient, bad_id: str) -> None:
    response = await client.get("/", headers={"X-Request-Id": bad_id})

    generated = response.headers["x-request-id"]
    assert generated != bad_id
    assert len(generated) == 32
    int(generated, 16)


async def test_each_request_without_an_id_gets_a_new_one(client: httpx.AsyncClient) -> None:
    ids = {(await client.get("/health")).headers["x-request-id"] for _ in range(5)}

    assert len(ids) == 5


async def test_openapi_documents_every_route(client: httpx.AsyncClient) -> None:
    response = await client.get("/openapi.json")

    assert response.status_code == 200
    document = orjson.loads(response.content)
    assert document["openapi"].startswith("3.")
    app = create_app(Settings(access_log=False))
    routes = {route.path for route in app.routes}  # type: ignore[attr-defined]
    assert set(document["paths"]) == routes == {"/", "/health", "/openapi.json"}
    assert document["components"]["schemas"]["Profile"]["required"] == ["Name", "Hobbies"]


async def test_an_unexpected_error_is_a_json_500_without_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def boom(request: Request) -> Response:
        raise RuntimeError("secret internals")

    app = create_app(Settings(access_log=False))
    app.router.routes.append(Route("/boom", boom))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://profile"
    ) as client:
        response = await client.get("/boom", headers={"X-Request-Id": "err-1"})

    assert response.status_code == 500
    assert response.json() == {"error": "internal error"}
    assert response.headers["x-request-id"] == "err-1"
    assert "secret internals" not in response.text
    logged = [r for r in caplog.records if r.levelname == "ERROR"]
    assert logged and logged[0].exc_info is not None
