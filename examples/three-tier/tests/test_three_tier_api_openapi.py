"""The api documents every route it serves."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from starlette.routing import Route

if TYPE_CHECKING:
    import httpx

pytestmark = pytest.mark.anyio


async def test_openapi_lists_every_route_and_method(
    api: httpx.AsyncClient, api_app: object
) -> None:
    document = (await api.get("/openapi.json")).json()
    served = {
        (route.path.replace("{key:path}", "{key}"), method.lower())
        for route in api_app.routes  # type: ignore[attr-defined]
        if isinstance(route, Route) and route.include_in_schema
        for method in route.methods or ()
        if method != "HEAD"
    }

    documented = {
        (path, method) for path, operations in document["paths"].items() for method in operations
    }

    assert document["openapi"].startswith("3.")
    assert documented == served
    assert {"/items", "/items/{key}", "/meta", "/healthz"} <= set(document["paths"])


async def test_every_operation_has_a_summary_and_responses(api: httpx.AsyncClient) -> None:
    document = (await api.get("/openapi.json")).json()

    for operations in document["paths"].values():
        for operation in operations.values():
            assert operation["summary"]
            assert operation["responses"]
