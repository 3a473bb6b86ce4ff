"""Configuration, --help and the access log of the cart service."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

import pytest
from shop_cart import CartSettings
from shop_cart.__main__ import main

if TYPE_CHECKING:
    import httpx


def test_settings_come_from_the_wiring_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "9090")
    monkeypatch.setenv("TABLE_CARTS", "shop-prod-carts")
    monkeypatch.setenv("CART_TTL_SECONDS", "3600")

    settings = CartSettings()  # type: ignore[call-arg]

    assert (settings.port, settings.table_carts, settings.cart_ttl_seconds) == (
        9090,
        "shop-prod-carts",
        3600,
    )


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PORT", "CART_TTL_SECONDS", "HOST"):
        monkeypatch.delenv(name, raising=False)

    settings = CartSettings(table_carts="carts")

    assert (settings.port, settings.cart_ttl_seconds, settings.host) == (8080, 7 * 86400, "0.0.0.0")


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({}, "TABLE_CARTS"),
        ({"TABLE_CARTS": "carts", "CART_TTL_SECONDS": "5"}, "CART_TTL_SECONDS"),
        ({"TABLE_CARTS": "carts", "PORT": "443"}, "PORT"),
    ],
)
def test_bad_environment_exits_2_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    variable: str,
) -> None:
    for name in ("TABLE_CARTS", "CART_TTL_SECONDS", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(SystemExit) as exit_info:
        main([])

    assert exit_info.value.code == 2
    assert capsys.readouterr().err.startswith(f"cart: invalid configuration: {variable}: ")


def test_help_lists_the_environment(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])

    out = capsys.readouterr().out
    assert exit_info.value.code == 0
    for variable in ("TABLE_CARTS", "CART_TTL_SECONDS", "PORT", "LOG_LEVEL", "WORKERS"):
        assert f"  {variable} " in out


@pytest.mark.anyio
async def test_access_log_line_per_request(cart_app: Any, api: httpx.AsyncClient) -> None:
    stream = io.BytesIO()
    cart_app.state.access_log.stream = stream
    response = await api.post("/carts", headers={"X-Request-Id": "bad id with spaces"})
    cart_app.state.access_log.flush()

    (entry,) = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert (entry["method"], entry["path"], entry["status"]) == ("POST", "/carts", 201)
    assert (entry["logger"], entry["service"]) == ("cart.access", "cart")
    assert entry["request_id"] == response.headers["x-request-id"] != "bad id with spaces"
    assert len(response.headers["x-request-id"]) == 32
