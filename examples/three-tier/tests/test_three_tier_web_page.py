"""The web tier's page, built from the api app (in-process, over ASGI) reading the moto server."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import orjson
import pytest
from service_runtime import HTML_PAGE_POLICY

from shipway.emulators import free_port

pytestmark = pytest.mark.anyio
WebFactory = Callable[..., Awaitable[httpx.AsyncClient]]
PutItems = Callable[[list[dict[str, Any]]], None]


def rows(page: str) -> list[tuple[str, str, str]]:
    """The (count, key, value) cells of every body row."""
    return re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", page)


async def test_page_lists_every_attribute_of_every_item(
    web_for: WebFactory, api_transport: Any, put_items: PutItems, items_table: str
) -> None:
    put_items(
        [{"key": "b", "value": "two", "size": 2}, {"key": "a", "value": "one", "tags": ["x", "y"]}]
    )
    web = await web_for(api_transport)

    response = await web.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text.startswith("<!DOCTYPE html>")
    assert f"<title>{items_table}</title>" in response.text
    assert "<th>count</th><th>key</th><th>value</th>" in response.text
    assert rows(response.text) == [
        ("1", "key", "a"),
        ("2", "tags", "[&quot;x&quot;,&quot;y&quot;]"),
        ("3", "value", "one"),
        ("4", "key", "b"),
        ("5", "size", "2"),
        ("6", "value", "two"),
    ]


async def test_every_value_and_name_is_html_escaped(
    web_for: WebFactory, api_transport: Any, put_items: PutItems
) -> None:
    put_items([{"key": "<b>k</b>", "value": "<script>alert('x')</script>", "<i>": "&"}])
    web = await web_for(api_transport)

    page = (await web.get("/")).text

    assert "<script>" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert ("2", "&lt;i&gt;", "&amp;") in rows(page)


async def test_page_with_an_empty_table(web_for: WebFactory, api_transport: Any) -> None:
    page = (await (await web_for(api_transport)).get("/")).text

    assert "0 items" in page
    assert rows(page) == []


async def test_page_follows_the_api_cursors_and_caps_the_items(
    web_for: WebFactory, api_transport: Any, put_items: PutItems
) -> None:
    put_items([{"key": f"k{i}"} for i in range(5)])
    web = await web_for(api_transport, max_items=3)

    page = (await web.get("/")).text

    assert len(rows(page)) == 3
    assert "3 items (the first 3)" in page


async def test_request_id_is_echoed_and_forwarded_to_the_api(
    web_for: WebFactory, api_transport: Any
) -> None:
    web = await web_for(api_transport)

    response = await web.get("/", headers={"X-Request-Id": "trace-123"})

    assert response.headers["x-request-id"] == "trace-123"
    assert {request.headers["x-request-id"] for request in api_transport.requests} == {"trace-123"}


async def test_a_page_is_reused_within_the_cache_time(
    web_for: WebFactory, api_transport: Any
) -> None:
    web = await web_for(api_transport, page_cache_seconds=60)

    first, second = await web.get("/"), await web.get("/")

    assert first.text == second.text
    assert [request.url.path for request in api_transport.requests] == ["/meta", "/items"]


async def test_without_a_cache_every_request_reads_the_api(
    web_for: WebFactory, api_transport: Any, put_items: PutItems
) -> None:
    web = await web_for(api_transport, page_cache_seconds=0)
    before = (await web.get("/")).text
    put_items([{"key": "new"}])

    after = (await web.get("/")).text

    assert ("1", "key", "new") in rows(after) and ("1", "key", "new") not in rows(before)


async def test_api_down_gives_a_503_page(web_for: WebFactory) -> None:
    web = await web_for(None, service_api_url=f"http://127.0.0.1:{free_port()}")

    response = await web.get("/", headers={"X-Request-Id": "req-9"})

    assert response.status_code == 503
    assert response.text.startswith("<!DOCTYPE html>")
    assert "Service unavailable" in response.text and "req-9" in response.text
    assert response.headers["retry-after"] == "5"


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(500, json={"error": "internal_error"}),
        httpx.Response(200, content=b"<html>not json</html>"),
        httpx.Response(200, json={"unexpected": True}),
    ],
)
async def test_api_answering_badly_gives_a_503_page(
    web_for: WebFactory, answer: httpx.Response
) -> None:
    web = await web_for(httpx.MockTransport(lambda request: answer))

    assert (await web.get("/")).status_code == 503


async def test_a_failure_is_not_cached(web_for: WebFactory) -> None:
    answers = iter(
        [
            httpx.Response(503),
            httpx.Response(200, json={"table": "t"}),
            httpx.Response(200, json={"items": [], "next_cursor": None}),
        ]
    )
    web = await web_for(httpx.MockTransport(lambda request: next(answers)), page_cache_seconds=60)

    first, second = await web.get("/"), await web.get("/")

    assert (first.status_code, second.status_code) == (503, 200)
    assert "<title>t</title>" in second.text


async def test_web_reads_all_pages_the_api_offers(web_for: WebFactory) -> None:
    pages = {
        None: {"items": [{"key": "a"}], "next_cursor": "c1"},
        "c1": {"items": [{"key": "b"}], "next_cursor": None},
    }

    def api(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/meta":
            return httpx.Response(200, json={"table": "t"})
        return httpx.Response(200, content=orjson.dumps(pages[request.url.params.get("cursor")]))

    page = (await (await web_for(httpx.MockTransport(api))).get("/")).text

    assert rows(page) == [("1", "key", "a"), ("2", "key", "b")]


async def test_page_headers_forbid_scripts(web_for: WebFactory, api_transport: Any) -> None:
    response = await (await web_for(api_transport)).get("/")

    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_healthz_does_not_need_the_api(web_for: WebFactory) -> None:
    web = await web_for(None, service_api_url=f"http://127.0.0.1:{free_port()}")

    response = await web.get("/healthz")

    assert (response.status_code, response.text) == (200, "app is healthy")


async def test_a_failing_api_beyond_the_staleness_bound_gives_a_503_page(
    web_for: WebFactory, api_transport: Any
) -> None:
    healthy = [True]

    async def api(request: httpx.Request) -> httpx.Response:
        if healthy[0]:
            return await api_transport.handle_async_request(request)
        return httpx.Response(503)

    now = [1000.0]
    web = await web_for(httpx.MockTransport(api), page_cache_seconds=1, clock=lambda: now[0])
    first = await web.get("/")
    healthy[0] = False
    now[0] += 2  # stale but within 3 x 1 s: the old page is still served
    stale = await web.get("/")
    now[0] += 2  # beyond the bound: the api's failure shows

    late = await web.get("/", headers={"X-Request-Id": "late-1"})

    assert (first.status_code, stale.status_code, late.status_code) == (200, 200, 503)
    assert stale.text == first.text
    assert "Service unavailable" in late.text and "late-1" in late.text


async def test_the_web_tier_documents_its_page(web_for: WebFactory, api_transport: Any) -> None:
    # regression: the web tier served no OpenAPI document
    web = await web_for(api_transport)

    document = (await web.get("/openapi.json")).json()

    page = document["paths"]["/"]["get"]["responses"]
    assert set(page) == {"200", "503"}
    assert "text/html" in page["200"]["content"] and "text/html" in page["503"]["content"]
    assert set(document["paths"]) == {"/", "/healthz"}


async def test_the_page_cannot_be_framed_and_keeps_its_own_policy(
    web_for: WebFactory, api_transport: Any
) -> None:
    web = await web_for(api_transport)

    response = await web.get("/")

    assert response.headers.get_list("content-security-policy") == [HTML_PAGE_POLICY]
    assert "frame-ancestors 'none'" in HTML_PAGE_POLICY
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
