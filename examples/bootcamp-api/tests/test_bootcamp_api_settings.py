"""Settings from the environment: a table and a signing key are required; weak keys refused."""

from __future__ import annotations

import pytest
from bootcamp_api.__main__ import main
from bootcamp_api.settings import load_settings
from pydantic import ValidationError
from service_runtime.command_line import describe

KEY = "k" * 32


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TABLE_USERS", "JWT_KEY", "JWT_KEY_SECRET_ID", "PORT", "SCRYPT_N"):
        monkeypatch.delenv(name, raising=False)


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TABLE_USERS", "users")
    monkeypatch.setenv("JWT_KEY", KEY)

    settings = load_settings()

    assert settings.port == 8000
    assert settings.jwt_lifetime_seconds == 3600
    assert settings.jwt_key_max_age_seconds == 300
    assert (settings.scrypt_n, settings.scrypt_r, settings.scrypt_p) == (2**15, 8, 1)
    assert KEY not in repr(settings)


def test_a_secret_id_alone_is_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TABLE_USERS", "users")
    monkeypatch.setenv("JWT_KEY_SECRET_ID", "arn:aws:secretsmanager:eu-west-1:1:secret:jwt-key")

    assert load_settings().jwt_key is None


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"JWT_KEY": KEY}, "TABLE_USERS: Field required"),
        ({"TABLE_USERS": "users"}, "set JWT_KEY_SECRET_ID (Secrets Manager) or JWT_KEY"),
        ({"TABLE_USERS": "users", "JWT_KEY": "short"}, "JWT_KEY: Value error, must be at least 32"),
        ({"TABLE_USERS": "users", "JWT_KEY": KEY, "SCRYPT_N": "30000"}, "SCRYPT_N: Value error"),
        ({"TABLE_USERS": "users", "JWT_KEY": KEY, "PORT": "-1"}, "PORT: "),
    ],
)
def test_invalid_configuration_is_refused(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], message: str
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(ValidationError) as caught:
        load_settings()
    assert message in describe(caught.value)


def test_main_refuses_to_start_without_a_key(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TABLE_USERS", "users")

    with pytest.raises(SystemExit) as exited:
        main([])
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith("api: invalid configuration: ")
    assert "JWT_KEY_SECRET_ID" in error and error.count("\n") == 1


def test_main_never_prints_the_key(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JWT_KEY", "a-secret-that-is-far-too-short")

    with pytest.raises(SystemExit) as exited:
        main([])
    assert exited.value.code == 2
    assert "a-secret-that" not in capsys.readouterr().err
