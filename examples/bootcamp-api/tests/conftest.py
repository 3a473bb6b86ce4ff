"""Fixtures for the bootcamp API tests: the users table and a secret in moto, the app, a process."""

from __future__ import annotations

import contextlib
import json
import secrets
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import httpx
import pytest
from bootcamp_api.app import create_app
from bootcamp_api.settings import Settings
from boto3.dynamodb.types import TypeDeserializer

from shipway.testing import ServiceProcess

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterator

    from starlette.applications import Starlette

    from shipway.emulators import MotoServer

EXAMPLE_DIR = Path(__file__).resolve().parents[1]
SEED_USERS = EXAMPLE_DIR / "data" / "usersdata.json"
PASSWORDS = {"admin": "secret", "noadmin": "noPow3r", "bob": "thisIsNotAPasswordBob"}
ROLES = {"admin": "admin", "noadmin": "editor", "bob": "viewer"}
FAST_SCRYPT_N = 2**10  # tests hash a lot; production uses 2**15


def seed_items() -> list[dict[str, Any]]:
    """The committed seed file, as the bucket loader would put it into the table."""
    deserializer = TypeDeserializer()
    raw = json.loads(SEED_USERS.read_text())
    return [{name: deserializer.deserialize(value) for name, value in item.items()} for item in raw]


def create_users_table(name: str) -> None:
    dynamodb = boto3.resource("dynamodb")
    table = dynamodb.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "username", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "username", "AttributeType": "S"}],
    )
    table.wait_until_exists()
    with table.batch_writer() as batch:
        for item in seed_items():
            batch.put_item(Item=item)


def stored_user(table_name: str, username: str) -> dict[str, Any]:
    item = boto3.client("dynamodb").get_item(
        TableName=table_name, Key={"username": {"S": username}}, ConsistentRead=True
    )["Item"]
    return {name: value["S"] for name, value in item.items()}


@pytest.fixture
def users_table(aws_env: MotoServer) -> str:
    """A fresh users table in the moto server, loaded from data/usersdata.json."""
    name = f"users-{uuid.uuid4().hex[:12]}"
    create_users_table(name)
    return name


@pytest.fixture
def jwt_key() -> str:
    return secrets.token_urlsafe(48)


@pytest.fixture
def settings(users_table: str, jwt_key: str) -> Settings:
    return Settings(
        table_users=users_table,
        jwt_key=jwt_key,  # type: ignore[arg-type]
        scrypt_n=FAST_SCRYPT_N,
        access_log=False,
    )


@contextlib.asynccontextmanager
async def running(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan running, and a client for it."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
            yield client


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with running(create_app(settings)) as client:
        yield client


async def log_in(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post("/login", data={"username": username, "password": password})


async def token_for(client: httpx.AsyncClient, username: str = "bob") -> str:
    response = await log_in(client, username, PASSWORDS[username])
    assert response.status_code == 200, response.text
    return str(response.json()["data"])


@pytest.fixture
def service_process() -> Iterator[Callable[..., ServiceProcess]]:
    started: list[ServiceProcess] = []

    def start(env: dict[str, str] | None = None) -> ServiceProcess:
        service = ServiceProcess("bootcamp_api", cwd=EXAMPLE_DIR, env=env).start()
        started.append(service)
        return service

    yield start
    for service in started:
        service.stop()
