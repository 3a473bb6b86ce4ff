"""The api's contract for items, over HTTP against a DynamoDB table in the moto server."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import boto3
import httpx
import pytest
from botocore.config import Config
from service_runtime.dynamodb_reads import DynamoReads
from three_tier_api import ApiSettings, create_app

from shipway.emulators import free_port

pytestmark = pytest.mark.anyio
PutItems = Callable[[list[dict[str, Any]]], None]


async def test_put_creates_then_replaces_and_get_returns_the_item(api: httpx.AsyncClient) -> None:
    item = {
        "value": "hello",
        "count": 3,
        "ratio": 0.25,
        "on": True,
        "none": None,
        "tags": ["a", "b"],
        "nested": {"x": 1},
    }

    created = await api.put("/items/greeting", json=item)
    replaced = await api.put("/items/greeting", json={"value": "bye"})
    fetched = await api.get("/items/greeting")

    assert created.status_code == 201
    assert created.json() == {**item, "key": "greeting"}
    assert replaced.status_code == 200
    assert fetched.status_code == 200
    assert fetched.json() == {"key": "greeting", "value": "bye"}  # replaced, not merged


async def test_values_keep_their_json_types_through_dynamodb(api: httpx.AsyncClient) -> None:
    item = {
        "count": 3,
        "ratio": 0.25,
        "on": True,
        "none": None,
        "tags": ["a", 1],
        "nested": {"deep": {"n": -7}},
    }
    await api.put("/items/typed", json=item)

    assert (await api.get("/items/typed")).json() == {**item, "key": "typed"}


async def test_get_unknown_item_is_404_with_a_json_error(api: httpx.AsyncClient) -> None:
    response = await api.get("/items/nope")

    assert response.status_code == 404
    assert response.json()["error"] == "item_not_found"
    assert "nope" in response.json()["detail"]


async def test_keys_may_contain_slashes(api: httpx.AsyncClient) -> None:
    await api.put("/items/a%2Fb", json={"value": 1})

    assert (await api.get("/items/a/b")).json() == {"key": "a/b", "value": 1}


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'"text"', b"", b'{"a": NaN}'])
async def test_put_with_a_body_that_is_not_a_json_object_is_422(
    api: httpx.AsyncClient, body: bytes
) -> None:
    response = await api.put("/items/k", content=body, headers={"content-type": "application/json"})

    assert response.status_code == 422
    assert response.json()["error"] == "invalid_body"
    assert (await api.get("/items/k")).status_code == 404


async def test_put_with_a_different_key_in_the_body_is_422(api: httpx.AsyncClient) -> None:
    assert (await api.put("/items/k", json={"key": "other"})).status_code == 422
    assert (await api.put("/items/k", json={"key": "k", "v": 1})).status_code == 201


async def test_put_that_dynamodb_rejects_is_400_not_500(api: httpx.AsyncClient) -> None:
    response = await api.put("/items/huge", json={"n": 1e200})  # beyond DynamoDB's number range

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_item"


async def test_put_larger_than_an_item_can_be_is_413(api: httpx.AsyncClient) -> None:
    response = await api.put("/items/big", json={"blob": "x" * (401 * 1024)})

    assert response.status_code == 413
    assert response.json()["error"] == "body_too_large"


async def test_key_longer_than_dynamodb_allows_is_400(api: httpx.AsyncClient) -> None:
    assert (await api.get("/items/" + "k" * 2049)).status_code == 400


async def test_listing_an_empty_table(api: httpx.AsyncClient) -> None:
    assert (await api.get("/items")).json() == {"items": [], "next_cursor": None}


async def test_pages_follow_cursors_through_every_item_once(
    api: httpx.AsyncClient, put_items: PutItems
) -> None:
    put_items([{"key": f"k{i}", "value": i} for i in range(7)])
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = (await api.get("/items", params=params)).json()
        assert len(page["items"]) <= 3
        seen += [item["key"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert sorted(seen) == sorted(f"k{i}" for i in range(7))


async def test_default_page_size_is_25(api: httpx.AsyncClient, put_items: PutItems) -> None:
    put_items([{"key": f"k{i:02}"} for i in range(27)])

    page = (await api.get("/items")).json()

    assert len(page["items"]) == 25
    assert page["next_cursor"] is not None


@pytest.mark.parametrize("limit", ["0", "101", "abc", "-1", "2.5", ""])
async def test_limit_outside_1_to_100_is_400(api: httpx.AsyncClient, limit: str) -> None:
    response = await api.get("/items", params={"limit": limit})

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_limit"


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!",
        "e30",
        base64.urlsafe_b64encode(b'{"key": "plain"}').decode(),
        base64.urlsafe_b64encode(b'{"other": {"S": "x"}}').decode(),
    ],
)
async def test_a_cursor_the_api_did_not_issue_is_400(api: httpx.AsyncClient, cursor: str) -> None:
    response = await api.get("/items", params={"cursor": cursor})

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_cursor"


async def test_meta_names_the_table(api: httpx.AsyncClient, items_table: str) -> None:
    assert (await api.get("/meta")).json() == {"table": items_table}


async def test_healthz_is_plain_text(api: httpx.AsyncClient) -> None:
    response = await api.get("/healthz")

    assert response.status_code == 200
    assert response.text == "app is healthy"
    assert response.headers["content-type"].startswith("text/plain")


async def test_unknown_route_and_method_get_json_errors(api: httpx.AsyncClient) -> None:
    missing, wrong_method = await api.get("/nowhere"), await api.delete("/items/k")

    assert (missing.status_code, missing.json()["error"]) == (404, "not_found")
    assert (wrong_method.status_code, wrong_method.json()["error"]) == (405, "method_not_allowed")


async def test_unreachable_dynamodb_is_503_not_500(items_table: str) -> None:
    offline = boto3.client(
        "dynamodb",
        endpoint_url=f"http://127.0.0.1:{free_port()}",
        config=Config(retries={"max_attempts": 1}, connect_timeout=1),
    )
    reads = DynamoReads(region="us-east-1", endpoint_url=offline.meta.endpoint_url, timeout=1)
    app = create_app(ApiSettings(table_items=items_table), dynamodb=offline, reads=reads)

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://api"
    ) as client:
        response, page = await client.get("/items/k"), await client.get("/items")
    await reads.close()

    assert (response.status_code, page.status_code) == (503, 503)
    assert response.json()["error"] == "storage_unavailable"


async def test_missing_table_is_503(aws_env: object) -> None:
    app = create_app(ApiSettings(table_items="no-such-table"))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://api"
    ) as client:
        response = await client.get("/items")

    assert response.status_code == 503


@pytest.mark.parametrize(
    "body",
    [
        b'{"": null}',
        b'{"a": {"": 1}}',
        b'{"a": [{"b": {"": true}}]}',
        b'{"n": 123456789012345678901234567890123456789012}',
        b'{"n": 1e-200}',
        b'{"s": "\\ud800"}',
        b'{"deep": ' + b"[" * 33 + b"]" * 33 + b"}",
        b'{"n": NaN}',
    ],
)
async def test_an_item_dynamodb_would_not_store_is_400_and_poisons_nothing(
    api: httpx.AsyncClient, body: bytes
) -> None:
    # regression: PUT {"": null} answered 201; every later read of the table then answered 500
    response = await api.put("/items/poison", content=body)

    assert response.status_code in (400, 422), response.text
    assert (await api.get("/items/poison")).status_code == 404
    assert (await api.get("/items")).status_code == 200


@pytest.mark.parametrize(
    "number", ["12345678901234567890123456789012345678", "0.12345678901234567890123", "-1E+125"]
)
async def test_numbers_come_back_exactly_as_written(api: httpx.AsyncClient, number: str) -> None:
    body = f'{{"n": {number}}}'.encode()

    put = await api.put("/items/exact", content=body)
    got = await api.get("/items/exact")

    assert put.status_code == 201
    assert json.loads(got.content, parse_float=Decimal)["n"] == Decimal(number)
    assert put.content == got.content


async def test_keys_are_limited_in_characters_as_the_openapi_document_says(
    api: httpx.AsyncClient,
) -> None:
    longest = "\U0001f680" * 512  # 2048 bytes of UTF-8: DynamoDB's limit

    assert (await api.put(f"/items/{longest}", json={})).status_code == 201
    assert (await api.get(f"/items/{longest}x")).status_code == 400
    assert (await api.get("/items/" + "k" * 513)).status_code == 400


async def test_an_empty_cursor_is_400(api: httpx.AsyncClient) -> None:
    response = await api.get("/items", params={"cursor": ""})

    assert (response.status_code, response.json()["error"]) == (400, "invalid_cursor")


@pytest.mark.parametrize("method", ["PATCH", "DELETE", "OPTIONS", "POST"])
async def test_405_lists_every_method_of_an_item_in_allow(
    api: httpx.AsyncClient, method: str
) -> None:
    # regression: Allow named only GET and HEAD, as if PUT were not supported
    response = await api.request(method, "/items/k")

    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "PUT"}
