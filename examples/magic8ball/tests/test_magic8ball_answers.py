"""GET / answers like the classic Magic 8-Ball; health and readiness; the OpenAPI document."""

from __future__ import annotations

from typing import TYPE_CHECKING

import orjson
import pytest
from magic8ball.answers import ANSWERS, BODIES, has_question
from magic8ball.app import MISSING_Q, create_app

from .conftest import fast_settings, running

if TYPE_CHECKING:
    import httpx

pytestmark = pytest.mark.anyio

UNREACHABLE_REDIS = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there


def test_there_are_twenty_distinct_classic_answers() -> None:
    assert len(ANSWERS) == len(set(ANSWERS)) == 20
    assert {"It is certain.", "Reply hazy, try again.", "Very doubtful."} <= set(ANSWERS)


async def test_a_question_gets_one_of_the_answers(client: httpx.AsyncClient) -> None:
    response = await client.get("/", params={"q": "Will it ship?"})

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text.startswith("Magic 8-ball says: ")
    assert response.content in BODIES


async def test_every_answer_comes_up(client: httpx.AsyncClient) -> None:
    seen = {(await client.get("/?q=again")).text for _ in range(400)}

    # 400 draws miss one of 20 answers with probability below 1e-7.
    assert seen == {body.decode() for body in BODIES}


@pytest.mark.parametrize("query", ["", "?", "?q=", "?q", "?Q=upper", "?question=x", "?q=&q="])
async def test_a_missing_or_empty_q_is_400(client: httpx.AsyncClient, query: str) -> None:
    response = await client.get(f"/{query}")

    assert response.status_code == 400
    assert response.text == MISSING_Q == "Missing `q` in query string"
    assert response.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    "query", ["?q=1", "?q=%20", "?q=x&q=", "?q=&q=x", "?other=1&q=why", "?q=%F0%9F%8E%B1"]
)
async def test_any_non_empty_q_is_answered(client: httpx.AsyncClient, query: str) -> None:
    response = await client.get(f"/{query}")

    assert response.status_code == 200
    assert response.content in BODIES


async def test_health_and_answers_do_not_need_redis() -> None:
    async with running(create_app(fast_settings(UNREACHABLE_REDIS))) as client:
        health = await client.get("/health")
        answer = await client.get("/?q=still")
        ready = await client.get("/ready")

    assert (health.status_code, health.text) == (200, "OK")
    assert answer.status_code == 200
    assert (ready.status_code, ready.text) == (503, "redis unavailable")


async def test_ready_is_200_while_redis_answers(client: httpx.AsyncClient) -> None:
    response = await client.get("/ready")

    assert (response.status_code, response.text) == (200, "ready")


async def test_unknown_paths_and_methods_are_refused(client: httpx.AsyncClient) -> None:
    assert (await client.get("/nowhere")).status_code == 404
    assert (await client.post("/?q=x")).status_code == 405


async def test_requests_carry_a_request_id(client: httpx.AsyncClient) -> None:
    given = await client.get("/?q=x", headers={"X-Request-Id": "m8-1"})
    generated = await client.get("/?q=x")

    assert given.headers["x-request-id"] == "m8-1"
    assert len(generated.headers["x-request-id"]) == 32


async def test_openapi_documents_every_route(client: httpx.AsyncClient) -> None:
    response = await client.get("/openapi.json")

    document = orjson.loads(response.content)
    routes = {route.path for route in client._transport.app.routes}  # type: ignore[attr-defined]
    assert set(document["paths"]) == routes == {"/", "/health", "/ready", "/openapi.json"}
    answers = document["paths"]["/"]["get"]["responses"]["200"]["content"]["text/plain"]
    assert answers["schema"]["enum"] == [body.decode() for body in BODIES]


@pytest.mark.parametrize(
    ("query_string", "expected"),
    [
        (b"q=x", True),
        (b"a=1&q=x", True),
        (b"q=&q=x", True),
        (b"%71=x", True),
        (b"q=%20", True),
        (b"q=+", True),
        (b"", False),
        (b"q", False),
        (b"q=", False),
        (b"q=&q=", False),
        (b"qq=x", False),
        (b"xq=1", False),
        (b"Q=x", False),
        (b"q%3Dx", False),
        (b"a=q", False),
    ],
)
def test_has_question_reads_the_raw_query_string(query_string: bytes, expected: bool) -> None:
    assert has_question(query_string) is expected


async def test_head_sends_the_headers_without_the_answer(client: httpx.AsyncClient) -> None:
    response = await client.head("/?q=x")

    assert response.status_code == 200
    assert response.content == b""
    assert int(response.headers["content-length"]) > len("Magic 8-ball says: ")
