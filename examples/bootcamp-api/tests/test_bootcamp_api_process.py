"""The API as its container runs it: `python -m bootcamp_api` against the moto server."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import uuid
from typing import TYPE_CHECKING

import boto3
import httpx
import jwt
import orjson

from shipway.emulators import free_port
from shipway.emulators.ports import port_is_open

from .conftest import EXAMPLE_DIR, stored_user

if TYPE_CHECKING:
    from collections.abc import Callable

    from shipway.emulators import MotoServer

    from .conftest import ServiceProcess


def test_login_convert_and_stop_cleanly_on_sigterm(
    service_process: Callable[..., ServiceProcess], users_table: str, aws_env: MotoServer
) -> None:
    secret_name, key = f"jwt-key-{uuid.uuid4().hex[:8]}", secrets.token_urlsafe(48)
    boto3.client("secretsmanager").create_secret(Name=secret_name, SecretString=key)
    service = service_process({"TABLE_USERS": users_table, "JWT_KEY_SECRET_ID": secret_name})

    login = httpx.post(
        f"{service.url}/login", data={"username": "admin", "password": "secret"}, timeout=30
    )
    token = login.json()["data"]
    converted = httpx.get(
        f"{service.url}/mask-to-cidr",
        params={"value": "255.255.255.0"},
        headers={"Authorization": f"Bearer {token}", "X-Request-Id": "c-1"},
    )

    assert jwt.decode(token, key, algorithms=["HS256"])["role"] == "admin"
    assert converted.json() == {"function": "maskToCidr", "input": "255.255.255.0", "output": "24"}
    assert stored_user(users_table, "admin")["password"].startswith("scrypt$32768$8$1$")
    assert service.wait_for_log(lambda e: e.get("request_id") == "c-1")["status"] == 200

    # GIVEN a login whose body is still arriving when the container is told to stop
    body = b"username=bob&password=thisIsNotAPasswordBob"
    with socket.create_connection(("127.0.0.1", service.port), timeout=30) as connection:
        connection.sendall(
            b"POST /login HTTP/1.1\r\nHost: api\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body) + body[:10]
        )
        # The worker accepts connections in order: once a later one is served, ours is accepted.
        assert httpx.get(f"{service.url}/_health").status_code == 200
        service.send_sigterm()
        service.wait_for_log(lambda e: "Stopping worker" in str(e["message"]))
        connection.sendall(body[10:])
        reply = connection.makefile("rb").read()

    # THEN the login completes and the process exits 0
    head, _, payload = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert jwt.decode(orjson.loads(payload)["data"], key, algorithms=["HS256"])["sub"] == "bob"
    assert service.wait(timeout=30) == 0
    assert not port_is_open(service.port)
    assert not [e for e in service.json_lines() if e["level"] in ("ERROR", "CRITICAL")]


def run_entrypoint(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("JWT_", "TABLE_"))}
    return subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "bootcamp_api"],
        cwd=EXAMPLE_DIR,
        capture_output=True,
        text=True,
        env={**environment, "HOST": "127.0.0.1", "PORT": str(free_port()), **env},
        timeout=60,
        check=False,
    )


def test_refuses_to_start_without_any_key_setting() -> None:
    result = run_entrypoint({"TABLE_USERS": "users"})

    assert result.returncode == 2
    assert "set JWT_KEY_SECRET_ID (Secrets Manager) or JWT_KEY" in result.stderr


def test_refuses_to_start_when_the_secret_cannot_be_read(aws_env: MotoServer) -> None:
    result = run_entrypoint({"TABLE_USERS": "users", "JWT_KEY_SECRET_ID": "no-such-secret"})

    assert result.returncode != 0
    entries = [orjson.loads(line) for line in result.stdout.splitlines()]
    reason = next(e for e in entries if e["level"] == "CRITICAL")
    assert reason["message"] == "cannot start without a JWT signing key"
    assert "no-such-secret" in reason["error"] and "JWT_KEY is not set" in reason["error"]
