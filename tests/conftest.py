"""Rehearsal fixtures: a Docker daemon, the stand-in base images, a local registry, moto for
CloudFormation. Each is made once per session; a missing system package fails with how to install
it. Times and coverage the fixtures and tests measure are printed at the end of the run."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from shipway.errors import MissingToolError
from shipway.image import ContainerEngine, detect_engine
from shipway.testing.base_image import base_image_names, install_base_images, rehearsal_cache_dir
from shipway.testing.docker_daemon import DockerDaemon
from shipway.testing.local_registry import LocalRegistry
from shipway.testing.notes import REHEARSAL_NOTES, Stopwatch
from shipway.testing.rehearsal_moto import RehearsalMotoServer
from tests.data.acceptance import synthesized, template

if TYPE_CHECKING:
    from collections.abc import Iterator

    from aws_cdk.assertions import Template

    from shipway.synthesis import SynthResult

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if REHEARSAL_NOTES:
        terminalreporter.section("rehearsal")
        for line in REHEARSAL_NOTES:
            terminalreporter.write_line(line)


def _started(server_kind: type, *args: object) -> object:
    try:
        return server_kind(*args).start()
    except MissingToolError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def docker_daemon() -> Iterator[DockerDaemon]:
    """Debian's dockerd on a private socket, stopped (and its mounts removed) after the session."""
    with Stopwatch("docker daemon start"):
        daemon = _started(DockerDaemon)
    assert isinstance(daemon, DockerDaemon)
    try:
        yield daemon
    finally:
        daemon.stop()


@pytest.fixture(scope="session")
def docker_engine(docker_daemon: DockerDaemon) -> ContainerEngine:
    """The image module's Docker engine, pointed at the session's daemon."""
    environ = {**os.environ, **docker_daemon.environment(), "SHIPWAY_CONTAINER_ENGINE": "docker"}
    return detect_engine(environ)


@pytest.fixture(scope="session")
def base_images(docker_daemon: DockerDaemon) -> list[str]:
    """The examples' FROM images, stood in by a Debian bookworm made with debootstrap."""
    names = base_image_names(sorted(EXAMPLES.glob("*/Dockerfile")))
    cache = rehearsal_cache_dir()
    cached = (cache / "debian-bookworm-minbase-python3-v1.tar").exists()
    with Stopwatch(f"base image ({'cached tarball' if cached else 'debootstrap'} + import)"):
        try:
            install_base_images(docker_daemon, names, cache)
        except MissingToolError as error:
            pytest.fail(str(error), pytrace=False)
    return names


@pytest.fixture(scope="session")
def local_registry() -> Iterator[LocalRegistry]:
    """docker-registry on a free loopback port: where rehearsal pushes go."""
    registry = _started(LocalRegistry)
    assert isinstance(registry, LocalRegistry)
    try:
        yield registry
    finally:
        registry.stop()


@pytest.fixture(scope="session")
def rehearsal_moto() -> Iterator[RehearsalMotoServer]:
    """moto with stand-ins for the CloudFormation types it lacks, recording what it created."""
    with RehearsalMotoServer() as server:
        yield server


# The acceptance manifests, synthesized once per session (tests/data/acceptance.py) and shared
# by the capability folders (tests/network, tests/service, ...) that assert on their output.


@pytest.fixture(scope="session")
def core_synth() -> SynthResult:
    return synthesized("core")


@pytest.fixture(scope="session")
def compute_synth() -> SynthResult:
    return synthesized("compute")


@pytest.fixture(scope="session")
def core_test() -> Template:
    """The core manifest's test environment."""
    return template("core", "test")


@pytest.fixture(scope="session")
def core_prod() -> Template:
    """The core manifest's prod environment."""
    return template("core", "prod")


@pytest.fixture(scope="session")
def compute_test() -> Template:
    """The compute manifest (one service per compute kind), test environment."""
    return template("compute", "test")


@pytest.fixture(scope="session")
def profile_pipeline(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    """profile's pipeline stack, synthesized and gated once through the real command: the
    command's output and the template (tests/pipeline asserts on it, the rehearsal runs its
    buildspecs)."""
    from typer.testing import CliRunner

    from shipway.cli import app

    out = tmp_path_factory.mktemp("profile-pipeline")
    manifest = EXAMPLES / "profile" / "shipway.yml"
    command = ["pipeline", "codepipeline", "-f", str(manifest), "-o", str(out)]
    with Stopwatch("shipway pipeline codepipeline (profile: synthesize and gate)"):
        result = CliRunner().invoke(app, [*command, "--package", "shipway==9.9"])
    assert result.exit_code == 0, result.stdout + result.stderr
    text = (out / "profile-pipeline.template.json").read_text(encoding="utf-8")
    return result.stdout, json.loads(text)
