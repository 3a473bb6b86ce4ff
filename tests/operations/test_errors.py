"""status and logs fail in one clear line (exit 2) when AWS cannot be asked."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from typer.testing import CliRunner

from shipway.cli import app

if TYPE_CHECKING:
    import pytest

THREE_TIER = Path(__file__).resolve().parents[2] / "examples" / "three-tier" / "shipway.yml"


def test_no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    for command in (["status"], ["logs", "web"]):
        result = CliRunner().invoke(app, [*command, "-f", str(THREE_TIER), "--env", "test"])
        assert result.exit_code == 2, command
        assert result.stderr.startswith("error: no AWS credentials found")


def test_aws_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # discard: nothing listens
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    result = CliRunner().invoke(app, ["status", "-f", str(THREE_TIER), "--env", "test"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: AWS: Could not connect to the endpoint URL")
    assert "Traceback" not in result.stderr
