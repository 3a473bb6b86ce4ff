"""Settings from the environment, --help listing them, one line and exit 2 for bad values."""

from __future__ import annotations

import pytest
from pydantic import Field, ValidationError
from service_runtime import ServiceSettings, environment_help, run_service
from service_runtime.command_line import describe


class ExampleSettings(ServiceSettings):
    """A service with one required variable of its own."""

    table_things: str = Field(min_length=3, description="The things table.")


def test_defaults_suit_a_container(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TABLE_THINGS", "things")
    for name in ("HOST", "PORT", "LOG_LEVEL", "HEADER_TIMEOUT_SECONDS"):
        monkeypatch.delenv(name, raising=False)

    settings = ExampleSettings()

    assert (settings.host, settings.port, settings.log_level) == ("0.0.0.0", 8080, "INFO")
    assert settings.header_timeout_seconds == 65  # above the load balancer's 60 s idle timeout


def test_log_level_is_read_in_any_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", "warning")

    assert ExampleSettings(table_things="abc").log_level == "WARNING"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORT", "80"),
        ("PORT", "http"),
        ("LOG_LEVEL", "LOUD"),
        ("WORKERS", "0"),
        ("HEADER_TIMEOUT_SECONDS", "0"),
        ("TABLE_THINGS", "ab"),
    ],
)
def test_a_bad_value_is_described_on_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv("TABLE_THINGS", "things")
    monkeypatch.setenv(name, value)

    with pytest.raises(ValidationError) as caught:
        ExampleSettings()

    assert describe(caught.value).startswith(f"{name}: ")
    assert "\n" not in describe(caught.value)


def test_run_service_exits_2_with_one_line_on_stderr(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TABLE_THINGS", raising=False)

    with pytest.raises(SystemExit) as exited:
        run_service(
            service="things",
            description="d",
            settings_class=ExampleSettings,
            target="things.app:create_app",
            argv=[],
        )

    assert exited.value.code == 2
    assert capsys.readouterr().err == (
        "things: invalid configuration: TABLE_THINGS: Field required\n"
    )


def test_help_lists_every_variable_with_its_default(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        run_service(
            service="things",
            description="Serve things.",
            settings_class=ExampleSettings,
            target="things.app:create_app",
            argv=["--help"],
        )

    out = capsys.readouterr().out
    assert exited.value.code == 0
    assert out.startswith("usage: python -m things")
    assert environment_help(ExampleSettings) in out
    assert "  TABLE_THINGS " in out and "Required." in out
    assert "  HOST " in out and "Default: 0.0.0.0." in out
