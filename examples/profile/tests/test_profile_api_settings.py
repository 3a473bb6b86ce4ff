"""Settings come from the environment; bad values are refused with a clear message."""

from __future__ import annotations

import pytest
from profile_api.__main__ import main
from profile_api.settings import Settings, load_settings
from pydantic import ValidationError
from service_runtime import environment_help
from service_runtime.command_line import describe


def test_defaults_match_the_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PORT", "PROFILE_NAME", "PROFILE_HOBBIES", "HOST"):
        monkeypatch.delenv(name, raising=False)

    settings = load_settings()

    assert settings.port == 8080
    assert settings.host == "0.0.0.0"
    assert settings.profile_name == "Alberto Eduardo"
    assert settings.profile_hobbies == ["AWS", "Kubernetes"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('["Go", "Rust"]', ["Go", "Rust"]),
        ("Go, Rust ,Zig", ["Go", "Rust", "Zig"]),
        ("Chess", ["Chess"]),
        ('["a, b"]', ["a, b"]),
        ("", []),
    ],
)
def test_hobbies_accept_a_json_list_or_a_comma_list(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: list[str]
) -> None:
    monkeypatch.setenv("PROFILE_HOBBIES", value)

    assert load_settings().profile_hobbies == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PROFILE_HOBBIES", "[1, 2]"),
        ("PROFILE_HOBBIES", '["unterminated"'),
        ("PROFILE_NAME", ""),
        ("PORT", "http"),
        ("PORT", "70000"),
        ("LOG_LEVEL", "LOUD"),
    ],
)
def test_invalid_values_are_refused(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)

    with pytest.raises(ValidationError) as caught:
        load_settings()
    assert describe(caught.value).startswith(name)
    assert "\n" not in describe(caught.value)


def test_main_exits_2_with_one_line_on_bad_configuration(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PORT", "eighty")

    with pytest.raises(SystemExit) as exited:
        main([])

    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "PORT" in error


def test_help_lists_every_environment_variable(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])

    assert exited.value.code == 0
    out = capsys.readouterr().out
    for name in ("PORT", "HOST", "PROFILE_NAME", "PROFILE_HOBBIES", "LOG_LEVEL", "ACCESS_LOG"):
        assert f"  {name} " in out
    assert environment_help(Settings) in out
