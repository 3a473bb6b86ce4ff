"""Which container engine builds and pushes images, and the command lines it is given.

Docker is used when its daemon answers (`docker info`), else Podman, else Buildah;
``SHIPWAY_CONTAINER_ENGINE`` forces one. Podman and Buildah always write Docker-format images
(``--format docker``): the OCI format drops HEALTHCHECK, which the examples' images declare.
Environment knobs for machines like CI's, where the engines need help:
``SHIPWAY_BUILD_NETWORK`` (e.g. ``host``: a daemon run with ``--bridge=none`` reaches package
registries only through the host's network), ``SHIPWAY_CONTAINER_STORAGE_DRIVER`` (e.g. ``vfs``)
and ``SHIPWAY_CONTAINER_ISOLATION`` (e.g. ``chroot``) for Podman and Buildah.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, get_args

from shipway.image.errors import NoContainerEngineError

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from shipway.image.source import ImageSource

EngineName = Literal["docker", "podman", "buildah"]
ENGINE_NAMES: tuple[str, ...] = get_args(EngineName)
INSTALL_HINT = (
    "install Docker and start its daemon (apt-get install docker.io), "
    "or Podman (apt-get install podman), or Buildah (apt-get install buildah)"
)


@dataclass(frozen=True)
class ContainerEngine:
    """One engine, found on this machine, with the options this machine needs."""

    name: EngineName
    executable: str
    network: str | None = None
    storage_driver: str | None = None
    isolation: str | None = None
    # the environment the engine runs in (DOCKER_HOST, ...); None inherits shipway's own
    env: dict[str, str] | None = field(default=None, compare=False, hash=False, repr=False)

    def _global_options(self, auth_dir: Path | None = None) -> list[str]:
        if self.name == "docker":
            return ["--config", str(auth_dir)] if auth_dir else []
        return ["--storage-driver", self.storage_driver] if self.storage_driver else []

    def build_argv(self, source: ImageSource, reference: str) -> list[str]:
        """`build` of source, tagged reference."""
        verb = "bud" if self.name == "buildah" else "build"
        argv = [self.executable, *self._global_options(), verb, "--file", str(source.dockerfile)]
        argv += ["--tag", reference]
        if source.target:
            argv += ["--target", source.target]
        if source.platform:
            argv += ["--platform", source.platform]
        for name, value in sorted(source.args.items()):
            argv += ["--build-arg", f"{name}={value}"]
        if self.network:
            argv += ["--network", self.network]
        if self.name != "docker":
            argv += ["--format", "docker"]
            argv += ["--isolation", self.isolation] if self.isolation else []
        return [*argv, str(source.context)]

    def login_argv(self, registry: str, username: str, auth_dir: Path, *, tls: bool) -> list[str]:
        """`login` reading the password from standard input, credentials kept in auth_dir."""
        argv = [self.executable, *self._global_options(auth_dir), "login"]
        if self.name != "docker":
            argv += ["--authfile", str(auth_dir / "auth.json"), *_tls_option(tls)]
        return [*argv, "--username", username, "--password-stdin", registry]

    def push_argv(
        self, reference: str, *, auth_dir: Path | None, digest_file: Path, tls: bool
    ) -> list[str]:
        """`push` of reference; Podman and Buildah also write the pushed digest to digest_file."""
        argv = [self.executable, *self._global_options(auth_dir), "push"]
        if self.name != "docker":
            argv += ["--digestfile", str(digest_file), *_tls_option(tls)]
            argv += ["--authfile", str(auth_dir / "auth.json")] if auth_dir else []
        return [*argv, reference]

    def repo_digests_argv(self, reference: str) -> list[str]:
        """Docker only: the registry digests the local image is known under, as JSON."""
        return [self.executable, "image", "inspect", "--format", "{{json .RepoDigests}}", reference]


def _tls_option(tls: bool) -> list[str]:
    # Docker trusts plain HTTP on loopback by itself; Podman and Buildah must be told.
    return [] if tls else ["--tls-verify=false"]


def detect_engine(environ: Mapping[str, str] | None = None) -> ContainerEngine:
    """The engine to use here: forced by SHIPWAY_CONTAINER_ENGINE, else the first that works.

    Given an environment, the engine also runs in it; else it inherits shipway's.
    """
    inherit = environ is None
    environ = os.environ if environ is None else environ
    engine = _detect(environ)
    return engine if inherit else dataclasses.replace(engine, env=dict(environ))


def _detect(environ: Mapping[str, str]) -> ContainerEngine:
    forced = environ.get("SHIPWAY_CONTAINER_ENGINE", "").strip()
    if forced:
        return _forced_engine(forced, environ)
    docker = shutil.which("docker", path=environ.get("PATH"))
    daemon_problem = _docker_daemon_problem(docker, environ) if docker else None
    if docker and daemon_problem is None:
        return _engine("docker", docker, environ)
    for name in ("podman", "buildah"):
        found = shutil.which(name, path=environ.get("PATH"))
        if found:
            return _engine(name, found, environ)
    why = f"docker is installed but {daemon_problem}" if docker else "none is installed"
    raise NoContainerEngineError(f"no container engine can build images ({why}): {INSTALL_HINT}")


def _forced_engine(name: str, environ: Mapping[str, str]) -> ContainerEngine:
    if name not in ENGINE_NAMES:
        raise NoContainerEngineError(
            f"SHIPWAY_CONTAINER_ENGINE={name} is not one of {', '.join(ENGINE_NAMES)}"
        )
    found = shutil.which(name, path=environ.get("PATH"))
    if found is None:
        raise NoContainerEngineError(
            f"SHIPWAY_CONTAINER_ENGINE={name} but {name} is not installed: {INSTALL_HINT}"
        )
    problem = _docker_daemon_problem(found, environ) if name == "docker" else None
    if problem:
        raise NoContainerEngineError(f"SHIPWAY_CONTAINER_ENGINE=docker but {problem}")
    return _engine(name, found, environ)  # type: ignore[arg-type]


def _engine(name: EngineName, executable: str, environ: Mapping[str, str]) -> ContainerEngine:
    return ContainerEngine(
        name=name,
        executable=executable,
        network=environ.get("SHIPWAY_BUILD_NETWORK") or None,
        storage_driver=environ.get("SHIPWAY_CONTAINER_STORAGE_DRIVER") or None,
        isolation=environ.get("SHIPWAY_CONTAINER_ISOLATION") or None,
    )


def _docker_daemon_problem(docker: str, environ: Mapping[str, str]) -> str | None:
    """None when `docker info` answers, else why not (one line)."""
    try:
        answer = subprocess.run(  # noqa: S603 - fixed argv
            [docker, "info", "--format", "{{.ServerVersion}}"],
            env=dict(environ),
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "its daemon did not answer `docker info` within 20 s"
    if answer.returncode == 0:
        return None
    lines = [line for line in answer.stderr.splitlines() if line.strip()]
    reason = lines[-1].strip() if lines else f"exit status {answer.returncode}"
    return f"its daemon does not answer ({reason}); start it or set DOCKER_HOST"
