"""Settings from the environment and the command line of both services."""

from __future__ import annotations

import pytest
from three_tier_api import ApiSettings
from three_tier_api.__main__ import main as api_main
from three_tier_web import WebSettings


def test_settings_come_from_the_wiring_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "9001")
    monkeypatch.setenv("TABLE_ITEMS", "items-prod")
    monkeypatch.setenv("SERVICE_API_URL", "http://api:8000")

    api, web = ApiSettings(), WebSettings()  # type: ignore[call-arg]

    assert (api.port, api.table_items, api.host) == (9001, "items-prod", "0.0.0.0")
    assert str(web.service_api_url).startswith("http://api:8000")
    assert (
        ApiSettings(table_items="items").port,
        WebSettings(service_api_url="http://a").port,
    ) == (9001, 9001)


def test_default_ports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PORT", raising=False)

    assert ApiSettings(table_items="items").port == 8000
    assert WebSettings(service_api_url="http://a").port == 8080


@pytest.mark.parametrize(
    "env", [{}, {"TABLE_ITEMS": "items", "PORT": "80"}, {"TABLE_ITEMS": "items", "PORT": "http"}]
)
def test_bad_environment_exits_2_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], env: dict[str, str]
) -> None:
    for name in ("TABLE_ITEMS", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(SystemExit) as exit_info:
        api_main([])

    assert exit_info.value.code == 2
    expected = "TABLE_ITEMS" if not env else "PORT"
    assert capsys.readouterr().err.startswith(f"api: invalid configuration: {expected}: ")


def test_help_documents_the_environment(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        api_main(["--help"])

    out = capsys.readouterr().out
    assert exit_info.value.code == 0
    for variable in ("TABLE_ITEMS", "PORT", "HOST", "LOG_LEVEL", "WORKERS"):
        assert f"  {variable} " in out
    assert "Required." in out and "Default: 8000." in out


def test_unknown_arguments_are_refused() -> None:
    with pytest.raises(SystemExit) as exit_info:
        api_main(["--port=1"])

    assert exit_info.value.code == 2
