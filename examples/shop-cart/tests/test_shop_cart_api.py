"""The cart API's contract over HTTP, against a DynamoDB table in the moto server."""

from __future__ import annotations

import boto3
import httpx
import pytest
from botocore.config import Config
from shop_cart import CartSettings, create_app

from shipway.emulators import free_port

pytestmark = pytest.mark.anyio


async def new_cart(api: httpx.AsyncClient) -> str:
    response = await api.post("/carts")
    assert response.status_code == 201
    return str(response.json()["id"])


async def test_create_answers_201_with_an_empty_cart_location_and_etag(
    api: httpx.AsyncClient,
) -> None:
    response = await api.post("/carts")

    body = response.json()
    assert response.status_code == 201
    assert body["items"] == [] and body["total_cents"] == 0 and body["item_count"] == 0
    assert body["version"] == 1
    assert response.headers["location"] == f"/carts/{body['id']}"
    assert response.headers["etag"] == '"1"'
    assert response.headers["cache-control"] == "no-store"
    fetched = await api.get(response.headers["location"])
    assert (fetched.status_code, fetched.json()) == (200, body)


async def test_every_cart_gets_its_own_id(api: httpx.AsyncClient) -> None:
    assert len({await new_cart(api) for _ in range(3)}) == 3


async def test_totals_are_computed_in_integer_cents(api: httpx.AsyncClient) -> None:
    cart_id = await new_cart(api)

    await api.put(f"/carts/{cart_id}/items/apple", json={"quantity": 2, "unit_price_cents": 150})
    response = await api.put(
        f"/carts/{cart_id}/items/pear", json={"quantity": 3, "unit_price_cents": 999}
    )

    body = response.json()
    assert response.status_code == 200
    assert body["items"] == [
        {"sku": "apple", "quantity": 2, "unit_price_cents": 150, "line_total_cents": 300},
        {"sku": "pear", "quantity": 3, "unit_price_cents": 999, "line_total_cents": 2997},
    ]
    assert (body["total_cents"], body["item_count"], body["version"]) == (3297, 5, 3)
    assert response.headers["etag"] == '"3"'
    assert (await api.get(f"/carts/{cart_id}")).json() == body


async def test_putting_a_sku_again_replaces_its_line(api: httpx.AsyncClient) -> None:
    cart_id = await new_cart(api)
    await api.put(f"/carts/{cart_id}/items/apple", json={"quantity": 2, "unit_price_cents": 150})

    body = (
        await api.put(
            f"/carts/{cart_id}/items/apple", json={"quantity": 5, "unit_price_cents": 100}
        )
    ).json()

    assert [(i["sku"], i["quantity"]) for i in body["items"]] == [("apple", 5)]
    assert body["total_cents"] == 500


async def test_deleting_an_item(api: httpx.AsyncClient) -> None:
    cart_id = await new_cart(api)
    await api.put(f"/carts/{cart_id}/items/a", json={"quantity": 1, "unit_price_cents": 10})
    await api.put(f"/carts/{cart_id}/items/b", json={"quantity": 1, "unit_price_cents": 20})

    response = await api.delete(f"/carts/{cart_id}/items/a")
    again = await api.delete(f"/carts/{cart_id}/items/a")

    assert response.status_code == 200
    assert [item["sku"] for item in response.json()["items"]] == ["b"]
    assert response.json()["total_cents"] == 20
    assert (again.status_code, again.json()["error"]) == (404, "item_not_found")


async def test_deleting_a_cart(api: httpx.AsyncClient) -> None:
    cart_id = await new_cart(api)

    response = await api.delete(f"/carts/{cart_id}")

    assert (response.status_code, response.content) == (204, b"")
    assert (await api.get(f"/carts/{cart_id}")).status_code == 404
    assert (await api.delete(f"/carts/{cart_id}")).status_code == 404


@pytest.mark.parametrize("cart_id", ["0" * 32, "not-a-cart-id", "A" * 32, "x" * 3000])
async def test_unknown_carts_are_404_everywhere(api: httpx.AsyncClient, cart_id: str) -> None:
    line = {"quantity": 1, "unit_price_cents": 1}
    answers = [
        await api.get(f"/carts/{cart_id}"),
        await api.delete(f"/carts/{cart_id}"),
        await api.put(f"/carts/{cart_id}/items/a", json=line),
        await api.delete(f"/carts/{cart_id}/items/a"),
    ]

    assert [answer.status_code for answer in answers] == [404] * 4
    assert {answer.json()["error"] for answer in answers} == {"cart_not_found"}


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"quantity": 0, "unit_price_cents": 1}, ["body", "quantity"]),
        ({"quantity": 1000, "unit_price_cents": 1}, ["body", "quantity"]),
        ({"quantity": "2", "unit_price_cents": 1}, ["body", "quantity"]),
        ({"quantity": 2.5, "unit_price_cents": 1}, ["body", "quantity"]),
        ({"quantity": True, "unit_price_cents": 1}, ["body", "quantity"]),
        ({"quantity": 1, "unit_price_cents": False}, ["body", "unit_price_cents"]),
        ({"quantity": 1, "unit_price_cents": -1}, ["body", "unit_price_cents"]),
        ({"quantity": 1, "unit_price_cents": 10**12}, ["body", "unit_price_cents"]),
        ({"quantity": 1}, ["body", "unit_price_cents"]),
        ({"quantity": 1, "unit_price_cents": 1, "discount": 5}, ["body", "discount"]),
    ],
)
async def test_invalid_line_items_are_422_with_the_errors_listed(
    api: httpx.AsyncClient, body: dict[str, object], location: list[str]
) -> None:
    cart_id = await new_cart(api)

    response = await api.put(f"/carts/{cart_id}/items/apple", json=body)

    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"
    assert location in [error["loc"] for error in response.json()["errors"]]
    assert all(error["msg"] for error in response.json()["errors"])
    assert (await api.get(f"/carts/{cart_id}")).json()["version"] == 1  # nothing was written


@pytest.mark.parametrize("content", [b"", b"not json", b"[1]", b"null"])
async def test_bodies_that_are_not_json_objects_are_422(
    api: httpx.AsyncClient, content: bytes
) -> None:
    cart_id = await new_cart(api)

    response = await api.put(f"/carts/{cart_id}/items/apple", content=content)

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][0] == "body"


@pytest.mark.parametrize("sku", ["-starts-with-dash", "a" * 65, "sp ace", "ü"])
async def test_invalid_skus_are_422(api: httpx.AsyncClient, sku: str) -> None:
    cart_id = await new_cart(api)

    response = await api.put(
        f"/carts/{cart_id}/items/{sku}", json={"quantity": 1, "unit_price_cents": 1}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["path", "sku"]


async def test_an_oversized_body_is_413(api: httpx.AsyncClient) -> None:
    cart_id = await new_cart(api)

    response = await api.put(f"/carts/{cart_id}/items/a", content=b"{" + b" " * 20000 + b"}")

    assert (response.status_code, response.json()["error"]) == (413, "body_too_large")


async def test_a_cart_holds_at_most_100_skus(api: httpx.AsyncClient) -> None:
    cart_id = await new_cart(api)
    for n in range(100):
        await api.put(f"/carts/{cart_id}/items/sku{n}", json={"quantity": 1, "unit_price_cents": 1})

    full = await api.put(
        f"/carts/{cart_id}/items/one-more", json={"quantity": 1, "unit_price_cents": 1}
    )
    existing = await api.put(
        f"/carts/{cart_id}/items/sku0", json={"quantity": 2, "unit_price_cents": 1}
    )

    assert (full.status_code, full.json()["error"]) == (409, "cart_full")
    assert existing.status_code == 200


async def test_health(api: httpx.AsyncClient) -> None:
    response = await api.get("/health")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_unknown_route_and_method_are_json_errors(api: httpx.AsyncClient) -> None:
    missing, wrong = await api.get("/nowhere"), await api.patch("/carts")

    assert (missing.status_code, missing.json()["error"]) == (404, "not_found")
    assert (wrong.status_code, wrong.json()["error"]) == (405, "method_not_allowed")


async def test_unreachable_dynamodb_is_503(carts_table: str) -> None:
    offline = boto3.client(
        "dynamodb",
        endpoint_url=f"http://127.0.0.1:{free_port()}",
        config=Config(retries={"max_attempts": 1}, connect_timeout=1),
    )
    app = create_app(CartSettings(table_carts=carts_table), dynamodb=offline)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://cart"
    ) as client:
        response = await client.post("/carts")

    assert (response.status_code, response.json()["error"]) == (503, "storage_unavailable")


async def test_openapi_lists_every_route(api: httpx.AsyncClient, cart_app: object) -> None:
    from starlette.routing import Route

    document = (await api.get("/openapi.json")).json()
    served = {
        (route.path, method.lower())
        for route in cart_app.routes  # type: ignore[attr-defined]
        if isinstance(route, Route) and route.include_in_schema
        for method in route.methods or ()
        if method != "HEAD"
    }
    documented = {
        (path, method) for path, operations in document["paths"].items() for method in operations
    }

    assert documented == served
    assert all(op["summary"] for ops in document["paths"].values() for op in ops.values())
    assert document["components"]["schemas"]["LineItemBody"]["additionalProperties"] is False


async def test_request_id_is_echoed(api: httpx.AsyncClient) -> None:
    response = await api.get("/health", headers={"X-Request-Id": "cart-req-1"})

    assert response.headers["x-request-id"] == "cart-req-1"


@pytest.mark.parametrize("number", [926.0, 2e2])
async def test_a_whole_number_written_with_a_fraction_is_that_integer(
    api: httpx.AsyncClient, number: float
) -> None:
    # JSON has one number type: 926.0 is 926 (the OpenAPI `integer` says so too); 2.5 stays 422
    cart_id = await new_cart(api)

    response = await api.put(
        f"/carts/{cart_id}/items/tea", json={"quantity": 1, "unit_price_cents": number}
    )

    assert response.status_code == 200
    assert response.json()["items"][0]["unit_price_cents"] == int(number)


async def test_an_invalid_sku_is_422_even_with_a_stale_if_match(api: httpx.AsyncClient) -> None:
    # RFC 9110 13.2.1: a request that fails without its precondition says why, not 412
    cart_id = await new_cart(api)

    deleted = await api.delete(f"/carts/{cart_id}/items/sp ace", headers={"If-Match": '"9"'})
    put = await api.put(
        f"/carts/{cart_id}/items/sp ace",
        json={"quantity": 1, "unit_price_cents": 1},
        headers={"If-Match": '"9"'},
    )

    assert (deleted.status_code, put.status_code) == (422, 422)


async def test_a_sku_not_in_the_cart_is_404_even_with_a_stale_if_match(
    api: httpx.AsyncClient,
) -> None:
    cart_id = await new_cart(api)

    response = await api.delete(f"/carts/{cart_id}/items/tea", headers={"If-Match": '"9"'})

    assert (response.status_code, response.json()["error"]) == (404, "item_not_found")


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PATCH", "/carts/{id}", {"GET", "HEAD", "DELETE"}),
        ("OPTIONS", "/carts/{id}", {"GET", "HEAD", "DELETE"}),
        ("GET", "/carts/{id}/items/tea", {"PUT", "DELETE"}),
        ("OPTIONS", "/carts/{id}/items/tea", {"PUT", "DELETE"}),
        ("DELETE", "/carts", {"POST"}),
    ],
)
async def test_405_and_options_list_every_method_of_the_path_in_allow(
    api: httpx.AsyncClient, method: str, path: str, allowed: set[str]
) -> None:
    cart_id = await new_cart(api)

    response = await api.request(method, path.format(id=cart_id))

    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == allowed
