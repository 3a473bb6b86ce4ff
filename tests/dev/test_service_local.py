"""A service's local command, folder and environment (src/shipway/service/local.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from shipway.dev.errors import DevConfigurationError
from shipway.manifest import resolve
from shipway.service.local import (
    LocalResources,
    local_executable,
    process_environment,
    service_command,
    service_directory,
    service_environment,
    workload_environment,
)

if TYPE_CHECKING:
    from tests.dev.conftest import WriteManifest

MANIFEST = """
    services:
      api:
        type: backend
        image: {build: {context: .}}
        uses: [users, session, jwt-key, imports]
        environment: {GREETING: hello, PORT: "1"}
        secrets: {DB_PASSWORD: prod/db, TOKEN: "ssm:/app/token", KEY_AGAIN: jwt-key}
      web:
        image: {uri: example/web:1}
        local: {command: "python3 -m web --reload", cwd: web}
        uses: [api]
    tables: {users: {partition_key: username}}
    caches: {session: {}, rates: {}}
    buckets: {imports: {}}
    secrets: {jwt-key: {generate: {length: 32}}}
"""
RESOURCES = LocalResources(
    app="devtest",
    environment="dev",
    aws={"AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "AWS_DEFAULT_REGION": "us-east-1"},
    tables={"users": "devtest-dev-users"},
    buckets={"imports": "devtest-dev-imports"},
    cache_urls={"session": "redis://127.0.0.1:6379/0", "rates": "redis://127.0.0.1:6379/1"},
    secret_values={"jwt-key": "s3cret"},
    secret_ids={"jwt-key": "devtest-dev-jwt-key"},
    referenced_secrets={"prod/db": "pw", "ssm:/app/token": "tok", "jwt-key": "s3cret"},
    service_urls={"api": "http://127.0.0.1:4000", "web": "http://127.0.0.1:4001"},
)


def test_environment_follows_the_wiring_contract(write_manifest: WriteManifest) -> None:
    manifest = write_manifest(MANIFEST)
    api = resolve(manifest, "dev").services["api"]
    variables = service_environment(api, RESOURCES, port=4000)
    assert variables == {
        "AWS_ENDPOINT_URL": "http://127.0.0.1:5000",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "SHIPWAY_APP": "devtest",
        "SHIPWAY_ENV": "dev",
        "SHIPWAY_SERVICE": "api",
        "TABLE_USERS": "devtest-dev-users",
        "BUCKET_IMPORTS": "devtest-dev-imports",
        "CACHE_SESSION_URL": "redis://127.0.0.1:6379/0",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "JWT_KEY": "s3cret",
        "JWT_KEY_SECRET_ID": "devtest-dev-jwt-key",
        "GREETING": "hello",
        "DB_PASSWORD": "pw",
        "TOKEN": "tok",
        "KEY_AGAIN": "s3cret",
        "PORT": "4000",
        "HOST": "127.0.0.1",
    }


def test_another_service_is_reached_by_its_url(write_manifest: WriteManifest) -> None:
    manifest = write_manifest(MANIFEST)
    web = resolve(manifest, "dev").services["web"]
    variables = service_environment(web, RESOURCES, port=4001)
    assert variables["SERVICE_API_URL"] == "http://127.0.0.1:4000"
    assert "REDIS_URL" not in variables


def test_inherited_aws_settings_are_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "production")
    monkeypatch.setenv("HOME_FOR_TEST", "kept")
    environment = process_environment({"AWS_ENDPOINT_URL": "http://127.0.0.1:5000"})
    assert "AWS_PROFILE" not in environment
    assert environment["HOME_FOR_TEST"] == "kept"
    assert environment["PYTHONUNBUFFERED"] == "1"


def test_command_from_local_or_from_the_dockerfile(write_manifest: WriteManifest) -> None:
    manifest = write_manifest(MANIFEST)
    services, folder = manifest.application.services, manifest.directory
    assert service_command("api", services["api"], folder) == [sys.executable, "service.py"]
    assert service_command("web", services["web"], folder) == [
        sys.executable,
        "-m",
        "web",
        "--reload",
    ]
    assert service_directory(services["api"], folder) == folder.resolve()
    assert service_directory(services["web"], folder) == (folder / "web").resolve()


def test_a_prebuilt_image_needs_a_local_command(write_manifest: WriteManifest) -> None:
    manifest = write_manifest("""
        services:
          web: {image: {uri: example/web:1}}
    """)
    with pytest.raises(DevConfigurationError, match="add 'local: {command"):
        service_command("web", manifest.application.services["web"], manifest.directory)


def test_programs_are_found_on_this_machine() -> None:
    assert local_executable("python3.11") == sys.executable
    assert local_executable("/usr/local/bin/python") == sys.executable
    assert local_executable("/app/.venv/bin/ruff") == str(Path(sys.executable).parent / "ruff")
    assert local_executable("no-such-program-here") == "no-such-program-here"


def test_a_jobs_env_file_sits_below_its_environment_and_the_injected_variables(
    write_manifest: WriteManifest, app_dir: Path
) -> None:
    (app_dir / "job.env").write_text(
        "# plain settings\nBATCH=10\nGREETING=file\nTABLE_USERS=elsewhere\n", encoding="utf-8"
    )
    manifest = write_manifest(
        """
        tables: {users: {partition_key: username}}
        jobs:
          sweep:
            image: {uri: example/job:1}
            schedule: rate(1 day)
            env_file: job.env
            environment: {GREETING: explicit}
            uses: [{table: users, access: read}]
        """
    )
    job = resolve(manifest, "dev").jobs["sweep"]
    variables = workload_environment(job, RESOURCES)
    assert variables["BATCH"] == "10"  # from the file
    assert variables["GREETING"] == "explicit"  # environment wins over the file
    assert variables["TABLE_USERS"] == "devtest-dev-users"  # injected wins over both
