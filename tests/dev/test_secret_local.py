"""Local secret values (src/shipway/secret/local.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shipway.dev.errors import MissingSecretError
from shipway.manifest import resolve
from shipway.secret.local import local_secrets, read_secrets_env

if TYPE_CHECKING:
    from pathlib import Path

    from tests.dev.conftest import WriteManifest

SECRETS = """
    secrets:
      jwt-key: {generate: {length: 40}}
      stripe: {existing: prod/stripe-key}
"""


def test_secrets_env_lines(tmp_path: Path) -> None:
    path = tmp_path / "secrets.env"
    path.write_text(
        "# comment\n\nstripe=sk_test\nssm:/app/token = 'quoted'\nbroken\n", encoding="utf-8"
    )
    assert read_secrets_env(path) == {"stripe": "sk_test", "ssm:/app/token": "quoted"}
    assert read_secrets_env(tmp_path / "absent.env") == {}


def test_generated_secrets_are_random_existing_ones_come_from_the_file(
    write_manifest: WriteManifest, tmp_path: Path
) -> None:
    manifest = write_manifest(SECRETS)
    env_file = tmp_path / "secrets.env"
    env_file.write_text("prod/stripe-key=sk_test\n", encoding="utf-8")
    first = local_secrets(resolve(manifest, "dev"), [], env_file).values
    second = local_secrets(resolve(manifest, "dev"), [], env_file).values
    assert len(first["jwt-key"]) == 40
    assert first["jwt-key"] != second["jwt-key"]
    assert first["stripe"] == "sk_test"


def test_a_missing_existing_secret_says_which_line_to_add(
    write_manifest: WriteManifest, tmp_path: Path
) -> None:
    manifest = write_manifest(SECRETS)
    with pytest.raises(MissingSecretError, match="add the line 'stripe=<value>' to .*secrets.env"):
        local_secrets(resolve(manifest, "dev"), [], tmp_path / "secrets.env")


def test_service_references(write_manifest: WriteManifest, tmp_path: Path) -> None:
    manifest = write_manifest("secrets: {jwt-key: {generate: {length: 16}}}\n")
    env_file = tmp_path / "secrets.env"
    env_file.write_text("ssm:/app/token=tok\n", encoding="utf-8")
    found = local_secrets(
        resolve(manifest, "dev"),
        [("api", "TOKEN", "ssm:/app/token"), ("api", "KEY", "jwt-key")],
        env_file,
    )
    assert found.referenced == {"ssm:/app/token": "tok", "jwt-key": found.values["jwt-key"]}
    with pytest.raises(
        MissingSecretError,
        match=r"service 'api' needs secret 'prod/db' "
        r"\(secrets.DB\).*'prod/db=<value>'",
    ):
        local_secrets(resolve(manifest, "dev"), [("api", "DB", "prod/db")], env_file)
