"""POST /login: tokens for the seed users, one answer for every failure, bad input, upgrades."""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3
import jwt
import orjson
import pytest
from bootcamp_api.app import INVALID_CREDENTIALS, create_app
from bootcamp_api.credentials import MAX_BODY_BYTES
from bootcamp_api.passwords import ScryptParameters
from bootcamp_api.services import build_services
from bootcamp_api.users import UserTable
from botocore.exceptions import ClientError

from .conftest import FAST_SCRYPT_N, PASSWORDS, ROLES, log_in, running, stored_user

if TYPE_CHECKING:
    import httpx
    from bootcamp_api.settings import Settings

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("username", sorted(PASSWORDS))
async def test_each_seed_user_gets_a_token_with_its_role(
    client: httpx.AsyncClient, jwt_key: str, username: str
) -> None:
    response = await log_in(client, username, PASSWORDS[username])

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "no-store"
    assert set(response.json()) == {"data"}
    claims = jwt.decode(response.json()["data"], jwt_key, algorithms=["HS256"])
    assert set(claims) == {"role", "sub", "iat", "exp"}
    assert (claims["sub"], claims["role"]) == (username, ROLES[username])
    assert claims["exp"] - claims["iat"] == 3600


async def test_a_json_body_is_accepted_too(client: httpx.AsyncClient) -> None:
    response = await client.post("/login", json={"username": "admin", "password": "secret"})

    assert response.status_code == 200
    assert response.json()["data"].count(".") == 2


async def test_wrong_password_and_unknown_user_get_the_same_answer(
    client: httpx.AsyncClient,
) -> None:
    wrong = await log_in(client, "admin", "not-the-password")
    unknown = await log_in(client, "mallory", "secret")
    empty_table_miss = await log_in(client, "ADMIN", "secret")

    for response in (wrong, unknown, empty_table_miss):
        assert response.status_code == 401
        assert response.json() == {"error": INVALID_CREDENTIALS}
    assert wrong.content == unknown.content == empty_table_miss.content
    assert wrong.headers.keys() - {"x-request-id"} == unknown.headers.keys() - {"x-request-id"}


@pytest.mark.parametrize(
    ("form", "missing"),
    [
        ({}, "username, password"),
        ({"username": "admin"}, "password"),
        ({"password": "secret"}, "username"),
        ({"username": "", "password": "secret"}, "username"),
        ({"username": "admin", "password": ""}, "password"),
    ],
)
async def test_a_missing_field_is_400(
    client: httpx.AsyncClient, form: dict[str, str], missing: str
) -> None:
    response = await client.post(
        "/login", data=form, headers={"content-type": "application/x-www-form-urlencoded"}
    )

    assert response.status_code == 400
    assert response.json() == {"error": f"missing field: {missing}"}


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b'["admin", "secret"]', "application/json", 400),
        (b'{"username": "admin", "password": 42}', "application/json", 400),
        (b'{"username": ["admin"], "password": "secret"}', "application/json", 400),
        (b"username=%FF&password=x", "application/x-www-form-urlencoded", 400),
        (b"username=admin&password=secret", "text/plain", 415),
        (b"username=admin&password=secret", "", 415),
        (
            b'--b\r\nContent-Disposition: form-data; name="username"\r\n\r\nadmin\r\n--b--',
            "multipart/form-data; boundary=b",
            415,
        ),
        (b"username=" + b"a" * 129 + b"&password=secret", "application/x-www-form-urlencoded", 400),
        (
            b"username=admin&password=" + b"p" * (MAX_BODY_BYTES + 1),
            "application/x-www-form-urlencoded",
            413,
        ),
    ],
)
async def test_bad_input_gets_a_json_error_not_a_500(
    client: httpx.AsyncClient, content: bytes, content_type: str, status: int
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = await client.post("/login", content=content, headers=headers)

    assert response.status_code == status
    assert set(response.json()) == {"error"}


async def test_form_with_a_charset_parameter_is_accepted(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/login",
        content=b"username=bob&password=thisIsNotAPasswordBob",
        headers={"content-type": "application/x-www-form-urlencoded; charset=UTF-8"},
    )

    assert response.status_code == 200


async def test_login_moves_a_legacy_hash_to_scrypt_and_still_works(
    client: httpx.AsyncClient, users_table: str
) -> None:
    before = stored_user(users_table, "noadmin")
    assert "salt" in before and not before["password"].startswith("scrypt$")

    first = await log_in(client, "noadmin", "noPow3r")
    after = stored_user(users_table, "noadmin")
    second = await log_in(client, "noadmin", "noPow3r")
    wrong = await log_in(client, "noadmin", "noPow3r!")

    assert first.status_code == 200 and second.status_code == 200
    assert wrong.status_code == 401
    assert after["password"].startswith(f"scrypt${FAST_SCRYPT_N}$8$1$")
    assert "salt" not in after
    assert after["role"] == "editor"
    assert stored_user(users_table, "noadmin") == after  # nothing rehashed the second time


async def test_a_failed_login_leaves_the_legacy_hash_alone(
    client: httpx.AsyncClient, users_table: str
) -> None:
    before = stored_user(users_table, "bob")

    await log_in(client, "bob", "guess")

    assert stored_user(users_table, "bob") == before


async def test_a_weaker_scrypt_hash_is_upgraded_to_the_configured_cost(
    settings: Settings, users_table: str
) -> None:
    async with running(create_app(settings)) as client:
        await log_in(client, "admin", "secret")
    stronger = settings.model_copy(update={"scrypt_n": FAST_SCRYPT_N * 2})
    async with running(create_app(stronger)) as client:
        response = await log_in(client, "admin", "secret")

    assert response.status_code == 200
    assert stored_user(users_table, "admin")["password"].startswith(f"scrypt${FAST_SCRYPT_N * 2}$")


@pytest.mark.parametrize(
    ("item", "log"),
    [
        (
            {"password": {"S": "scrypt$1024$8$1$!!$!!"}, "role": {"S": "viewer"}},
            "unusable password hash",
        ),
        ({"password": {"S": "0" * 128}, "role": {"S": "viewer"}}, "unusable password hash"),
        (
            {"password": {"S": "scrypt$1073741824$8$1$AAAA$AAAA"}, "role": {"S": "viewer"}},
            "unusable password hash",
        ),
        ({"password": {"S": "x"}}, "unusable user record"),
    ],
)
async def test_a_broken_user_record_is_a_401_and_an_error_log(
    client: httpx.AsyncClient,
    users_table: str,
    caplog: pytest.LogCaptureFixture,
    item: dict[str, dict[str, str]],
    log: str,
) -> None:
    boto3.client("dynamodb").put_item(
        TableName=users_table, Item={"username": {"S": "broken"}, **item}
    )

    response = await log_in(client, "broken", "whatever")

    assert response.status_code == 401
    assert response.json() == {"error": INVALID_CREDENTIALS}
    assert any(r.getMessage() == log and r.levelname == "ERROR" for r in caplog.records)


async def test_an_unreachable_user_table_is_503(settings: Settings) -> None:
    missing = settings.model_copy(update={"table_users": "no-such-table"})
    async with running(create_app(missing)) as client:
        response = await log_in(client, "admin", "secret")

    assert response.status_code == 503
    assert orjson.loads(response.content) == {
        "error": "the user store is unavailable, try again later"
    }


def test_every_login_outcome_costs_exactly_one_scrypt(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    logins = build_services(settings).logins
    derive = ScryptParameters.derive
    calls: list[int] = []

    def counting(self: ScryptParameters, password: str, salt: bytes) -> bytes:
        calls.append(self.n)
        return derive(self, password, salt)

    monkeypatch.setattr(ScryptParameters, "derive", counting)

    def cost(username: str, password: str) -> int:
        calls.clear()
        logins.authenticate(username, password)
        return len(calls)

    assert cost("nobody", "secret") == 1  # unknown user
    assert cost("admin", "wrong") == 1  # legacy hash, wrong password
    assert cost("admin", "secret") == 1  # legacy hash, right: the upgrade
    assert cost("admin", "wrong") == 1  # scrypt hash, wrong password
    assert cost("admin", "secret") == 1  # scrypt hash, right
    assert set(calls) == {FAST_SCRYPT_N}


def test_an_upgrade_never_overwrites_a_concurrent_change(users_table: str) -> None:
    table = UserTable(boto3.client("dynamodb"), users_table)
    stale = table.find("bob")
    assert stale is not None
    boto3.client("dynamodb").update_item(
        TableName=users_table,
        Key={"username": {"S": "bob"}},
        UpdateExpression="SET password = :p",
        ExpressionAttributeValues={":p": {"S": "changed"}},
    )

    replaced = table.replace_password(stale, "scrypt$1024$8$1$AAAA$AAAA")

    assert replaced is False
    assert stored_user(users_table, "bob")["password"] == "changed"


def test_a_failed_upgrade_does_not_fail_the_login(
    settings: Settings, users_table: str, caplog: pytest.LogCaptureFixture
) -> None:
    logins = build_services(settings).logins

    def refuse(user: object, new_hash: str) -> bool:
        raise ClientError(
            {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}},
            "UpdateItem",
        )

    logins.users.replace_password = refuse  # type: ignore[method-assign]
    user = logins.authenticate("bob", PASSWORDS["bob"])

    assert user is not None and user.role == "viewer"
    assert "salt" in stored_user(users_table, "bob")
    assert any(r.getMessage().startswith("password hash upgrade failed") for r in caplog.records)
