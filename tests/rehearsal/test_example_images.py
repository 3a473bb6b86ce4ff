"""Every example's image, built by shipway.image, runs as its task definition runs it and answers
its health check and a contract request, against the session's moto server and redis-server."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
import httpx
import pytest

from shipway.emulators import MotoServer, RedisServer, free_port
from shipway.testing.container import TaskContainer

if TYPE_CHECKING:
    from collections.abc import Iterator

    from shipway.image import BuiltImage
    from shipway.testing.docker_daemon import DockerDaemon


pytestmark = pytest.mark.slow
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
REGION = "us-east-1"


@pytest.fixture
def aws(moto_server: MotoServer) -> dict[str, str]:
    """Wiring variables that point a container's boto3 at the session's moto server."""
    return {**moto_server.client_environment(), "AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION}


@pytest.fixture
def new_table(moto_server: MotoServer) -> Iterator[object]:
    """Make a DynamoDB table with a string partition key in moto; return its name."""
    dynamodb = boto3.client(
        "dynamodb", region_name=REGION, **_boto_options(moto_server.client_environment())
    )
    made: list[str] = []

    def make(key: str) -> str:
        name = f"rehearsal-{uuid.uuid4().hex[:8]}"
        dynamodb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        made.append(name)
        return name

    yield make
    for name in made:
        dynamodb.delete_table(TableName=name)


def _boto_options(environment: dict[str, str]) -> dict[str, str]:
    return {
        "endpoint_url": environment["AWS_ENDPOINT_URL"],
        "aws_access_key_id": environment["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": environment["AWS_SECRET_ACCESS_KEY"],
    }


def _run(daemon: DockerDaemon, image: BuiltImage, env: dict[str, str]) -> TaskContainer:
    return TaskContainer(daemon, image.reference, port=free_port(), env=env)


def _assert_non_root(daemon: DockerDaemon, container: TaskContainer) -> None:
    configured = daemon.docker("image", "inspect", "--format", "{{.Config.User}}", container.image)
    assert configured.stdout.strip().split(":")[0] not in {"", "0", "root"}
    assert container.process_uid() != 0


def test_profile_image(docker_daemon: DockerDaemon, example_images: dict[str, BuiltImage]) -> None:
    with _run(docker_daemon, example_images["profile/profile"], {}) as container:
        container.wait_healthy("/health")
        answer = httpx.get(container.url + "/")
        _assert_non_root(docker_daemon, container)
    assert answer.status_code == 200
    assert answer.json() == {"Name": "Alberto Eduardo", "Hobbies": ["AWS", "Kubernetes"]}


def test_magic8ball_image_uses_redis(
    docker_daemon: DockerDaemon, example_images: dict[str, BuiltImage], redis_server: RedisServer
) -> None:
    env = {"REDIS_URL": redis_server.url}
    with _run(docker_daemon, example_images["magic8ball/magic8ball"], env) as container:
        container.wait_healthy("/health")
        ready = httpx.get(container.url + "/ready")
        answer = httpx.get(container.url + "/", params={"q": "will it ship"})
        _assert_non_root(docker_daemon, container)
    assert (ready.status_code, ready.text) == (200, "ready")
    assert answer.text.startswith("Magic 8-ball says: ")


def test_shop_cart_image_stores_carts_in_dynamodb(
    docker_daemon: DockerDaemon,
    example_images: dict[str, BuiltImage],
    aws: dict[str, str],
    new_table: object,
) -> None:
    env = {**aws, "TABLE_CARTS": new_table("id")}  # type: ignore[operator]
    with _run(docker_daemon, example_images["shop-cart/cart"], env) as container:
        container.wait_healthy("/health")
        created = httpx.post(container.url + "/carts")
        fetched = httpx.get(container.url + created.headers["Location"])
        _assert_non_root(docker_daemon, container)
    assert created.status_code == 201
    assert fetched.status_code == 200


def test_bootcamp_api_image_logs_a_seeded_user_in(
    docker_daemon: DockerDaemon,
    example_images: dict[str, BuiltImage],
    aws: dict[str, str],
    new_table: object,
) -> None:
    table = new_table("username")  # type: ignore[operator]
    dynamodb = boto3.client("dynamodb", region_name=REGION, **_boto_options(aws))
    for item in json.loads((EXAMPLES / "bootcamp-api/data/usersdata.json").read_text()):
        dynamodb.put_item(TableName=table, Item=item)
    env = {**aws, "TABLE_USERS": table, "JWT_KEY": uuid.uuid4().hex * 2}
    with _run(docker_daemon, example_images["bootcamp-api/api"], env) as container:
        container.wait_healthy("/_health")
        login = httpx.post(
            container.url + "/login", data={"username": "admin", "password": "secret"}, timeout=30
        )
        _assert_non_root(docker_daemon, container)
    assert login.status_code == 200, login.text
    assert login.json()["data"].count(".") == 2  # a JWT: header.claims.signature


def test_three_tier_images_web_shows_what_api_stored(
    docker_daemon: DockerDaemon,
    example_images: dict[str, BuiltImage],
    aws: dict[str, str],
    new_table: object,
) -> None:
    api_env = {**aws, "TABLE_ITEMS": new_table("key")}  # type: ignore[operator]
    with _run(docker_daemon, example_images["three-tier/api"], api_env) as api:
        api.wait_healthy("/healthz")
        stored = httpx.put(api.url + "/items/rehearsal", json={"value": "shipped"})
        web_env = {"SERVICE_API_URL": api.url, "PAGE_CACHE_SECONDS": "0"}
        with _run(docker_daemon, example_images["three-tier/web"], web_env) as web:
            web.wait_healthy("/healthz")
            page = httpx.get(web.url + "/")
            _assert_non_root(docker_daemon, web)
        _assert_non_root(docker_daemon, api)
    assert stored.status_code == 201, stored.text
    assert page.status_code == 200
    assert "rehearsal" in page.text and "shipped" in page.text


def test_each_example_service_has_an_image(example_images: dict[str, BuiltImage]) -> None:
    assert sorted(example_images) == [
        "bootcamp-api/api",
        "magic8ball/magic8ball",
        "profile/profile",
        "shop-cart/cart",
        "shop-cart/fulfilment",
        "three-tier/api",
        "three-tier/web",
    ]
    assert example_images["three-tier/api"].tag != example_images["three-tier/web"].tag
