"""The image recipe agrees with the code: pinned versions, entrypoint, user and port."""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import pytest
from bootcamp_api.settings import Settings

EXAMPLE_DIR = Path(__file__).resolve().parents[1]
DOCKERFILE = (EXAMPLE_DIR / "Dockerfile").read_text()


def pins() -> list[tuple[str, str]]:
    lines = (EXAMPLE_DIR / "requirements.txt").read_text().splitlines()
    return [tuple(line.split("==")) for line in lines if line and not line.startswith("#")]


@pytest.mark.parametrize(("name", "version"), pins())
def test_requirements_pin_the_versions_the_tests_run_against(name: str, version: str) -> None:
    assert importlib.metadata.version(name) == version


def test_requirements_cover_the_server_the_framework_and_aws() -> None:
    assert {"granian", "uvloop", "starlette", "orjson", "pydantic-settings", "pyjwt", "boto3"} <= {
        name for name, _ in pins()
    }


def test_runtime_stage_is_pinned_unprivileged_and_runs_the_package() -> None:
    runtime = DOCKERFILE.rsplit("\nFROM ", 1)[1]

    assert runtime.startswith("python:3.11.14-slim-bookworm\n")
    assert "USER 10001:10001" in runtime
    assert f"EXPOSE {Settings.model_fields['port'].default}" in runtime
    assert runtime.rstrip().endswith('CMD ["python", "-m", "bootcamp_api"]')
    assert not re.search(r"(?i)(secret|password|token)\s*=", DOCKERFILE)
