"""Configuration, --help, JSON logs and request ids of the cart service."""

from __future__ import annotations

import io
import json
import logging
from typing import TYPE_CHECKING

import pytest
from shop_cart import CartSettings
from shop_cart.command_line import load_settings, parse_command_line
from shop_cart.json_logs import JsonFormatter
from shop_cart.request_context import _request_id, access_log

if TYPE_CHECKING:
    from collections.abc import Iterator

    import httpx


def test_settings_come_from_the_wiring_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "9090")
    monkeypatch.setenv("TABLE_CARTS", "shop-prod-carts")
    monkeypatch.setenv("CART_TTL_SECONDS", "3600")

    settings = CartSettings()  # type: ignore[call-arg]

    assert (settings.port, settings.table_carts, settings.cart_ttl_seconds) == (
        9090, "shop-prod-carts", 3600)


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PORT", "CART_TTL_SECONDS", "HOST", "ASGI_SERVER"):
        monkeypatch.delenv(name, raising=False)

    settings = CartSettings(table_carts="carts")

    assert (settings.port, settings.cart_ttl_seconds, settings.host) == (8080, 7 * 86400,
                                                                         "0.0.0.0")
    assert settings.asgi_server == "granian"


@pytest.mark.parametrize(("env", "variable"), [
    ({}, "TABLE_CARTS"),
    ({"TABLE_CARTS": "carts", "CART_TTL_SECONDS": "5"}, "CART_TTL_SECONDS"),
    ({"TABLE_CARTS": "carts", "PORT": "443"}, "PORT")])
def test_bad_environment_exits_2_naming_the_variable(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        env: dict[str, str], variable: str) -> None:
    for name in ("TABLE_CARTS", "CART_TTL_SECONDS", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(SystemExit) as exit_info:
        load_settings(CartSettings)

    assert exit_info.value.code == 2
    assert f"configuration error: {variable}:" in capsys.readouterr().err


def test_help_lists_the_environment(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse_command_line("python -m shop_cart", "Carts.", CartSettings, ["--help"])

    out = capsys.readouterr().out
    assert exit_info.value.code == 0
    for variable in ("TABLE_CARTS", "CART_TTL_SECONDS", "PORT", "LOG_LEVEL", "WORKERS"):
        assert variable in out


def test_log_lines_are_json_with_the_request_id() -> None:
    record = logging.LogRecord("shop_cart", logging.INFO, __file__, 1, "saved %s", ("cart",),
                               None)
    record.status = 201
    token = _request_id.set("rid-1")
    try:
        entry = json.loads(JsonFormatter().format(record))
    finally:
        _request_id.reset(token)

    assert entry["message"] == "saved cart"
    assert (entry["request_id"], entry["status"], entry["level"]) == ("rid-1", 201, "INFO")


@pytest.fixture
def access_lines(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.BytesIO]:
    """Send the batched access log to a buffer, with info lines enabled."""
    stream = io.BytesIO()
    monkeypatch.setattr(access_log, "stream", stream)
    monkeypatch.setattr(access_log, "_lines", [])
    access_logger = logging.getLogger("shop_cart.access")
    level = access_logger.level
    access_logger.setLevel(logging.INFO)
    yield stream
    access_logger.setLevel(level)


@pytest.mark.anyio
async def test_access_log_line_per_request(api: httpx.AsyncClient,
                                           access_lines: io.BytesIO) -> None:
    response = await api.post("/carts", headers={"X-Request-Id": "bad id with spaces"})
    access_log.flush()

    (entry,) = [json.loads(line) for line in access_lines.getvalue().splitlines()]
    assert (entry["method"], entry["path"], entry["status"]) == ("POST", "/carts", 201)
    assert entry["logger"] == "shop_cart.access"
    assert entry["request_id"] == response.headers["x-request-id"] != "bad id with spaces"
    assert len(response.headers["x-request-id"]) == 32
