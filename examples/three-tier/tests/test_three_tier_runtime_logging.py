"""JSON log lines, settings from the environment, and the command line."""

from __future__ import annotations

import json
import logging
import sys

import pytest
from three_tier_api import ApiSettings
from three_tier_runtime.command_line import load_settings, parse_command_line
from three_tier_runtime.json_logs import JsonFormatter, logging_config
from three_tier_runtime.request_context import _request_id
from three_tier_web import WebSettings


def record(message: str, **extra: object) -> logging.LogRecord:
    entry = logging.LogRecord("three_tier.test", logging.WARNING, __file__, 1, message, (), None)
    entry.__dict__.update(extra)
    return entry


def test_a_record_is_one_json_line_with_its_extras() -> None:
    line = JsonFormatter().format(record("hello %s", status=200))

    entry = json.loads(line)
    assert "\n" not in line
    assert entry["message"] == "hello %s" and entry["level"] == "WARNING"
    assert entry["logger"] == "three_tier.test" and entry["status"] == 200
    assert entry["timestamp"].endswith("+00:00")
    assert "request_id" not in entry


def test_the_current_request_id_is_in_every_line() -> None:
    token = _request_id.set("req-7")
    try:
        entry = json.loads(JsonFormatter().format(record("inside a request")))
    finally:
        _request_id.reset(token)

    assert entry["request_id"] == "req-7"


def test_exceptions_are_logged_inside_the_json_line() -> None:
    try:
        raise ValueError("bad")
    except ValueError:
        entry = record("failed", exc_info=sys.exc_info())
        entry.exc_info = sys.exc_info()
        line = JsonFormatter().format(entry)

    assert "ValueError: bad" in json.loads(line)["exception"]


def test_server_logs_go_through_the_json_handler() -> None:
    config = logging_config("warning")

    assert config["root"] == {"handlers": ["stdout"], "level": "WARNING"}
    assert config["loggers"]["_granian"]["propagate"] is True


def test_settings_come_from_the_wiring_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "9001")
    monkeypatch.setenv("TABLE_ITEMS", "items-prod")
    monkeypatch.setenv("SERVICE_API_URL", "http://api:8000")

    api, web = ApiSettings(), WebSettings()  # type: ignore[call-arg]

    assert (api.port, api.table_items, api.host) == (9001, "items-prod", "0.0.0.0")
    assert str(web.service_api_url).startswith("http://api:8000")
    assert (ApiSettings(table_items="items").port, WebSettings(service_api_url="http://a").port) \
        == (9001, 9001)


def test_default_ports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PORT", raising=False)

    assert ApiSettings(table_items="items").port == 8000
    assert WebSettings(service_api_url="http://a").port == 8080


@pytest.mark.parametrize("env", [{}, {"TABLE_ITEMS": "items", "PORT": "80"},
                                 {"TABLE_ITEMS": "items", "PORT": "http"}])
def test_bad_environment_exits_2_naming_the_variable(monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str],
                                                     env: dict[str, str]) -> None:
    for name in ("TABLE_ITEMS", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(SystemExit) as exit_info:
        load_settings(ApiSettings)

    assert exit_info.value.code == 2
    expected = "TABLE_ITEMS" if not env else "PORT"
    assert f"configuration error: {expected}:" in capsys.readouterr().err


def test_help_documents_the_environment(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse_command_line("python -m three_tier_api", "Items api.", ApiSettings, ["--help"])

    out = capsys.readouterr().out
    assert exit_info.value.code == 0
    for variable in ("TABLE_ITEMS", "PORT", "HOST", "LOG_LEVEL", "ASGI_SERVER", "WORKERS"):
        assert variable in out
    assert "(required)" in out and "(default 8000)" in out


def test_unknown_arguments_are_refused() -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse_command_line("python -m three_tier_api", "Items api.", ApiSettings, ["--port=1"])

    assert exit_info.value.code == 2
