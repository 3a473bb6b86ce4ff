"""The operating commands are listed and explain themselves."""

from __future__ import annotations

from typer.testing import CliRunner

from shipway.cli import app


def test_operating_commands_have_help() -> None:
    listing = CliRunner().invoke(app, ["--help"]).stdout
    for command, option in (
        ("diagram", "--format"),
        ("status", "--json"),
        ("logs", "--follow"),
        ("exec", "--command"),
        ("access", "--json"),
    ):
        assert command in listing
        result = CliRunner().invoke(app, [command, "--help"])
        assert result.exit_code == 0, command
        assert "--env" in result.stdout and option in result.stdout, command
