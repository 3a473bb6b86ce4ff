"""Redis goes away and comes back; Redis with a password; Redis over TLS (ElastiCache style)."""

from __future__ import annotations

import datetime
import ipaddress
import logging
import socket
import subprocess
import time
from typing import TYPE_CHECKING

import anyio
import pytest
import redis
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from magic8ball.app import create_app

from shipway.emulators import RedisServer, free_port, wait_for_port

from .conftest import fast_settings, running

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

pytestmark = pytest.mark.anyio


async def eventually(condition: Callable[[], object], timeout: float = 10.0) -> None:
    """Wait until condition() is truthy, checking every 10 ms; fail after timeout."""
    with anyio.fail_after(timeout):
        while not condition():
            await anyio.sleep(0.01)


def key_exists(url: str, key: str) -> bool:
    try:
        with redis.Redis.from_url(url, socket_timeout=1) as client:
            return client.get(key) is not None
    except redis.RedisError:
        return False


def logged(caplog: pytest.LogCaptureFixture, message: str) -> bool:
    return any(record.getMessage() == message for record in caplog.records)


async def test_answers_keep_flowing_while_redis_is_down_and_writing_resumes(
    own_redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="magic8ball")
    async with running(create_app(fast_settings(own_redis.url))) as client:
        # GIVEN a writer that is writing
        await eventually(lambda: key_exists(own_redis.url, "3"))
        # WHEN Redis stops
        own_redis.stop()
        await eventually(lambda: logged(caplog, "fizzbuzz step failed, retrying"))
        answer, ready, health = (
            await client.get("/?q=x"),
            await client.get("/ready"),
            await client.get("/health"),
        )
        # THEN the ball still answers, readiness fails, liveness holds
        assert answer.status_code == 200 and answer.text.startswith("Magic 8-ball says: ")
        assert ready.status_code == 503
        assert health.status_code == 200
        # WHEN Redis is back (empty: it kept no data), writing resumes from 1
        own_redis.start()
        await eventually(lambda: key_exists(own_redis.url, "1"))
        await eventually(lambda: logged(caplog, "fizzbuzz resumed"))
        assert (await client.get("/ready")).status_code == 200

    failures = [r for r in caplog.records if r.getMessage() == "fizzbuzz step failed, retrying"]
    assert all(r.levelname == "WARNING" and "ConnectionError" in r.error for r in failures)
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts TCP connections but never answers (a hung Redis)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


async def test_ready_never_hangs_on_a_server_that_does_not_answer(silent_server: int) -> None:
    settings = fast_settings(f"redis://127.0.0.1:{silent_server}/0", redis_timeout_seconds=0.2)
    async with running(create_app(settings)) as client:
        started = time.monotonic()
        response = await client.get("/ready")
        elapsed = time.monotonic() - started
        answer = await client.get("/?q=x")

    assert response.status_code == 503
    assert elapsed < 1.5
    assert answer.status_code == 200


@pytest.fixture
def redis_with_password() -> Iterator[RedisServer]:
    with RedisServer(password="correct-horse-battery") as server:
        yield server


async def test_a_password_in_the_url_authenticates(redis_with_password: RedisServer) -> None:
    url = redis_with_password.url
    assert url.startswith("redis://:correct-horse-battery@")
    async with running(create_app(fast_settings(url))) as client:
        await eventually(lambda: key_exists(url, "5"))
        ready = await client.get("/ready")

    assert ready.status_code == 200
    with redis.Redis.from_url(url, decode_responses=True) as check:
        assert check.get("5") == "Buzz"


async def test_a_wrong_password_is_not_ready_and_is_logged(
    redis_with_password: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"redis://:wrong@127.0.0.1:{redis_with_password.port}/0"
    async with running(create_app(fast_settings(url))) as client:
        ready = await client.get("/ready")
        await eventually(lambda: logged(caplog, "fizzbuzz step failed, retrying"))

    assert ready.status_code == 503
    failure = next(r for r in caplog.records if r.getMessage().startswith("fizzbuzz step"))
    assert "AuthenticationError" in failure.error or "WRONGPASS" in failure.error
    assert "wrong" not in failure.error.replace("WRONGPASS", "")  # the password is not logged


def write_certificates(directory: Path) -> tuple[Path, Path, Path]:
    """A private CA and a server certificate for localhost / 127.0.0.1."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key, server_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "magic8ball test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    server = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = directory / "ca.pem", directory / "server.pem", directory / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(server.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    return paths


@pytest.fixture
def tls_redis(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """redis-server speaking only TLS, with AUTH, as ElastiCache with in-transit encryption."""
    ca, cert, key = write_certificates(tmp_path)
    port = free_port()
    process = subprocess.Popen(
        [  # noqa: S603, S607 - fixed argv
            "redis-server",
            "--port",
            "0",
            "--tls-port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--tls-cert-file",
            str(cert),
            "--tls-key-file",
            str(key),
            "--tls-ca-cert-file",
            str(ca),
            "--tls-auth-clients",
            "no",
            "--requirepass",
            "tls-secret",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, alive=lambda: process.poll() is None)
        yield port, ca
    finally:
        process.terminate()
        process.wait(10)


async def test_rediss_with_a_password_works(tls_redis: tuple[int, Path]) -> None:
    port, ca = tls_redis
    url = f"rediss://:tls-secret@localhost:{port}/0?ssl_ca_certs={ca}"
    async with running(create_app(fast_settings(url, redis_timeout_seconds=2))) as client:
        await eventually(lambda: key_exists(url, "3"))
        ready = await client.get("/ready")

    assert ready.status_code == 200
    plain = f"redis://:tls-secret@localhost:{port}/0"
    assert not key_exists(plain, "3")  # the server really refuses plaintext
