"""Which engine is picked, and the exact command lines each engine is given."""

from __future__ import annotations

from pathlib import Path

import pytest

from shipway.image import ContainerEngine, ImageSource, NoContainerEngineError, detect_engine

SOURCE = ImageSource(
    service="web",
    context=Path("/src/app"),
    dockerfile=Path("/src/app/Dockerfile"),
    target="web",
    args={"B": "2", "A": "1"},
)


def test_docker_build_argv() -> None:
    engine = ContainerEngine("docker", "/usr/bin/docker", network="host")
    assert engine.build_argv(SOURCE, "reg/app:src-1") == [
        "/usr/bin/docker", "build", "--file", "/src/app/Dockerfile", "--tag", "reg/app:src-1",
        "--target", "web", "--build-arg", "A=1", "--build-arg", "B=2", "--network", "host",
        "/src/app",
    ]  # fmt: skip


def test_podman_build_argv_writes_docker_format_with_this_machines_options() -> None:
    engine = ContainerEngine("podman", "podman", storage_driver="vfs", isolation="chroot")
    assert engine.build_argv(SOURCE, "reg/app:src-1") == [
        "podman", "--storage-driver", "vfs", "build", "--file", "/src/app/Dockerfile",
        "--tag", "reg/app:src-1", "--target", "web", "--build-arg", "A=1", "--build-arg", "B=2",
        "--format", "docker", "--isolation", "chroot", "/src/app",
    ]  # fmt: skip


def test_buildah_builds_with_bud() -> None:
    argv = ContainerEngine("buildah", "buildah").build_argv(SOURCE, "reg/app:t")
    assert argv[:2] == ["buildah", "bud"]
    assert ["--format", "docker"] == argv[-3:-1]


def test_login_takes_the_password_on_stdin_and_keeps_credentials_in_a_folder_of_ours() -> None:
    docker = ContainerEngine("docker", "docker").login_argv(
        "1.dkr.ecr.x.amazonaws.com", "AWS", Path("/tmp/auth"), tls=True
    )
    assert docker == [
        "docker", "--config", "/tmp/auth", "login", "--username", "AWS", "--password-stdin",
        "1.dkr.ecr.x.amazonaws.com",
    ]  # fmt: skip
    podman = ContainerEngine("podman", "podman").login_argv(
        "127.0.0.1:5000", "u", Path("/tmp/auth"), tls=False
    )
    assert podman == [
        "podman", "login", "--authfile", "/tmp/auth/auth.json", "--tls-verify=false",
        "--username", "u", "--password-stdin", "127.0.0.1:5000",
    ]  # fmt: skip


def test_push_argv() -> None:
    digest = Path("/tmp/d")
    docker = ContainerEngine("docker", "docker")
    assert docker.push_argv("r/a:t", auth_dir=None, digest_file=digest, tls=False) == [
        "docker", "push", "r/a:t",
    ]  # fmt: skip
    buildah = ContainerEngine("buildah", "buildah", storage_driver="vfs")
    assert buildah.push_argv("r/a:t", auth_dir=Path("/a"), digest_file=digest, tls=True) == [
        "buildah", "--storage-driver", "vfs", "push", "--digestfile", "/tmp/d",
        "--authfile", "/a/auth.json", "r/a:t",
    ]  # fmt: skip


def _fake_tools(folder: Path, scripts: dict[str, str]) -> dict[str, str]:
    """A PATH holding only the given shell scripts."""
    folder.mkdir(exist_ok=True)
    for name, body in scripts.items():
        (folder / name).write_text(f"#!/bin/sh\n{body}\n")
        (folder / name).chmod(0o755)
    return {"PATH": str(folder)}


def test_docker_with_a_daemon_comes_first(tmp_path: Path) -> None:
    environ = _fake_tools(tmp_path, {"docker": "echo 20.10", "podman": "exit 0"})
    assert detect_engine(environ).name == "docker"


def test_docker_without_a_daemon_falls_back_to_podman_then_buildah(tmp_path: Path) -> None:
    no_daemon = "echo 'Cannot connect to the Docker daemon' >&2; exit 1"
    environ = _fake_tools(tmp_path, {"docker": no_daemon, "podman": "", "buildah": ""})
    assert detect_engine(environ).name == "podman"
    (tmp_path / "podman").unlink()
    assert detect_engine(environ).name == "buildah"


def test_the_environment_forces_an_engine_and_options(tmp_path: Path) -> None:
    environ = _fake_tools(tmp_path, {"docker": "echo 20.10", "buildah": ""})
    environ |= {
        "SHIPWAY_CONTAINER_ENGINE": "buildah",
        "SHIPWAY_CONTAINER_STORAGE_DRIVER": "vfs",
        "SHIPWAY_CONTAINER_ISOLATION": "chroot",
        "SHIPWAY_BUILD_NETWORK": "host",
    }
    engine = detect_engine(environ)
    assert (engine.name, engine.storage_driver, engine.isolation, engine.network) == (
        "buildah", "vfs", "chroot", "host",
    )  # fmt: skip
    assert engine.env == environ


def test_no_engine_says_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(NoContainerEngineError, match=r"apt-get install docker.io.*podman"):
        detect_engine(_fake_tools(tmp_path, {}))


def test_docker_without_a_daemon_and_nothing_else_says_why(tmp_path: Path) -> None:
    environ = _fake_tools(tmp_path, {"docker": "echo 'Cannot connect to the daemon' >&2; exit 1"})
    with pytest.raises(NoContainerEngineError, match="daemon does not answer .Cannot connect"):
        detect_engine(environ)


@pytest.mark.parametrize(
    ("forced", "message"),
    [("kaniko", "is not one of docker, podman, buildah"), ("podman", "podman is not installed")],
)
def test_a_forced_engine_that_cannot_work_is_an_error(
    tmp_path: Path, forced: str, message: str
) -> None:
    environ = _fake_tools(tmp_path, {"docker": "echo ok"}) | {"SHIPWAY_CONTAINER_ENGINE": forced}
    with pytest.raises(NoContainerEngineError, match=message):
        detect_engine(environ)
