"""Settings come from the environment; bad values are refused with one clear line."""

from __future__ import annotations

import pytest
from magic8ball.__main__ import main
from magic8ball.settings import load_settings
from pydantic import ValidationError
from service_runtime.command_line import describe

CONFIG = ("PORT", "HOST", "REDIS_URL", "FIZZBUZZ_INTERVAL_SECONDS", "FIZZBUZZ_TTL_SECONDS")


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in CONFIG:
        monkeypatch.delenv(name, raising=False)

    settings = load_settings()

    assert (settings.host, settings.port) == ("0.0.0.0", 8080)
    assert settings.redis_url == "redis://127.0.0.1:6379/0"
    assert settings.fizzbuzz_interval_seconds == 1.0
    assert settings.fizzbuzz_ttl_seconds == 86400


@pytest.mark.parametrize(
    "url",
    [
        "redis://cache:6379/0",
        "redis://:pw@cache:6379/0",
        "rediss://:token@primary.example:6379/0",
        "rediss://user:pw@10.0.0.5:6380/2?ssl_ca_certs=/etc/ca.pem",
    ],
)
def test_redis_and_rediss_urls_are_accepted(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("REDIS_URL", url)

    assert load_settings().redis_url == url


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("REDIS_URL", "http://cache:6379"),
        ("REDIS_URL", "cache:6379"),
        ("REDIS_URL", "redis://"),
        ("FIZZBUZZ_INTERVAL_SECONDS", "0"),
        ("FIZZBUZZ_INTERVAL_SECONDS", "soon"),
        ("FIZZBUZZ_TTL_SECONDS", "-1"),
        ("PORT", "0"),
    ],
)
def test_invalid_values_are_refused(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)

    with pytest.raises(ValidationError) as caught:
        load_settings()
    assert describe(caught.value).startswith(f"{name}: ")


def test_main_exits_2_without_echoing_the_url(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REDIS_URL", "http://:hunter2@cache:6379")

    with pytest.raises(SystemExit) as exited:
        main([])

    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith("magic8ball: invalid configuration: REDIS_URL: ")
    assert "hunter2" not in error
    assert error.count("\n") == 1
