"""Schemathesis against every example's OpenAPI document, each example under `shipway dev`.

All checks, the stateful phase included, with a fixed seed and a bounded number of cases per
operation, through the `schemathesis` command line as a developer would run it. One `shipway dev`
session per example serves all of that example's documents (three-tier: api and web).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.dev.running import DevRun

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CONFIGS = Path(__file__).with_name("schemathesis")
SEED = 20261201
MAX_EXAMPLES = 20
# (example, service): every service of every example that serves an OpenAPI document
TARGETS = [
    ("bootcamp-api", "api"),
    ("magic8ball", "magic8ball"),
    ("profile", "profile"),
    ("shop-cart", "cart"),
    ("three-tier", "api"),
    ("three-tier", "web"),
]

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


class ExampleSessions:
    """At most one `shipway dev` session at a time, started on first use of its example."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.name: str | None = None
        self.run: DevRun | None = None
        self.urls: dict[str, str] = {}

    def urls_of(self, name: str) -> dict[str, str]:
        if name != self.name:
            self.stop()
            target = self.folder / name
            shutil.copytree(
                EXAMPLES / name,
                target,
                ignore=shutil.ignore_patterns(".shipway", "__pycache__", "tests"),
            )
            self.name, self.run = name, DevRun(target / "shipway.yml")
            session = self.run.wait_ready(timeout=90)
            self.urls = {service: entry["url"] for service, entry in session["services"].items()}
        return self.urls

    def stop(self) -> None:
        if self.run is None:
            return
        run, self.run = self.run, None
        try:
            assert run.stop() == 0, run.output
        finally:
            run.kill_leftovers()


@pytest.fixture(scope="session")
def example_urls(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[str], dict[str, str]]]:
    sessions = ExampleSessions(tmp_path_factory.mktemp("fuzzed-examples"))
    yield sessions.urls_of
    sessions.stop()


def bootcamp_token(url: str) -> str:
    """A token for the seeded admin user, so the protected operations are fuzzed too."""
    form = urllib.parse.urlencode({"username": "admin", "password": "secret"}).encode()
    with urllib.request.urlopen(f"{url}/login", data=form, timeout=30) as response:  # noqa: S310
        return str(json.loads(response.read())["data"])


def schemathesis_run(
    url: str, config: Path, report: Path, headers: list[str]
) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config),
        "run",
        f"{url}/openapi.json",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--request-timeout",
        "10",
        "--no-color",
        "--report",
        "junit",
        "--report-junit-path",
        str(report),
        *(option for header in headers for option in ("-H", header)),
    ]
    # in the report's folder: schemathesis keeps its crash cache in the working directory
    return subprocess.run(
        command, capture_output=True, text=True, timeout=540, check=False, cwd=report.parent
    )


@pytest.mark.parametrize(("example", "service"), TARGETS)
def test_example_openapi_is_fuzz_clean(
    example_urls: Callable[[str], dict[str, str]], example: str, service: str, tmp_path: Path
) -> None:
    url = example_urls(example)[service]
    headers = [f"Authorization: Bearer {bootcamp_token(url)}"] if example == "bootcamp-api" else []

    config = CONFIGS / f"{example}-{service}.toml"
    config = config if config.is_file() else CONFIGS / "default.toml"
    result = schemathesis_run(url, config, tmp_path / "junit.xml", headers)

    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
    print(f"{example}/{service}: {summary(result.stdout)}")  # shown with -s: the figures


def summary(output: str) -> str:
    """'Operations: 5 selected / 5 total; 289 generated, 289 passed; No issues found in 7.7s'."""
    lines = [line.strip() for line in output.splitlines()]
    wanted = [line for line in lines if line.startswith("Operations:")]
    wanted += [lines[i + 1] for i, line in enumerate(lines[:-1]) if line == "Test cases:"]
    wanted += [line.strip("= ") for line in lines if line.startswith("=") and " in " in line]
    return "; ".join(wanted)
