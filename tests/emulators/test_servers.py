"""The local servers start, answer over loopback, and leave no process behind."""

from __future__ import annotations

import os
import socket

import boto3
import pytest
import redis

from shipway.emulators import MotoServer, RedisServer, free_port, wait_for_port
from shipway.emulators.ports import PortNeverOpenedError


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_moto_server_answers_dynamodb_and_stops() -> None:
    with MotoServer() as server:
        client = boto3.client(
            "dynamodb",
            endpoint_url=server.endpoint_url,
            region_name="us-east-1",
            aws_access_key_id="x",
            aws_secret_access_key="x",
        )
        assert client.list_tables()["TableNames"] == []
        pid = server.pid
        assert pid is not None
    assert server.pid is None
    assert not _alive(pid)


def test_redis_server_with_password() -> None:
    with RedisServer(password="s3cret-pass") as server:
        assert server.kind == "redis-server"
        assert redis.Redis.from_url(server.url).ping()
        with pytest.raises(redis.AuthenticationError):
            redis.Redis(port=server.port).ping()


def test_embedded_redis_when_asked() -> None:
    with RedisServer(prefer="embedded") as server:
        assert server.kind == "embedded"
        client = redis.Redis.from_url(server.url)
        assert client.incr("n") == 1
    with pytest.raises(redis.ConnectionError):
        redis.Redis(port=server.port, socket_connect_timeout=0.5).ping()


def test_wait_for_port_reports_a_dead_process_at_once() -> None:
    with pytest.raises(PortNeverOpenedError, match="exited"):
        wait_for_port(free_port(), timeout=30, alive=lambda: False)


def test_free_port_is_bindable() -> None:
    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
